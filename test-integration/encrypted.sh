#!/usr/bin/env bash
# Encrypted overlay networks (--opt encrypted) end to end without Docker: two nodes of a swarm as network
# namespaces, each running the plugin as a global-scope install driven as dockerd does (overlay-nodes.sh), with
# network namespaces as the containers. On a kernel with WireGuard (scripts/test.sh runs it in
# test-integration/guest.sh) traffic crosses encrypted; on one without, the network is refused by name.
# Usage: test-integration/encrypted.sh (as root; run `mvn package` first)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PLUGIN=javanet-enc
WORK_IN=/run
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=overlay-nodes.sh
. "$here/overlay-nodes.sh"
SUITE=encrypted
PLUGIN_START_SECONDS=${PLUGIN_START_SECONDS:-180}
trap finish_encrypted EXIT
# A write to a connection whose client died fails the check that follows, rather than ending the suite.
trap '' PIPE

for tool in wg tcpdump ping socat; do
    command -v "$tool" >/dev/null || need_packages+=("$tool")
done
if [ -n "${need_packages[*]:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wireguard-tools tcpdump iputils-ping socat \
        >/dev/null || exit 1
fi

ns_reaches() { ip netns exec "jnen-$1" ping -c1 -W2 "$2" >/dev/null; }
# reaches_full_size CONTAINER ADDRESS LINK: a ping of the link's MTU, not to be fragmented, is answered.
reaches_full_size() {
    local mtu; mtu=$(ip -n "jnen-$1" -j link show "$3" | jq -r '.[0].mtu')
    ip netns exec "jnen-$1" ping -c1 -W3 -M do -s $((mtu - 28)) "$2"
}
# too_big_for CONTAINER ADDRESS LINK: one byte over the MTU is refused at the sender, not sent in pieces.
too_big_for() {
    local mtu; mtu=$(ip -n "jnen-$1" -j link show "$3" | jq -r '.[0].mtu')
    expect_fail_with "message too long" ip netns exec "jnen-$1" ping -c1 -W3 -M do -s $((mtu - 27)) "$2"
}
# ns_unanswered CONTAINER ADDRESS LINK: the link is up and the container runs commands, yet its ping gets no answer.
ns_unanswered() {
    ip -n "jnen-$1" link show "$3" up | grep -q . || { echo "cannot look: no $3 up in jnen-$1"; return 1; }
    ip netns exec "jnen-$1" ping -c2 -W2 "$2"
    local status=$?
    [ "$status" -eq 1 ] || { echo "ping from $1 to $2: exit $status, expected 1 (no answer)"; return 1; }
}

# tcp_stream FROM TO ADDRESS BYTES: BYTES sent over one TCP connection arrive whole (socat: busybox nc stops
# short of a large input).
tcp_stream() {
    ip netns exec "jnen-$2" socat -u TCP-LISTEN:5100,reuseaddr CREATE:"$WORK/stream" &
    local server=$!
    eventually 20 listening "$2" 5100 || return 1
    head -c "$4" /dev/urandom >"$WORK/sent"
    ip netns exec "jnen-$1" socat -u OPEN:"$WORK/sent" TCP:"$3":5100
    wait "$server"
    cmp "$WORK/sent" "$WORK/stream"
}

captured() { tcpdump -r "$1" 2>/dev/null | wc -l; }
captured_at_least() { [ "$(captured "$2")" -ge "$1" ]; }

# listening CONTAINER PORT: a TCP server listens on PORT in the container.
listening() { ip netns exec "jnen-$1" ss -Hltn "sport = :$2" | grep -q .; }

# capture_shows TEXT FROM TO ADDRESS: TEXT, sent from container FROM to TO (cN, on node nN) over TCP, is in a
# capture of the underlay at TO's node (fails when it is not); the capture first shows it saw the packets.
capture_shows() {
    local text=$1 pcap=$WORK/capture.pcap
    rm -f "$pcap"
    timeout 60 tcpdump -Z root -U -i "jnen-n${3#c}" -w "$pcap" udp 2>"$WORK/tcpdump.err" &
    local dump=$!
    eventually 20 grep -q 'listening on' "$WORK/tcpdump.err" || return 1
    ip netns exec "jnen-$3" busybox nc -l -p 5101 >"$WORK/received" &
    local server=$!
    eventually 20 listening "$3" 5101 || return 1
    echo "$text" | ip netns exec "jnen-$2" busybox nc -w 5 "$4" 5101
    wait "$server"
    grep -q "$text" "$WORK/received" || { echo "the receiver did not get the text"; return 1; }
    # The connection's packets each way (handshake, text, ends) are written as they come (-U): wait for them.
    eventually 30 captured_at_least 6 "$pcap"
    kill -INT "$dump"; wait "$dump"
    local packets; packets=$(captured "$pcap")
    [ "$packets" -ge 6 ] || { echo "cannot look: the capture holds $packets packets"; return 1; }
    grep -aq "$text" "$pcap" || { echo "not in the clear in $packets packets on the underlay"; return 1; }
}

private_key() { ip netns exec "jnen-$1" wg show jnwg0 private-key; }
key_changed() { [ "$(private_key "$1")" != "$2" ]; }
peers_of() { ip netns exec "jnen-$1" wg show jnwg0 peers | wc -l; }
# node_lacks NODE PATTERN: the node's links, listed, show none matching.
node_lacks() { lacks "$2" ip -n "jnen-$1" -o link show; }

test_encrypted_overlay_carries_traffic_encrypted_beside_a_clear_one() {
    check "encrypted network" network sec 10.214.0.0/24 '{"encrypted":""}'
    check "clear network" network clr 10.215.0.0/24 '{}'
    check "c1 on n1, both networks" attach c1 n1 sec 10.214.0.2/24
    check "c1 on clr" attach c1 n1 clr 10.215.0.2/24
    check "c2 on n2, both networks" attach c2 n2 sec 10.214.0.3/24
    check "c2 on clr" attach c2 n2 clr 10.215.0.3/24
    check "n1 has its WireGuard device, n2 as its peer" is "$(peers_of n1)" 1
    check "the encrypted MTU is 150 below the underlay's" is "$(ip -n jnen-c1 -j link show eth-sec | jq -r '.[0].mtu')" 1350
    check "c1 reaches c2, encrypted" ns_reaches c1 10.214.0.3
    check "a full-size ping crosses unfragmented" reaches_full_size c1 10.214.0.3 eth-sec
    check "a byte more is refused at the sender" too_big_for c1 10.214.0.3 eth-sec
    check "a 4 MB TCP stream crosses whole" tcp_stream c1 c2 10.214.0.3 4194304
    check "c1 reaches c2 in the clear too" ns_reaches c1 10.215.0.3
    check "the clear network's payload shows on the underlay" capture_shows JAVANET-KNOWN-TEXT-1 c1 c2 10.215.0.3
    check "the encrypted network's does not" expect_fail_with "not in the clear" \
        capture_shows JAVANET-KNOWN-TEXT-2 c1 c2 10.214.0.3
}

test_a_wrong_key_carries_nothing_and_rotation_keeps_a_tcp_connection() {
    check "encrypted network" network rot 10.216.0.0/24 '{"encrypted":""}'
    check "c1 on n1" attach c1 n1 rot 10.216.0.2/24
    check "c2 on n2" attach c2 n2 rot 10.216.0.3/24
    check "c1 reaches c2" ns_reaches c1 10.216.0.3
    # One TCP connection, open across the rotation: socat's listener takes one connection only.
    ip netns exec jnen-c2 socat -u TCP-LISTEN:5102,reuseaddr CREATE:"$WORK/rotated" &
    local server=$!
    check "c2 listens" eventually 20 listening c2 5102
    exec 3> >(ip netns exec jnen-c1 socat -u STDIN TCP:10.216.0.3:5102)
    echo before >&3
    check "the connection carries data" eventually 30 grep -q before "$WORK/rotated"
    local n1_key n2_key; n1_key=$(private_key n1); n2_key=$(private_key n2)
    secret n2 B
    check "n2 takes the new secret" eventually 30 key_changed n2 "$n2_key"
    check "n1, on the old secret, no longer reaches c2" ns_unanswered c1 10.216.0.3 eth-rot
    echo during >&3
    secret n1 B
    check "n1 takes the new secret" eventually 30 key_changed n1 "$n1_key"
    check "c1 reaches c2 again" eventually 30 ns_reaches c1 10.216.0.3
    echo after >&3
    check "what was sent during the rotation and after arrives on the same connection" \
        eventually 60 grep -q after "$WORK/rotated"
    check "in order" is "$(tr '\n' ' ' <"$WORK/rotated")" "before during after "
    exec 3>&-
    wait "$server"
    secret n1 A; secret n2 A
}

test_a_node_that_leaves_can_no_longer_decrypt() {
    check "encrypted network" network lv 10.217.0.0/24 '{"encrypted":""}'
    check "c1 on n1" attach c1 n1 lv 10.217.0.2/24
    check "c2 on n2" attach c2 n2 lv 10.217.0.3/24
    check "c2 reaches c1" ns_reaches c2 10.217.0.2
    check "n2 leaves the swarm, says Docker to n1" call n1 NetworkDriver.DiscoverDelete \
        "{\"DiscoveryType\":1,\"DiscoveryData\":{\"Address\":\"$(node_ip n2)\",\"BindAddress\":\"0.0.0.0\",\"Self\":false}}"
    check "n1's device has no peer left" is "$(peers_of n1)" 0
    check "n2's container no longer reaches n1's" ns_unanswered c2 10.217.0.2 eth-lv
    check "n2 is back" call n1 NetworkDriver.DiscoverNew \
        "{\"DiscoveryType\":1,\"DiscoveryData\":{\"Address\":\"$(node_ip n2)\",\"BindAddress\":\"0.0.0.0\",\"Self\":false}}"
    check "and reaches again" eventually 30 ns_reaches c2 10.217.0.2
}

# A deleted WireGuard device takes the VXLAN devices made on it, and their endpoints, with it (the kernel's
# doing): what start-up reconciliation rebuilds is the node's side of the network, for the containers to come.
test_a_crash_and_a_deleted_device_are_repaired_and_removal_leaves_nothing() {
    check "encrypted network" network cr 10.218.0.0/24 '{"encrypted":""}'
    check "n1's plugin killed" stop_node n1 KILL
    check "n1's WireGuard device deleted meanwhile" ip -n jnen-n1 link del jnwg0
    check "n1's plugin restarted" run_plugin n1
    check "the device is back with its peer" is "$(peers_of n1)" 1
    check "c1 on n1" attach c1 n1 cr 10.218.0.2/24
    check "c2 on n2" attach c2 n2 cr 10.218.0.3/24
    check "c1 reaches c2" eventually 30 ns_reaches c1 10.218.0.3
    run_cleanup
    local node
    for node in "${NODES[@]}"; do
        check "$node: no WireGuard or VXLAN device left" node_lacks "$node" 'jnwg0|jnx'
    done
}

test_without_wireguard_an_encrypted_network_is_refused_by_name() {
    local id; id=$(docker_id refused)
    call n1 NetworkDriver.AllocateNetwork "{\"NetworkID\":\"$id\",\"Options\":{\"encrypted\":\"\"},\"IPv4Data\":[],\"IPv6Data\":[]}" \
        >"$WORK/allocated-refused"
    local body; body=$(jq -c --arg id "$id" '{NetworkID: $id, Options: {"com.docker.network.generic": .Options},
        IPv4Data: [{AddressSpace: "GlobalDefault", Pool: "10.219.0.0/24", Gateway: "10.219.0.1/24"}], IPv6Data: []}' \
        "$WORK/allocated-refused")
    check "CreateNetwork is refused, naming WireGuard" expect_fail_with "this node's kernel has no WireGuard" \
        call n1 NetworkDriver.CreateNetwork "$body"
    check "and nothing is made" node_lacks n1 'jnwg0|jnx'
    check "a clear network is made on the same node" network clear 10.219.0.0/24 '{}'
}

finish_encrypted() {
    run_cleanup
    run_cleanup SUITE_CLEANUP
    [ -f "$WORK/host.before" ] && check_host_is_clean
    if [ "$FAILED" -gt 0 ]; then
        log "failed: ${FAILURES[*]}"
        for node in "${NODES[@]}"; do log "plugin log of $node, last lines:"; tail -20 "$WORK/$node.log" >&2; done
    fi
    rm -rf "$WORK"
    echo "$SUITE@linux-$(uname -r): $PASSED passed, $FAILED failed"
    # The status of the EXIT trap's caller is the last command's (a test filtered out, say): said here.
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}

remember_host
"$ROOT/plugin-config/natives.sh" "$JAR" "$WORK/javanet/lib" || exit 1
start_lab || { FAILED=1; FAILURES+=(start_lab); exit 1; }
# WireGuard is expected where the guest declares it, or where the kernel has or loads the module.
wireguard_here() {
    [[ " ${JAVANET_LINK_KINDS:-} " == *" wireguard "* ]] || [ -d /sys/module/wireguard ] || modprobe -q wireguard 2>/dev/null
}
if wireguard_here; then
    tests="$(declare -F | awk '{print $3}' | grep '^test_' | grep -v without_wireguard)"
else
    tests=test_without_wireguard_an_encrypted_network_is_refused_by_name
fi
for t in $tests; do
    run_test "$t"
done
