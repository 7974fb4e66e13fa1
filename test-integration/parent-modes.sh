#!/usr/bin/env bash
# Macvlan and ipvlan networks end to end without Docker: the plugin served from the jar and driven over its
# socket with the calls dockerd makes, in the shapes of the captured Docker 20.10 calls
# (src/test/resources/fixtures/docker-20.10, default IPAM); network namespaces as the containers and as the
# parent's LAN. This script plays dockerd's part too: it moves the link
# Join names into the container as eth0, with its address and the routes Join gives, and back before
# DeleteEndpoint. It needs ipvlan and 802.1q, so scripts/test.sh runs it in test-integration/guest.sh.
# Usage: test-integration/parent-modes.sh (as root; run `mvn package` first)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PLUGIN=javanet-pm
WORK_IN=/run
LAN_PREFIX=jnpm
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=standin.sh
. "$here/standin.sh"
SUITE=parent-modes
PLUGIN_START_SECONDS=${PLUGIN_START_SECONDS:-120}
trap finish_parent_modes EXIT

# call METHOD JSON: one call to the plugin (standin.sh).
call() { plugin_call "$SOCKET" "$@"; }

# network NAME SUBNET GATEWAY GENERIC [internal]: CreateNetwork as dockerd sends it with its default IPAM
# (GATEWAY empty: none, as Docker 28 sends when GwAllocCheck says so); DeleteNetwork deferred.
network() {
    local body
    body=$(jq -nc --arg id "$(docker_id "$1")" --arg pool "$2" --arg gw "$3" --argjson generic "$4" --arg internal "${5:-}" \
        '{NetworkID: $id,
          Options: ({"com.docker.network.enable_ipv6": false, "com.docker.network.generic": $generic}
                    + (if $internal == "internal" then {"com.docker.network.internal": true} else {} end)),
          IPv4Data: [{AddressSpace: "LocalDefault", Pool: $pool}
                     + (if $gw == "" then {} else {Gateway: ($gw + "/" + ($pool | split("/")[1]))} end)],
          IPv6Data: []}')
    call NetworkDriver.CreateNetwork "$body" >/dev/null || return 1
    defer delete_network "$1"
}

delete_network() { call NetworkDriver.DeleteNetwork "{\"NetworkID\":\"$(docker_id "$1")\"}"; }

# container NAME: an empty network namespace jnpm-NAME, as a container's sandbox.
container() {
    ip netns add "jnpm-$1" || return 1
    defer ip netns del "jnpm-$1"
}

# attach CONTAINER NETWORK ADDRESS/PREFIX [DRIVER_OPTS]: CreateEndpoint (DRIVER_OPTS: a JSON object's members, as
# dockerd adds a container's driver-opts to its Options), Join and what dockerd does with Join's answer (eth0 in
# the container), then ProgramExternalConnectivity and EndpointOperInfo; the detach deferred.
attach() {
    local net; net=$(docker_id "$2")
    local ep; ep=$(docker_id "$1-$2")
    local options='"Options":{"com.docker.network.endpoint.exposedports":[],"com.docker.network.portmap":[]}'
    local created=${4:+${options%\}},$4\}}
    call NetworkDriver.CreateEndpoint "{\"NetworkID\":\"$net\",\"EndpointID\":\"$ep\",\"Interface\":{\"Address\":\"$3\",\"AddressIPv6\":\"\",\"MacAddress\":\"\"},${created:-$options}}" \
        >/dev/null || return 1
    defer detach "$1" "$2"
    call NetworkDriver.Join "{\"NetworkID\":\"$net\",\"EndpointID\":\"$ep\",\"SandboxKey\":\"/run/netns/jnpm-$1\",$options}" \
        >"$WORK/join-$1" || return 1
    joined "" "jnpm-$1" "$WORK/join-$1" eth0 "$3" || return 1
    call NetworkDriver.ProgramExternalConnectivity "$(endpoint_body "$1" "$2")" >/dev/null || return 1
    call NetworkDriver.EndpointOperInfo "$(endpoint_body "$1" "$2")" >/dev/null
}

