#!/usr/bin/env bash
# The differential suite: every case makes the same network with Docker's own `bridge` driver and with javanet on
# the same engine, with the same options, the same subnet and the same containers, one driver after the other,
# runs the same probes on both and compares. A case passes when javanet does what Docker's bridge does, or when
# javanet refuses the option with an error naming it. One line per case shows both drivers' results and the
# verdict; a case whose option the engine's own bridge lacks says so and is not counted.
# Usage: test-integration/differential.sh [PATTERN]   (as root; builds nothing, run `mvn package` first)
#
# Probes (each case picks the ones that matter, plus the interface and bridge ones):
#   icc      a second container pings the first
#   out      the first fetches a page from a LAN namespace, which answers with the source address it saw: host (the
#            host's LAN address: masqueraded), host2 (the host's second LAN address), self (the container's own)
#   out6     the same over IPv6
#   pub      from the LAN, the published port on the host's LAN address
#   d80 d81  from the LAN (it routes 10.211.0.0/16 via the host), the container's address directly: the published
#            container port 80, the unpublished port 81; d6-80 d6-81 the same over IPv6
#   lo       the published port on 127.0.0.1, from the host
#   if       the container's interfaces (ip -o link inside, lo left out)
#   br       the bridge the container's veth is on (own: br-ID or jn-ID, the network's default) and its IPv4
#            addresses; br6 its global IPv6 addresses
#   mtu      the MTU inside the container;  sysctl  its interface's log_martians
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
require_setup differential
SUITE=differential
trap finish EXIT

LAN=df-lan                       # the LAN's namespace; df-lan0 is the host's end of its link, df-lan1 the LAN's
HOST_LAN=10.211.250.1            # the host on the LAN (primary address: what masquerading picks)
HOST_LAN2=10.211.250.3           # a second address of the host there (the host_ipv4 case)
LAN_ADDR=10.211.250.2
HOST_LAN6=fd00:211:250::1
HOST_LAN62=fd00:211:250::3           # deprecated (preferred_lft 0): never a source the kernel picks itself
LAN_ADDR6=fd00:211:250::2
NET=df-n

# --- host conditions: set here (lib.sh's host_forwarding, and IPv6 forwarding), put back when the suite ends ---

host_conditions() {
    local forward6
    forward6=$(sysctl -n net.ipv6.conf.all.forwarding) || return 1
    defer_suite sysctl -qw net.ipv6.conf.all.forwarding="$forward6"
    host_forwarding DROP defer_suite >&2 && sysctl -qw net.ipv6.conf.all.forwarding=1
}

# --- the LAN: a namespace behind a veth, the host holding addresses there; it routes the containers' subnets via
# the host, and serves a page that names the address each request came from ------------------------------------

