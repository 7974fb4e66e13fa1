# Nodes of a swarm as network namespaces on one underlay bridge, each running the plugin from the jar as a
# global-scope install, driven over its socket by the stand-in for dockerd (standin.sh) with the calls dockerd makes (DiscoverNew, AllocateNetwork on the
# manager, CreateNetwork, CreateEndpoint, Join…); network namespaces as the containers, Join's link moved into
# them as dockerd does. Sourced after lib.sh by test-integration/encrypted.sh and scripts/bench-encrypted.sh.

# shellcheck source=standin.sh
. "$(dirname "${BASH_SOURCE[0]}")/standin.sh"

UNDERLAY=10.213.0
NODES=(n1 n2)
declare -A PIDS

node_ip() { echo "$UNDERLAY.${1#n}"; }
socket_of() { echo "$WORK/$1.sock"; }

# call NODE METHOD JSON: one call to NODE's plugin (standin.sh).
call() { plugin_call "$(socket_of "$1")" "${@:2}"; }

# secret NODE SEED: the node's overlay secret, as an operator makes it: 32 bytes in base64, root's alone.
secret() {
    (umask 077; printf '%032d' 0 | tr 0 "$2" | base64 >"$WORK/$1.state/overlay-secret.new")
    mv "$WORK/$1.state/overlay-secret.new" "$WORK/$1.state/overlay-secret"
}

# start_node NODE: the node's namespace on the underlay and its plugin, global scope; Docker's DiscoverNew for
# the node itself and the other node.
start_node() {
    local node=$1 ns=jnen-$1
    ip netns add "$ns" || return 1
    ip link add "jnen-$node" type veth peer name eth0 netns "$ns" || return 1
    ip link set "jnen-$node" master jnen-ul up
    ip -n "$ns" addr add "$(node_ip "$node")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    mkdir -p "$WORK/$node.state"
    [ -f "$WORK/$node.state/overlay-secret" ] || secret "$node" A
    run_plugin "$node" || return 1
    local other
    for other in "${NODES[@]}"; do
        call "$node" NetworkDriver.DiscoverNew "$(jq -nc --arg a "$(node_ip "$other")" --argjson self \
            "$([ "$other" = "$node" ] && echo true || echo false)" \
            '{DiscoveryType: 1, DiscoveryData: {Address: $a, BindAddress: "0.0.0.0", Self: $self}}')" >/dev/null || return 1
    done
}

run_plugin() {
    local node=$1 flags
    mapfile -t flags < <("$ROOT/scripts/plugin-jvm-flags.sh" --no-cache "$WORK/javanet")
    JAVANET_LOG_LEVEL=info ip netns exec "jnen-$node" java "${flags[@]}" -jar "$JAR" serve --scope global \
        --socket "$(socket_of "$node")" --state-dir "$WORK/$node.state" --engine-socket "$WORK/no-engine.sock" \
        >>"$WORK/$node.log" 2>&1 &
    PIDS[$node]=$!
    eventually "$PLUGIN_START_SECONDS" node_answers_or_exited "$node" >/dev/null
    node_answers "$node" || { log "plugin on $node did not start:"; tail -20 "$WORK/$node.log" >&2; return 1; }
}

node_answers() { curl -sf --unix-socket "$(socket_of "$1")" -XPOST http://p/Plugin.Activate >/dev/null; }
node_answers_or_exited() { node_answers "$1" || ! kill -0 "${PIDS[$1]}" 2>/dev/null; }

stop_node() {
    [ -n "${PIDS[$1]:-}" ] || return 0
    kill "-${2:-TERM}" "${PIDS[$1]}" 2>/dev/null
    wait "${PIDS[$1]}" 2>/dev/null
    PIDS[$1]=
}

# network NAME SUBNET OPTIONS: AllocateNetwork on n1 (the manager), then CreateNetwork with its answer on every
# node, as swarm hands it; DeleteNetwork deferred.
network() {
    local id; id=$(docker_id "$1")
    local ipam="[{\"AddressSpace\":\"GlobalDefault\",\"Pool\":\"$2\",\"Gateway\":\"${2%.0/24}.1/24\"}]"
    call n1 NetworkDriver.AllocateNetwork "{\"NetworkID\":\"$id\",\"Options\":$3,\"IPv4Data\":$ipam,\"IPv6Data\":[]}" \
        >"$WORK/allocated-$1" || return 1
    local node body
    body=$(jq -c --arg id "$id" --argjson ipam "$ipam" '{NetworkID: $id, Options: {"com.docker.network.enable_ipv6": false,
        "com.docker.network.generic": .Options}, IPv4Data: $ipam, IPv6Data: []}' "$WORK/allocated-$1")
    for node in "${NODES[@]}"; do
        call "$node" NetworkDriver.CreateNetwork "$body" >/dev/null || return 1
        defer delete_network "$node" "$1"
    done
}

delete_network() { call "$1" NetworkDriver.DeleteNetwork "{\"NetworkID\":\"$(docker_id "$2")\"}"; }

# attach CONTAINER NODE NETWORK ADDRESS/PREFIX: CreateEndpoint and Join on the node, then Join's link moved into
# the container's namespace as eth-NETWORK, as dockerd does; the detach deferred.
attach() {
    local ctr=jnen-$1 node=$2 net; net=$(docker_id "$3")
    local ep; ep=$(docker_id "$1-$3")
    ip netns add "$ctr" 2>/dev/null && defer ip netns del "$ctr"
    call "$node" NetworkDriver.CreateEndpoint "{\"NetworkID\":\"$net\",\"EndpointID\":\"$ep\",\"Interface\":{\"Address\":\"$4\",\"AddressIPv6\":\"\",\"MacAddress\":\"\"},\"Options\":{}}" \
        >/dev/null || return 1
    defer detach "$1" "$node" "$3"
    call "$node" NetworkDriver.Join "{\"NetworkID\":\"$net\",\"EndpointID\":\"$ep\",\"SandboxKey\":\"/run/netns/$ctr\",\"Options\":{}}" \
        >"$WORK/join-$1" || return 1
    joined "jnen-$node" "$ctr" "$WORK/join-$1" "eth-$3" "$4"
}

detach() {
    local body; body=$(endpoint_body "$1" "$3")
    call "$2" NetworkDriver.Leave "$body" >/dev/null
    left "jnen-$2" "jnen-$1" "$WORK/join-$1" "eth-$3"
    call "$2" NetworkDriver.DeleteEndpoint "$body" >/dev/null
}

start_lab() {
    ip link add jnen-ul type bridge && ip link set jnen-ul up || return 1
    defer_suite ip link del jnen-ul
    local node
    for node in "${NODES[@]}"; do
        start_node "$node" || return 1
        defer_suite ip netns del "jnen-$node"
        # At once: a deleted namespace takes its links away only later.
        defer_suite ip link del "jnen-$node"
        defer_suite stop_node "$node"
    done
}