# detach CONTAINER NETWORK: RevokeExternalConnectivity, Leave, the link back to the host as dockerd moves it,
# DeleteEndpoint.
detach() {
    local endpoint; endpoint=$(endpoint_body "$1" "$2")
    call NetworkDriver.RevokeExternalConnectivity "$endpoint" >/dev/null
    call NetworkDriver.Leave "$endpoint" >/dev/null
    left "" "jnpm-$1" "$WORK/join-$1" eth0
    call NetworkDriver.DeleteEndpoint "$endpoint" >/dev/null
}

# ns_reaches CONTAINER ADDRESS: a ping from the container's namespace is answered.
ns_reaches() { ip netns exec "jnpm-$1" busybox ping -c1 -W2 "$2" >/dev/null; }
# ns_unreachable CONTAINER ADDRESS: the container's namespace runs commands and has its eth0 up, yet a ping from
# it goes unanswered (busybox ping's exit status 1).
ns_unreachable() {
    ip -n "jnpm-$1" link show eth0 up | grep -q . || { echo "cannot look: no eth0 up in jnpm-$1"; return 1; }
    ip netns exec "jnpm-$1" busybox ping -c1 -W1 "$2"
    local status=$?
    [ "$status" -eq 1 ] || { echo "ping from $1 to $2: exit $status, expected 1 (no answer)"; return 1; }
}
eth0() { ip -n "jnpm-$1" -d -j link show eth0 | jq -r ".[0].$2"; }
default_route() { ip -n "jnpm-$1" -j route show default | jq -r 'if length == 0 then "none" else .[0] | "\(.gateway // "on-link") dev \(.dev)" end'; }

test_ipvlan_l2_containers_use_the_lans_gateway() {
    check "lan" lan l2 10.211.10
    check "network" network l2 10.211.10.0/24 10.211.10.1 '{"javanet.mode":"ipvlan","parent":"jnpm-l20"}'
    check "c1" container c1
    check "c2" container c2
    check "c1 attached" attach c1 l2 10.211.10.2/24
    check "c2 attached" attach c2 l2 10.211.10.3/24
    check "c1's eth0 is an ipvlan in l2 mode" is "$(eth0 c1 linkinfo.info_data.mode)" l2
    check "with its parent's MAC" is "$(eth0 c1 address)" "$(ip -j link show jnpm-l20 | jq -r '.[0].address')"
    check "its default route is the LAN's gateway" is "$(default_route c1)" "10.211.10.1 dev eth0"
    check "c1 reaches c2" ns_reaches c1 10.211.10.3
    check "c1 reaches the LAN's router" ns_reaches c1 10.211.10.1
    check "c1 reaches beyond the LAN through it" ns_reaches c1 198.51.100.1
    check "the LAN reaches c2" ip netns exec jnpm-l2 busybox ping -c1 -W2 10.211.10.3
}

# ns_mbits FROM TO_ADDRESS [-R]: the Mbit/s of payload a 3-second iperf3 client in namespace jnpm-FROM got to (or
# with -R, from) a server at TO_ADDRESS, as iperf3's receiver counts it.
ns_mbits() {
    ip netns exec "jnpm-$1" iperf3 -c "$2" -t 3 -O 1 -J "${@:3}" | received_mbits
}
# ns_faster_than MBITS ARGS...: ns_mbits ARGS above MBITS; ns_limited_to MBITS ARGS...: within 10 % of MBITS in
# frames (lib.sh's near).
ns_faster_than() { local m; m=$(ns_mbits "${@:2}") && echo "measured $m Mbit/s" && [ "$m" -gt "$1" ]; }
ns_limited_to() { local m; m=$(ns_mbits "${@:2}") && echo "measured $m Mbit/s of payload" && near "$m" "$1"; }

