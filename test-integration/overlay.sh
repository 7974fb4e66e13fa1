#!/usr/bin/env bash
# The overlay across hosts: a lab of Docker 28 nodes in namespaces (lab.sh), javanet installed on each as the
# global-scope managed plugin javanet-overlay:latest before the swarm forms, then overlay networks made on the
# manager and used from every node. Usage: test-integration/overlay.sh [NODES] (as root; default 2 nodes)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup.sh" || { echo "overlay: 0 passed, 1 failed"; exit 1; }
NODES=${1:-2}
PLUGIN=javanet-global
SUITE=overlay
DRIVER=javanet-overlay:latest
# shellcheck source=lib.sh
. "$here/lib.sh"
LAB="$here/lab.sh"
on() { local n=$1; shift; "$LAB" docker "$n" "$@"; }
# in N CMD...: a command in node N's network namespace.
in_node() { local n=$1; shift; nsenter --net="/run/netns/jnlab$n" "$@"; }
# plugin_pid N: the plugin's process on node N (the PID namespace is the host's: told apart by network namespace).
plugin_pid() {
    local p
    for p in $(pgrep -f 'javanet.jar serve'); do
        [ "$(stat -L -c %i "/proc/$p/ns/net")" = "$(stat -L -c %i "/run/netns/jnlab$1")" ] && echo "$p"
    done
}
# restarted N PID: node N runs a plugin process other than PID.
restarted() { local p; p=$(plugin_pid "$1"); [ -n "$p" ] && [ "$p" != "$2" ]; }
# within SECONDS CMD...: CMD succeeds within that many seconds.
within() {
    local limit=$1 _; shift
    for _ in $(seq 1 $((limit * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    "$@"
}

finish_lab() {
    "$LAB" down >/dev/null 2>&1
    finish
}
trap finish_lab EXIT

# What of ours node N holds: our links and flood entries.
node_snapshot() {
    in_node "$1" ip -br link | awk '$1 ~ /^jn/ {print "link " $1}'
    in_node "$1" bridge fdb show 2>/dev/null | awk '/^00:00:00:00:00:00/ && /dev jnx/ {print "flood " $0}'
}

lab() {
    check "plugin rootfs built" "$here/../plugin-config/build.sh" javanet-overlay-build:latest
    docker plugin rm -f javanet-overlay-build:latest >/dev/null 2>&1
    check "$NODES nodes" "$LAB" nodes "$NODES"
    local n
    for n in $(seq 1 "$NODES"); do
        check "node $n: plugin created" on "$n" plugin create "$DRIVER" "$here/../build/plugin"
        check "node $n: global scope" on "$n" plugin set "$DRIVER" JAVANET_SCOPE=global
        check "node $n: enabled" on "$n" plugin enable "$DRIVER"
    done
    check "swarm formed" "$LAB" swarm
    for n in $(seq 1 "$NODES"); do
        check "node $n knows the $((NODES - 1)) others" within 30 bash -c \
            "test \$(grep -c 'swarm node .* joined' /tmp/jnlab/n$n/dockerd.log) -ge $((NODES - 1))"
    done
}

# ctr_on N NAME NET ARGS...: a sleeping container on node N.
ctr_on() {
    local n=$1 name=$2 net=$3; shift 3
    on "$n" run -d --name "$name" --net "$net" "$@" "$IMAGE" sleep 600 >/dev/null || return 1
    defer "$LAB" docker "$n" rm -f "$name"
}

last=$NODES

test_containers_on_two_nodes_reach_each_other() {
    check "overlay network on the manager" on 1 network create -d "$DRIVER" --attachable --subnet 10.92.0.0/24 it-ov1
    defer "$LAB" docker 1 network rm it-ov1
    check "a on node 1" ctr_on 1 it-ova it-ov1
    check "b on node $last" ctr_on "$last" it-ovb it-ov1
    check "b reaches a by name" on "$last" exec it-ovb ping -c1 -W2 it-ova
    check "a reaches b by name" on 1 exec it-ova ping -c1 -W2 it-ovb
    check "by address" on 1 exec it-ova ping -c1 -W2 "$(on "$last" inspect -f '{{(index .NetworkSettings.Networks "it-ov1").IPAddress}}' it-ovb)"
    check "MTU 50 below the underlay's" bash -c "\"$LAB\" docker 1 exec it-ova ip link show eth0 | grep -q 'mtu 1450'"
    check "a big packet crosses whole" on 1 exec it-ova ping -c1 -W2 -s 1400 it-ovb
    check "the way out, through docker_gwbridge" on "$last" exec it-ovb ping -c1 -W2 192.168.77.1
    check "one VXLAN device per node, on UDP 4800" bash -c "nsenter --net=/run/netns/jnlab1 ip -d link show | grep -q 'dstport 4800'"
}

test_internal_overlays_reach_only_their_own() {
    check "internal overlay" on 1 network create -d "$DRIVER" --attachable --internal --subnet 10.94.0.0/24 it-ov2
    defer "$LAB" docker 1 network rm it-ov2
    check "c on node 1" ctr_on 1 it-ovc it-ov2
    check "d on node $last" ctr_on "$last" it-ovd it-ov2
    # A name from another node arrives by gossip, a moment after its container started.
    check "c reaches d" within 10 on 1 exec it-ovc ping -c1 -W2 it-ovd
    check "no way out" bash -c "! \"$LAB\" docker $last exec it-ovd ping -c1 -W1 192.168.77.1 >/dev/null 2>&1"
    check "no second interface" bash -c "! \"$LAB\" docker $last exec it-ovd ip link show eth1 >/dev/null 2>&1"
}

test_two_overlays_are_isolated() {
    check "overlay e" on 1 network create -d "$DRIVER" --attachable --subnet 10.95.0.0/24 it-ov3
    defer "$LAB" docker 1 network rm it-ov3
    check "overlay f" on 1 network create -d "$DRIVER" --attachable --subnet 10.96.0.0/24 it-ov4
    defer "$LAB" docker 1 network rm it-ov4
    check "e1 on node 1" ctr_on 1 it-ove it-ov3
    check "f1 on node $last" ctr_on "$last" it-ovf it-ov4
    check "e2 on node $last" ctr_on "$last" it-ove2 it-ov3
    check "e1 reaches e2" on 1 exec it-ove ping -c1 -W2 it-ove2
    local f; f=$(on "$last" inspect -f '{{(index .NetworkSettings.Networks "it-ov4").IPAddress}}' it-ovf)
    check "e1 does not reach f1" bash -c "! \"$LAB\" docker 1 exec it-ove ping -c1 -W1 $f >/dev/null 2>&1"
}

test_a_plugin_killed_on_one_node_stops_no_traffic() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.97.0.0/24 it-ov5
    defer "$LAB" docker 1 network rm it-ov5
    check "g on node 1" ctr_on 1 it-ovg it-ov5
    check "h on node $last" ctr_on "$last" it-ovh it-ov5
    local pid; pid=$(plugin_pid "$last")
    check "node $last's plugin found" test -n "$pid"
    kill -9 "$pid" 2>/dev/null
    check "traffic goes on while it is down" on 1 exec it-ovg ping -c1 -W2 it-ovh
    check "Docker starts it again" within 30 restarted "$last" "$pid"
    sleep 2
    check "a new container on node $last" ctr_on "$last" it-ovi it-ov5
    check "reaches node 1's" on "$last" exec it-ovi ping -c1 -W2 it-ovg
}

# clean N: node N holds nothing of ours (a node drops a swarm network a moment after its last container left).
clean() { local left; left=$(node_snapshot "$1"); [ -z "$left" ] || { echo "$left"; return 1; }; }

test_nothing_of_ours_is_left_on_any_node() {
    local n
    for n in $(seq 1 "$NODES"); do
        check "node $n holds nothing of ours" within 20 clean "$n"
    done
}

"$LAB" down >/dev/null 2>&1
run_test lab
if $CURRENT_OK; then
    for t in test_containers_on_two_nodes_reach_each_other test_internal_overlays_reach_only_their_own \
        test_two_overlays_are_isolated test_a_plugin_killed_on_one_node_stops_no_traffic \
        test_nothing_of_ours_is_left_on_any_node; do
        run_test "$t"
    done
fi
