# The one stand-in for dockerd, for the suites that drive the plugin without Docker (parent-modes.sh, and
# overlay-nodes.sh for encrypted.sh and scripts/bench-encrypted.sh): the plugin's calls as dockerd makes them, one
# ID scheme, and what dockerd does with Join's answer. Network namespaces stand for containers. Sourced after lib.sh.

# plugin_call SOCKET METHOD JSON: one plugin call; prints the reply; fails on an HTTP error or an Err in the reply.
plugin_call() {
    local status reply
    status=$(curl -s -m 300 -o "$WORK/reply" -w '%{http_code}' --unix-socket "$1" -XPOST \
        -H 'Accept: application/vnd.docker.plugins.v1.2+json' "http://p/$2" --data-binary "$3") || return 1
    reply=$(<"$WORK/reply")
    echo "$reply"
    [ "$status" = 200 ] && [[ $reply != *'"Err":"'[^\"]* ]] && return 0
    echo "$2 on $1: HTTP $status $reply" >&2
    return 1
}

# docker_id TAG: a 64-hex-digit ID, as Docker's, from a short tag.
docker_id() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# endpoint_body CONTAINER NETWORK: the body of the calls that name just an endpoint, CONTAINER's on NETWORK.
endpoint_body() { printf '{"NetworkID":"%s","EndpointID":"%s"}' "$(docker_id "$2")" "$(docker_id "$1-$2")"; }

# in_ns NS CMD...: CMD in network namespace NS, or in this one where NS is empty.
in_ns() { local ns=$1; shift; if [ -n "$ns" ]; then ip -n "$ns" "$@"; else ip "$@"; fi; }

# joined FROM CONTAINER REPLY IFNAME ADDRESS/PREFIX: what dockerd does with Join's answer (the file REPLY): the link
# it names, made in namespace FROM (empty: this one), moved into namespace CONTAINER as IFNAME with the address, up,
# with the gateway and the static routes Join gives.
joined() {
    local from=$1 ns=$2 reply=$3 ifname=$4 src gateway
    read -r src gateway <<<"$(jq -r '"\(.InterfaceName.SrcName) \(.Gateway // "")"' "$reply")"
    in_ns "$from" link set "$src" netns "$ns" || return 1
    ip -n "$ns" link set "$src" name "$ifname"
    ip -n "$ns" addr add "$5" dev "$ifname"
    ip -n "$ns" link set "$ifname" up
    ip -n "$ns" link set lo up
    [ -z "$gateway" ] || ip -n "$ns" route add default via "$gateway" || return 1
    local type destination next_hop
    while read -r type destination next_hop; do
        [ -n "$type" ] || continue
        # RouteType 1 is a connected route, 0 one through NextHop.
        if [ "$type" = 1 ]; then
            ip -n "$ns" route add "$destination" dev "$ifname" || return 1
        else
            ip -n "$ns" route add "$destination" via "$next_hop" || return 1
        fi
    done <<<"$(jq -r '.StaticRoutes // [] | .[] | "\(.RouteType) \(.Destination) \(.NextHop)"' "$reply")"
}

# left FROM CONTAINER REPLY IFNAME: after Leave, the link back in namespace FROM (empty: this one) under its own
# name, as dockerd moves it, if the container still has it.
left() {
    local from=$1 ns=$2 ifname=$4 src
    src=$(jq -r .InterfaceName.SrcName "$3" 2>/dev/null)
    [ -n "$src" ] && ip -n "$ns" link show "$ifname" >/dev/null 2>&1 || return 0
    ip -n "$ns" link set "$ifname" down
    ip -n "$ns" link set "$ifname" name "$src"
    ip -n "$ns" link set "$src" netns "${from:-1}"
}