# An ipvlan is the container's own link: the plugin limits it in the container once the link is there, as
# dockerd moves it after Join.
test_ipvlan_bandwidth_limits_are_made_in_the_container() {
    check "lan" lan bw 10.211.70
    check "network" network bw 10.211.70.0/24 10.211.70.1 '{"javanet.mode":"ipvlan","parent":"jnpm-bw0"}'
    check "c1" container c1
    check "c2" container c2
    check "c2 attached" attach c2 bw 10.211.70.3/24
    check "an iperf3 server in c2" bash -c "ip netns exec jnpm-c2 iperf3 -s -D -B 10.211.70.3 >/dev/null"
    defer pkill -f "iperf3 -s -D -B 10.211.70.3"
    check "c1 attached unlimited" attach c1 bw 10.211.70.2/24
    check "  sends well above 100 Mbit/s" eventually 10 ns_faster_than 100 c1 10.211.70.3
    check "  receives well above 100 Mbit/s" ns_faster_than 100 c1 10.211.70.3 -R
    check "c3" container c3
    check "c3 attached, sending at most 20 Mbit/s and receiving at most 30" attach c3 bw 10.211.70.4/24 \
        '"javanet.egress_rate":"20mbit","javanet.ingress_rate":"30mbit"'
    check "  its eth0 shaped to 20 Mbit/s in the container" eventually 10 bash -c \
        "tc -n jnpm-c3 qdisc show dev eth0 | grep -q 'tbf .*rate 20Mbit'"
    check "  and policed to 30 Mbit/s" bash -c "tc -n jnpm-c3 -j filter show dev eth0 ingress \
        | jq -e '[.[] | select(.options.actions[0].kind == \"police\")] | length == 1' >/dev/null"
    check "  sends at 20 Mbit/s" ns_limited_to 20 c3 10.211.70.3
    check "  receives at 30 Mbit/s" ns_limited_to 30 c3 10.211.70.3 -R
}

test_ipvlan_l3_containers_route_through_the_parent() {
    check "lan" lan l3 10.211.20
    # The host's own address on the LAN, which its router uses as the way to the containers' subnet.
    check "host on the lan" ip addr add 10.211.20.254/24 dev jnpm-l30
    check "lan's route to the containers" ip -n jnpm-l3 route add 10.211.21.0/24 via 10.211.20.254
    check "network" network l3 10.211.21.0/24 "" '{"javanet.mode":"ipvlan","parent":"jnpm-l30","ipvlan_mode":"l3"}'
    check "c1" container c1
    check "c2" container c2
    check "c1 attached" attach c1 l3 10.211.21.2/24
    check "c2 attached" attach c2 l3 10.211.21.3/24
    check "c1's eth0 is an ipvlan in l3 mode" is "$(eth0 c1 linkinfo.info_data.mode)" l3
    check "Join gives no gateway" is "$(jq -r '.Gateway // "none"' "$WORK/join-c1")" none
    check "but an on-link default route" is "$(default_route c1)" "on-link dev eth0"
    check "c1 reaches c2" ns_reaches c1 10.211.21.3
    check "c1 reaches the LAN's router, routed by the host" ns_reaches c1 10.211.20.1
    check "the LAN reaches c2" ip netns exec jnpm-l3 busybox ping -c1 -W2 10.211.21.3
}