lan_up() {
    ip netns add "$LAN" || return 1
    defer_suite ip netns del "$LAN"
    ip link add df-lan0 type veth peer name df-lan1 netns "$LAN" || return 1
    defer_suite ip link del df-lan0
    ip addr add "$HOST_LAN/24" dev df-lan0 && ip addr add "$HOST_LAN2/24" dev df-lan0 &&
        ip addr add "$HOST_LAN6/64" dev df-lan0 nodad && ip addr add "$HOST_LAN62/64" dev df-lan0 nodad preferred_lft 0 &&
        ip link set df-lan0 up || return 1
    ip -n "$LAN" link set lo up && ip -n "$LAN" link set df-lan1 up &&
        ip -n "$LAN" addr add "$LAN_ADDR/24" dev df-lan1 && ip -n "$LAN" addr add "$LAN_ADDR6/64" dev df-lan1 nodad &&
        ip -n "$LAN" route add 10.211.0.0/16 via "$HOST_LAN" && ip -n "$LAN" route add fd00:211::/32 via "$HOST_LAN6" ||
        return 1
    mkdir -p "$WORK/lan/cgi-bin"
    cat >"$WORK/lan/cgi-bin/peer" <<'EOF'
#!/bin/sh
a=${REMOTE_ADDR#[}; a=${a%]}; a=${a#::ffff:}
printf 'Content-Type: text/plain\r\n\r\n%s\n' "$a"
EOF
    chmod +x "$WORK/lan/cgi-bin/peer"
    ip netns exec "$LAN" busybox httpd -f -p 8000 -h "$WORK/lan" &
    defer_suite kill $!
    eventually 10 lan_answers && ip netns exec "$LAN" busybox ping -c1 -W2 "$HOST_LAN" >/dev/null &&
        ip netns exec "$LAN" busybox ping -6 -c1 -W2 "$HOST_LAN6" >/dev/null
}

# lan_answers: the LAN's page answers the host with the host's address (what every "out" probe relies on).
lan_answers() {
    [ "$(busybox timeout 3 busybox wget -qO- "http://$LAN_ADDR:8000/cgi-bin/peer")" = "$HOST_LAN" ] &&
        [ "$(busybox timeout 3 busybox wget -qO- "http://[$LAN_ADDR6]:8000/cgi-bin/peer")" = "$HOST_LAN6" ]
}

# --- probes ------------------------------------------------------------------------------------------------------

# serves CTR: the container's httpd answers on 80 and 81 from inside it.
serves() {
    [ "$(docker exec "$1" sh -c 'wget -qO- http://127.0.0.1:80/; wget -qO- http://127.0.0.1:81/' | grep -c 'javanet test page')" = 2 ]
}

ok_no() { if "$@" >/dev/null 2>&1; then echo ok; else echo no; fi; }

# from_lan ADDRESS PORT: the LAN gets the test page from ADDRESS:PORT.
from_lan() {
    local host=$1; [[ $host == *:* ]] && host="[$host]"
    ip netns exec "$LAN" busybox sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 1 $1 $2" 2>/dev/null |
        grep -q 'javanet test page'
}

# seen_from CTR ADDRESS SELF: what the LAN saw as the source of CTR's request, in words.
# (busybox 1.35's wget -T crashes: timeout bounds it instead)
seen_from() {
    local host=$2; [[ $host == *:* ]] && host="[$host]"
    local seen; seen=$(docker exec "$1" timeout 3 wget -qO- "http://$host:8000/cgi-bin/peer" 2>/dev/null)
    case $seen in
        "") echo no ;;
        "$HOST_LAN" | "$HOST_LAN6") echo host ;;
        "$HOST_LAN2" | "$HOST_LAN62") echo host2 ;;
        "$3") echo self ;;
        *) echo "$seen" ;;
    esac
}

# bridge_of CTR IF ID: the bridge the container's veth is on, "own" where it is the network's default name.
bridge_of() {
    local iflink master
    iflink=$(docker exec "$1" cat "/sys/class/net/$2/iflink") || { echo none; return; }
    master=$(ip -j link show | jq -r --argjson i "$iflink" '.[] | select(.ifindex == $i) | .master // "none"')
    case $master in
        "br-${3:0:12}" | "jn-${3:0:12}") echo "own" ;;
        *) echo "${master:-none}" ;;
    esac
}

# link_of_bridge MASTER DRIVER ID: the link name bridge_of's answer stands for.
link_of_bridge() {
    if [ "$1" != own ]; then echo "$1"
    elif [ "$2" = bridge ]; then echo "br-${3:0:12}"
    else echo "jn-${3:0:12}"; fi
}

# addrs_on LINK FAMILY: the link's addresses of that family (global scope), comma separated, or none.
addrs_on() {
    local a
    a=$(ip -j "-$2" addr show dev "$1" scope global 2>/dev/null | jq -r '[(.[0].addr_info // [])[] | select(.local) | "\(.local)/\(.prefixlen)"] | join(",")')
    echo "${a:-none}"
}

# refusal: what the failed command said ($WORK/err) on one line, without the ID docker run prints first.
refusal() { grep -vxE '[0-9a-f]{64}' "$WORK/err" | tr '\n' ' '; }

# excerpt TEXT KEY: up to 160 characters of a refusal, from the option key on where it names it.
excerpt() {
    local text=$1
    [ -z "$2" ] || [[ $text != *"$2"* ]] || text="…${2}${text#*"$2"}"
    cut -c1-160 <<<"$text"
}

# --- one case on one driver ----------------------------------------------------------------------------------------

# side DRIVER: the case's network (CASE_ARGS) made with DRIVER, its containers on it, the probes (CASE_PROBES)
# run; SIDE_RESULT gets the results ("key=value" words), or "refused" with SIDE_ERROR the refusal's text. Everything
# is removed before it returns: the other driver makes the same network next.
side() {
    local driver=$1 n=$CASE_N port=$((28200 + CASE_N)) saved=("${CLEANUP[@]}")
    CLEANUP=()
    SIDE_RESULT= SIDE_ERROR=
    side_run "$driver" "$n" "$port"
    run_cleanup
    CLEANUP=("${saved[@]}")
}