test_internal_ipvlan_networks_have_no_way_out() {
    check "lan for l2" lan i2 10.211.50
    check "lan for l3" lan i3 10.211.51
    check "host on the l3 lan" ip addr add 10.211.51.254/24 dev jnpm-i30
    check "its route to the l3 containers" ip -n jnpm-i3 route add 10.211.52.0/24 via 10.211.51.254
    check "internal l2 network" network i2 10.211.50.0/24 10.211.50.1 '{"javanet.mode":"ipvlan","parent":"jnpm-i20"}' internal
    check "internal l3 network" network i3 10.211.52.0/24 "" '{"javanet.mode":"ipvlan","parent":"jnpm-i30","ipvlan_mode":"l3"}' internal
    local c
    for c in a2 b2 a3 b3; do check "$c" container "$c"; done
    check "a2 attached" attach a2 i2 10.211.50.2/24
    check "b2 attached" attach b2 i2 10.211.50.3/24
    check "a3 attached" attach a3 i3 10.211.52.2/24
    check "b3 attached" attach b3 i3 10.211.52.3/24
    for c in a2 a3; do
        check "$c: Join gives neither gateway nor routes" is "$(jq -c '[.Gateway, .StaticRoutes]' "$WORK/join-$c")" '[null,null]'
        check "$c: no default route" is "$(default_route "$c")" none
    done
    check "l2: a2 reaches b2" ns_reaches a2 10.211.50.3
    check "l2: nothing beyond the LAN" ns_unreachable a2 198.51.100.1
    check "l3: a3 reaches b3" ns_reaches a3 10.211.52.3
    check "l3: not the LAN" ns_unreachable a3 10.211.51.1
}

# Tagged frames: the LAN's router sits on VLAN 20 only, so a container reaches it only through the VLAN parent.
test_vlan_parents_are_made_shared_removed_and_remade() {
    check "lan on VLAN 20" lan vl 10.211.30 20
    check "its second subnet" ip -n jnpm-vl addr add 10.211.31.1/24 dev jnpm-vl1.20
    check "network A on a missing VLAN parent" network va 10.211.30.0/24 10.211.30.1 '{"javanet.mode":"macvlan","parent":"jnpm-vl0.20"}'
    check "the parent made: 802.1q id 20 on jnpm-vl0" is \
        "$(ip -d -j link show jnpm-vl0.20 | jq -r '.[0] | "\(.link) \(.linkinfo.info_data.protocol) \(.linkinfo.info_data.id) \(.operstate)"')" \
        "jnpm-vl0 802.1Q 20 UP"
    check "network B on the same parent" network vb 10.211.31.0/24 10.211.31.1 '{"javanet.mode":"macvlan","parent":"jnpm-vl0.20"}'
    check "c1" container c1
    check "c2" container c2
    check "c1 on A" attach c1 va 10.211.30.2/24
    check "c2 on B" attach c2 vb 10.211.31.2/24
    check "c1 reaches the router over VLAN 20" ns_reaches c1 10.211.30.1
    check "c2 reaches it too" ns_reaches c2 10.211.31.1
    check "c1 detached" detach c1 va
    check "network A removed" delete_network va
    check "the parent stays for B" ip link show jnpm-vl0.20
    check "c2 still reaches the router" ns_reaches c2 10.211.31.1
    check "c2 detached" detach c2 vb
    # A reboot or an admin takes the VLAN while we are down.
    stop_plugin KILL
    check "parent deleted behind our back" ip link del jnpm-vl0.20
    check "plugin restarted" start_plugin
    check "reconciliation made the parent again" is "$(ip -d -j link show jnpm-vl0.20 | jq -r '.[0].linkinfo.info_data.id')" 20
    check "c3" container c3
    check "c3 on B" attach c3 vb 10.211.31.3/24
    check "c3 reaches the router" ns_reaches c3 10.211.31.1
    check "c3 detached" detach c3 vb
    check "network B removed" delete_network vb
    check "the parent went with the last network" no_link jnpm-vl0.20
    check "the LAN's own link untouched" ip link show jnpm-vl0
}

# macvlan_mode NAME PREFIX MODE: a LAN and a network of that macvlan mode on it, with c1 and c2 attached.
macvlan_lan() {
    check "lan" lan "$1" "$2"
    check "$3 network" network "$1" "$2.0/24" "$2.1" "{\"javanet.mode\":\"macvlan\",\"parent\":\"jnpm-${1}0\",\"macvlan_mode\":\"$3\"}"
    check "c1" container c1
    check "c1 attached" attach c1 "$1" "$2.2/24"
    check "c1's eth0 is a macvlan in $3 mode" is "$(eth0 c1 linkinfo.info_data.mode)" "$3"
    check "c1 reaches the LAN" ns_reaches c1 "$2.1"
}