side_run() {
    local driver=$1 n=$2 port=$3 spec=$NET opt id ipa ipa6= ifs if1 master probe
    if ! docker network create -d "$driver" --subnet "10.211.$n.0/24" "${CASE_ARGS[@]}" "$NET" >"$WORK/err" 2>&1; then
        SIDE_RESULT=refused SIDE_ERROR=$(refusal); return
    fi
    defer docker network rm "$NET"
    for opt in "${CASE_EP[@]}"; do spec+=",driver-opt=$opt"; done
    [ ${#CASE_EP[@]} -eq 0 ] || spec="name=$spec"
    defer docker rm -f df-a
    if ! docker run -d --name df-a --net "$spec" -p "$port:80" "$IMAGE" \
        sh -c 'httpd -p 81 -h /var/www; exec httpd -f -p 80 -h /var/www' >"$WORK/err" 2>&1; then
        SIDE_RESULT="refused at run" SIDE_ERROR=$(refusal); return
    fi
    check "$driver: the container's web server answers inside it" eventually 10 serves df-a
    id=$(docker network inspect -f '{{.Id}}' "$NET")
    ipa=$(ip_of df-a "$NET")
    [[ " ${CASE_ARGS[*]} " == *" --ipv6 "* ]] && ipa6=$(ip6_of df-a "$NET")
    ifs=$(docker exec df-a ip -o link | awk -F': ' '$2 != "lo" {sub(/@.*/, "", $2); print $2}' | paste -sd, -)
    if1=${ifs%%,*}
    check "$driver: the container has an interface" test -n "$if1"
    check "$driver: the container has an address" test -n "$ipa"
    [[ " ${CASE_ARGS[*]} " != *" --ipv6 "* ]] || check "$driver: the container has an IPv6 address" test -n "$ipa6"
    local -a r=()
    for probe in $CASE_PROBES; do
        case $probe in
            icc)
                check "$driver: a second container" ctr df-b --net "$NET"
                check "$driver: which answers an exec" docker exec df-b true
                r+=("icc=$(ok_no docker exec df-b ping -c1 -W1 "$ipa")") ;;
            out) r+=("out=$(seen_from df-a "$LAN_ADDR" "$ipa")") ;;
            out6) r+=("out6=$(seen_from df-a "$LAN_ADDR6" "$ipa6")") ;;
            pub) r+=("pub=$(ok_no from_lan "$HOST_LAN" "$port")") ;;
            d80) r+=("d80=$(ok_no from_lan "$ipa" 80)") ;;
            d81) r+=("d81=$(ok_no from_lan "$ipa" 81)") ;;
            d6-80) r+=("d6-80=$(ok_no from_lan "$ipa6" 80)") ;;
            d6-81) r+=("d6-81=$(ok_no from_lan "$ipa6" 81)") ;;
            lo) r+=("lo=$(ok_no http_get 127.0.0.1 "$port")") ;;
            if) r+=("if=$ifs") ;;
            br)
                master=$(bridge_of df-a "$if1" "$id")
                r+=("br=$master:$(addrs_on "$(link_of_bridge "$master" "$driver" "$id")" 4)") ;;
            br6)
                master=$(bridge_of df-a "$if1" "$id")
                r+=("br6=$(addrs_on "$(link_of_bridge "$master" "$driver" "$id")" 6)") ;;
            mtu) r+=("mtu=$(docker exec df-a cat "/sys/class/net/$if1/mtu")") ;;
            sysctl) r+=("log_martians=$(docker exec df-a cat "/proc/sys/net/ipv4/conf/$if1/log_martians")") ;;
        esac
    done
    SIDE_RESULT=${r[*]}
}

# --- one case on both drivers ----------------------------------------------------------------------------------------

# differ LABEL SINCE N PROBES [NETWORK_ARG...] [-- ENDPOINT_OPT...]: the case LABEL, which Docker's bridge has since
# engine SINCE (- for always), on subnet 10.211.N.0/24 (host port 28200+N), run on both drivers with the probes
# PROBES; the option under test is the last -o, or the first endpoint option. POLICY (default DROP) is the FORWARD
# policy the probes run under. With DRY set, it only names the case (CASE_LABEL, CASE_SINCE) for the runner.
differ() {
    CASE_LABEL=$1 CASE_SINCE=$2 CASE_N=$3 CASE_PROBES=$4; shift 4
    [ -z "${DRY:-}" ] || return 0
    CASE_ARGS=() CASE_EP=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do CASE_ARGS+=("$1"); shift; done
    [ "${1:-}" != -- ] || { shift; CASE_EP=("$@"); }
    local key= i
    for ((i = 0; i < ${#CASE_ARGS[@]}; i++)); do
        [ "${CASE_ARGS[$i]}" = -o ] && key=${CASE_ARGS[$((i + 1))]%%=*}
    done
    [ ${#CASE_EP[@]} -eq 0 ] || key=${CASE_EP[0]%%=*}
    local policy=${POLICY:-DROP}
    iptables -P FORWARD "$policy"

    side bridge
    local dres=$SIDE_RESULT derr=$SIDE_ERROR
    side "$PLUGIN"
    local jres=$SIDE_RESULT jerr=$SIDE_ERROR
    check "the FORWARD policy stayed $policy throughout" is "$(iptables -S FORWARD | awk '$1 == "-P" {print $3}')" "$policy"
    iptables -P FORWARD DROP

    local verdict pass=no diff=
    if [[ $jres == refused* ]]; then
        if [ -n "$key" ] && [[ $jerr == *"$key"* ]]; then
            verdict="refused by name"; pass=yes
        elif [[ $dres == refused* ]]; then
            verdict="same (both refuse)"; pass=yes
        else
            verdict="DIFFERENT (javanet refused without naming ${key:-anything}: $jerr)"
        fi
        jres="$jres: $(excerpt "$jerr" "$key")"
    elif [[ $dres == refused* ]]; then
        verdict="DIFFERENT (Docker's bridge refuses, javanet does not)"
    else
        diff=$(diff <(tr ' ' '\n' <<<"$dres") <(tr ' ' '\n' <<<"$jres") | sed -n 's/^< \([^=]*\)=.*/\1/p' | paste -sd, -)
        if [ "$CASE_LABEL" != "${CASE_LABEL#baseline}" ] && [[ " $jres " == *" d81=ok "* ]]; then
            # Closed to the LAN on every engine, whatever 20.10's bridge does (moby#48724 closed it in 28.0).
            verdict="DIFFERENT (javanet leaves the unpublished port open to the LAN${diff:+; also differs: $diff})"
        elif [ -z "$diff" ]; then
            verdict=same; pass=yes
        elif [ -n "${STRICTER:-}" ] && ! version_at_least "$(engine_version)" 28.0 &&
            stricter_only "$diff" "$jres" "$STRICTER"; then
            # Direct routed access from the LAN to a container's address: Docker 28.0 closed it for unpublished
            # ports (moby#48724) and for the container ports of published ones in nat mode (moby 27adcd5), and so
            # for the replies to a container whose traffic is not masqueraded; javanet closes it on every engine.
            verdict="deliberately stricter than $(engine_version)'s bridge ($diff)"; pass=yes
        else
            verdict="DIFFERENT ($diff)"
        fi
    fi
    [[ $dres == refused* ]] && dres="$dres: $(excerpt "$derr" "$key")"
    printf '%-40s | bridge: %s | javanet: %s | %s\n' "$CASE_LABEL" "$dres" "$jres" "$verdict"
    check "$CASE_LABEL: $verdict" test "$pass" = yes
}

# stricter_only DIFF JAVANET PROBES: the probes that differ (DIFF) are only among PROBES, the case's direct access
# from the LAN (d80, d81; out, the replies to an unmasqueraded container), which javanet's results (JAVANET) show
# closed.
stricter_only() {
    local probe
    for probe in ${1//,/ }; do
        [[ " $3 " == *" $probe "* && " $2 " == *" $probe=no "* ]] || return 1
    done
}

# version_at_least VERSION MIN: VERSION (20.10.24) is MIN (27.0) or later.
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

# --- the cases, in the order of Docker's bridge-driver documentation ---------------------------------------------

B=com.docker.network.bridge

test_baseline_forward_accept() {
    STRICTER="d80 d81" POLICY=ACCEPT differ "baseline (FORWARD ACCEPT)" - 1 "icc out pub d80 d81 lo if br mtu"
}
test_baseline_forward_drop() {
    STRICTER="d80 d81" POLICY=DROP differ "baseline (FORWARD DROP)" - 2 "icc out pub d80 d81 lo if br mtu"
}
test_bridge_name() {
    differ "bridge.name=df-br0" - 3 "out if br" -o "$B.name=df-br0"
}
test_driver_mtu() {
    differ "driver.mtu=1400" - 4 "if br mtu" -o com.docker.network.driver.mtu=1400
}
test_enable_icc() {
    differ "bridge.enable_icc=false" - 5 "icc out if br" -o "$B.enable_icc=false"
}
test_enable_ip_masquerade() {
    STRICTER=out differ "bridge.enable_ip_masquerade=false" - 6 "out if br" -o "$B.enable_ip_masquerade=false"
}
test_host_binding_ipv4() {
    differ "bridge.host_binding_ipv4=127.0.0.1" - 7 "pub lo if br" -o "$B.host_binding_ipv4=127.0.0.1"
}
test_container_iface_prefix() {
    differ "container_iface_prefix=jnx" - 8 "if br" -o com.docker.network.container_iface_prefix=jnx
}
test_inhibit_ipv4() {
    differ "bridge.inhibit_ipv4=true" - 9 "out if br" -o "$B.inhibit_ipv4=true"
}
test_host_ipv4() {
    differ "host_ipv4=$HOST_LAN2" - 10 "out if br" -o "com.docker.network.host_ipv4=$HOST_LAN2"
}
test_host_ipv6() {
    differ "host_ipv6=$HOST_LAN62 (--ipv6)" 25.0 11 "out6 out if br br6" \
        --ipv6 --subnet fd00:211:11::/64 -o "com.docker.network.host_ipv6=$HOST_LAN62"
}
test_gateway_mode_ipv4_nat() {
    differ "bridge.gateway_mode_ipv4=nat" 27.0 12 "out pub d80 d81 if br" -o "$B.gateway_mode_ipv4=nat"
}
test_gateway_mode_ipv4_nat_unprotected() {
    differ "bridge.gateway_mode_ipv4=nat-unprotected" 28.0 13 "out pub d80 d81 if br" \
        -o "$B.gateway_mode_ipv4=nat-unprotected"
}
test_gateway_mode_ipv4_routed() {
    differ "bridge.gateway_mode_ipv4=routed" 27.0 14 "out pub d80 d81 if br" -o "$B.gateway_mode_ipv4=routed"
}
test_gateway_mode_ipv4_isolated() {
    differ "bridge.gateway_mode_ipv4=isolated (--internal)" 28.0 15 "out d80 if br" \
        --internal -o "$B.gateway_mode_ipv4=isolated"
}
test_gateway_mode_ipv6_routed() {
    differ "bridge.gateway_mode_ipv6=routed (--ipv6)" 27.0 16 "out6 d6-80 d6-81 out if br br6" \
        --ipv6 --subnet fd00:211:16::/64 -o "$B.gateway_mode_ipv6=routed"
}
test_gateway_mode_ipv6_nat() {
    differ "bridge.gateway_mode_ipv6=nat (--ipv6)" 27.0 21 "out6 d6-80 d6-81 if br br6" \
        --ipv6 --subnet fd00:211:21::/64 -o "$B.gateway_mode_ipv6=nat"
}
test_gateway_mode_ipv6_nat_unprotected() {
    differ "bridge.gateway_mode_ipv6=nat-unprotected (--ipv6)" 28.0 22 "out6 d6-80 d6-81 if br br6" \
        --ipv6 --subnet fd00:211:22::/64 -o "$B.gateway_mode_ipv6=nat-unprotected"
}
test_gateway_mode_ipv6_isolated() {
    differ "bridge.gateway_mode_ipv6=isolated (--ipv6 --internal)" 28.0 23 "out6 d6-80 if br br6" \
        --ipv6 --internal --subnet fd00:211:23::/64 -o "$B.gateway_mode_ipv6=isolated"
}
test_trusted_host_interfaces() {
    differ "bridge.trusted_host_interfaces=df-lan0" 28.2 17 "pub d80 d81 if br" -o "$B.trusted_host_interfaces=df-lan0"
}
# Never without a bridge name: Docker's bridge then takes docker0, the engine's own default bridge, and readdresses
# it. With a name no link has, Docker's bridge refuses (it makes no default bridge of another name).
test_default_bridge() {
    differ "bridge.default_bridge=true (named df-brd)" - 18 "if br" -o "$B.name=df-brd" -o "$B.default_bridge=true"
}
test_endpoint_ifname() {
    differ "endpoint.ifname=app0 (docker run)" 28.0 19 "if br" -- com.docker.network.endpoint.ifname=app0
}
test_endpoint_sysctls() {
    differ "endpoint.sysctls log_martians=1 (docker run)" 27.0 20 "sysctl if br" \
        -- com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.log_martians=1
}

# --- the run -------------------------------------------------------------------------------------------------------

remember_host
start_plugin || { FAILED=1; FAILURES+=(start_plugin); exit 1; }
host_conditions || { FAILED=1; FAILURES+=(host_conditions); exit 1; }
lan_up || { FAILED=1; FAILURES+=(lan_up); exit 1; }
engine=$(engine_version)
for t in $(tests "${1:-.}"); do
    DRY=yes "$t"
    if [ "$CASE_SINCE" != - ] && ! version_at_least "$engine" "$CASE_SINCE"; then
        printf '%-40s | not counted: engine lacks it (Docker %s; its bridge has it since %s)\n' "$CASE_LABEL" "$engine" "$CASE_SINCE"
        continue
    fi
    run_test "$t"
done