test_macvlan_modes() {
    macvlan_lan mb 10.211.60 bridge
    check "c2" container c2
    check "c2 attached" attach c2 mb 10.211.60.3/24
    check "bridge: c1 reaches c2 within the host" ns_reaches c1 10.211.60.3
    run_cleanup

    macvlan_lan mp 10.211.61 private
    check "c2" container c2
    check "c2 attached" attach c2 mp 10.211.61.3/24
    check "private: c1 does not reach c2" ns_unreachable c1 10.211.61.3
    check "private: the LAN reaches c2" ip netns exec jnpm-mp busybox ping -c1 -W2 10.211.61.3
    run_cleanup

    # VEPA sends c1's frames for c2 out to the LAN: they come back only from a switch that hairpins them.
    macvlan_lan mv 10.211.62 vepa
    check "c2" container c2
    check "c2 attached" attach c2 mv 10.211.62.3/24
    check "vepa: without a hairpin c1 does not reach c2" ns_unreachable c1 10.211.62.3
    check "a hairpinning switch on the LAN" bash -c 'ip -n jnpm-mv link add sw0 type bridge &&
        ip -n jnpm-mv addr flush dev jnpm-mv1 && ip -n jnpm-mv link set jnpm-mv1 master sw0 &&
        ip -n jnpm-mv link set sw0 up && ip -n jnpm-mv addr add 10.211.62.1/24 dev sw0 &&
        ip netns exec jnpm-mv bridge link set dev jnpm-mv1 hairpin on'
    check "vepa: through it, c1 reaches c2" eventually ns_reaches c1 10.211.62.3
    run_cleanup

    macvlan_lan mt 10.211.63 passthru
    check "passthru: the container holds the parent's one macvlan" \
        is "$(eth0 c1 address)" "$(ip -j link show jnpm-mt0 | jq -r '.[0].address')"
    check "c2" container c2
    check "passthru: a second endpoint is refused" expect_fail_with "EINVAL" attach c2 mt 10.211.63.3/24
}

# Counted as one more check: no row of the state left once every network is gone.
check_state_is_empty() {
    local rows
    rows=$(sqlite3 "$STATE/$PLUGIN.db" "select (select count(*) from networks)||' '||(select count(*) from endpoints)")
    if [ "$rows" = "0 0" ]; then
        PASSED=$((PASSED + 1)); log "--- no network or endpoint left in the state: ok"
    else
        FAILED=$((FAILED + 1)); FAILURES+=(state); log "--- left in the state (networks endpoints): $rows"
    fi
}

finish_parent_modes() {
    run_cleanup
    [ -f "$WORK/host.before" ] && { check_host_is_clean; check_state_is_empty; }
    stop_plugin TERM
    if [ "$FAILED" -gt 0 ]; then
        log "failed: ${FAILURES[*]}"; log "plugin log, last lines:"; tail -30 "$PLUGIN_LOG" >&2
    fi
    rm -rf "$WORK"
    echo "$SUITE@linux-$(uname -r): $PASSED passed, $FAILED failed"
    # The status of the EXIT trap's caller is the last command's (a test filtered out, say): said here.
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}

remember_host
start_plugin || { FAILED=1; FAILURES+=(start_plugin); exit 1; }
# Arguments: only the tests whose names hold one of them.
selected() {
    local t=$1 pattern; shift
    [ $# -eq 0 ] && return 0
    for pattern in "$@"; do [[ $t == *"$pattern"* ]] && return 0; done
    return 1
}
for t in $(tests); do
    selected "$t" "$@" && run_test "$t"
done
