#!/usr/bin/env bash
# The overlay across hosts: a lab of Docker 28 nodes in namespaces (lab.sh) formed into a swarm, then javanet
# installed on each as the global-scope managed plugin javanet-overlay:latest, as an existing cluster adopts a
# plugin (Docker announces no other node to it: it learns them from its engine), then overlay networks made on
# the manager and used from every node, with no dockerd restarted.
# Usage: test-integration/overlay.sh [NODES] (as root; default 2 nodes; ONLY=PATTERN runs the tests whose names match)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
NODES=${1:-2}
PLUGIN=javanet-global
# Managed installs are named by their plugin IDs: javanet-ID, javanet-ID-global.
INSTANCE='javanet-[0-9a-f]{12}(-global)?'
SUITE=overlay
DRIVER=javanet-overlay:latest
# shellcheck source=lib.sh
. "$here/lib.sh"
require_setup overlay
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
# plugin_dir NAME: the built plugin, its rootfs naming NAME (Docker refuses a second plugin with content byte for
# byte another's, as plugin-config/build.sh NAME would make it).
plugin_dir() {
    local dir=$WORK/plugin-${1%%:*}
    [ -d "$dir" ] || { cp -a "$here/../build/plugin" "$dir" && echo "$1" >"$dir/rootfs/etc/javanet-plugin"; }
    echo "$dir"
}
defer_suite "$LAB" down
trap finish EXIT

# What of ours node N holds: our links and flood entries.
node_snapshot() {
    in_node "$1" ip -br link | awk '$1 ~ /^jn/ {print "link " $1}'
    in_node "$1" bridge fdb show 2>/dev/null | awk '/^00:00:00:00:00:00/ && /dev jnx/ {print "flood " $0}'
}

# install_global N: javanet created, set global-scope with metrics on the node's loopback, and enabled on node N.
install_global() {
    local n=$1
    check "node $n: installed global-scope, metrics on its loopback" "$LAB" plugin "$n" "$(plugin_dir "$DRIVER")" \
        JAVANET_METRICS_ADDRESS=127.0.0.1:9341
}

lab() {
    check "plugin rootfs built" "$here/../plugin-config/build.sh" javanet-overlay-build:latest
    docker plugin rm -f javanet-overlay-build:latest >/dev/null 2>&1
    check "$NODES nodes" "$LAB" nodes "$NODES"
    check "swarm formed" "$LAB" swarm
    check "its $NODES nodes ready" eventually 30 bash -c \
        "test \$(\"$LAB\" docker 1 node ls --format '{{.Status}}' | grep -c Ready) = $NODES"
    local n
    for n in $(seq 1 "$NODES"); do
        install_global "$n"
    done
}

# unreachable_on N CTR ADDRESS: lib.sh's unreachable, for a container on node N.
unreachable_on() { DOCKER="$LAB docker $1" unreachable "$2" "$3"; }

# from_node N CMD...: CMD (lib.sh's iperf helpers) with node N's engine.
from_node() { local n=$1; shift; DOCKER="$LAB docker $n" "$@"; }

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
    check "c reaches d" eventually 10 on 1 exec it-ovc ping -c1 -W2 it-ovd
    check "no way out" unreachable_on "$last" it-ovd 192.168.77.1
    check "no second interface" lacks ' eth1[:@]' on "$last" exec it-ovd ip -o link show
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
    check "e1 does not reach f1" unreachable_on 1 it-ove "$f"
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
    check "Docker starts it again" eventually 30 restarted "$last" "$pid"
    # Its metrics are served once it serves the plugin protocol.
    check "and it serves again" eventually 30 in_node "$last" curl -sf -o /dev/null http://127.0.0.1:9341/metrics
    check "a new container on node $last" ctr_on "$last" it-ovi it-ov5
    check "reaches node 1's" on "$last" exec it-ovi ping -c1 -W2 it-ovg
}

# peers_on N COUNT: node N's plugin knows COUNT other nodes.
peers_on() {
    nsenter --net="/run/netns/jnlab$1" curl -sf http://127.0.0.1:9341/metrics | grep -qx "javanet_swarm_peers $2.0"
}

# A node whose plugin came after it joined the swarm: Docker tells a driver of other nodes only as they join, so
# the fresh plugin hears of none of them; its node's engine, asked for each network's peers, has them. No dockerd
# restarts (in swarm mode that would restart every container on the node).
test_a_plugin_installed_late_learns_the_others_from_its_engine() {
    check "node $last's plugin removed" on "$last" plugin rm -f "$DRIVER"
    check "with its database: a fresh install" bash -c "rm -f /tmp/jnlab/n$last/state/javanet-global.db*"
    install_global "$last"
    check "Docker announced no other node to it" eventually 10 peers_on "$last" 0
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.103.0.0/24 it-ov11
    defer "$LAB" docker 1 network rm it-ov11
    check "p on node 1" ctr_on 1 it-ovp it-ov11
    check "q on node $last" ctr_on "$last" it-ovq it-ov11
    check "q reaches p first" eventually 10 on "$last" exec it-ovq ping -c1 -W2 "$(on 1 inspect -f '{{(index .NetworkSettings.Networks "it-ov11").IPAddress}}' it-ovp)"
}

# swarm_doctor: docker javanet doctor --swarm, run from the host against node 1's engine (the manager); what it
# said is kept in $WORK/swarm-doctor.
swarm_doctor() {
    DOCKER_HOST=unix:///tmp/jnlab/n1/docker.sock docker javanet doctor --swarm >"$WORK/swarm-doctor" 2>&1
}
swarm_doctor_passes() { swarm_doctor || { cat "$WORK/swarm-doctor"; return 1; }; }
# swarm_doctor_finds PROBLEMS: doctor --swarm exits non-zero, saying PROBLEMS (e.g. "1 problem").
swarm_doctor_finds() {
    if swarm_doctor; then echo "doctor --swarm passed:"; cat "$WORK/swarm-doctor"; return 1; fi
    grep -q "^$1:" "$WORK/swarm-doctor" || { echo "no \"$1:\" in:"; cat "$WORK/swarm-doctor"; return 1; }
}
swarm_doctor_said() { grep -Eq "$1" "$WORK/swarm-doctor" || { echo "no line matches $1 in:"; cat "$WORK/swarm-doctor"; return 1; }; }

# docker javanet doctor --swarm, from the host whose engines are the lab's nodes: every node checked and compared;
# a flood entry deleted by hand on node 1 (node $last's) is named for node 1, with its fix; node 1's plugin
# restarted puts it back.
test_doctor_compares_the_swarms_nodes_and_finds_a_missing_flood_entry() {
    check "the CLI plugin installed as install.sh installs it" install_cli_plugin
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.104.0.0/24 it-ov20
    defer "$LAB" docker 1 network rm it-ov20
    check "d on node 1" ctr_on 1 it-ovd it-ov20
    check "e on node $last" ctr_on "$last" it-ove it-ov20
    check "d reaches e" eventually 10 on 1 exec it-ovd ping -c1 -W2 it-ove
    check "ls through node 1's engine, its plugin reached in the node's mount namespace" bash -c \
        "DOCKER_HOST=unix:///tmp/jnlab/n1/docker.sock docker javanet ls | grep -Eq '^it-ov20 +[0-9a-z]{12} +overlay +jnx'"
    check "doctor --swarm passes" eventually 10 swarm_doctor_passes
    local n
    for n in $(seq 1 "$NODES"); do
        check "it checked node $n's engine" swarm_doctor_said "^node$n +ok +engine +engine +Docker"
    done
    check "node 1 floods to node $last" swarm_doctor_said "^node1 +ok +it-ov20 +flooding +to node 192.168.77.1$last\$"
    check "node 1 compared with the others" swarm_doctor_said "^node1 +ok +it-ov20 +swarm flooding +to every other node that has it \(1\)"
    check "node $last compared with the others" swarm_doctor_said "^node$last +ok +it-ov20 +swarm flooding"

    local vxlan; vxlan=jnx$(on 1 network inspect -f '{{.Id}}' it-ov20 | cut -c1-12)
    check "node 1's flood entry for node $last deleted" in_node 1 bridge fdb del 00:00:00:00:00:00 dev "$vxlan" dst "192.168.77.1$last"
    check "doctor --swarm fails, with one problem" swarm_doctor_finds "1 problem"
    check "naming node 1's flood list" swarm_doctor_said "^node1 +FAIL +it-ov20 +flooding +$vxlan does not flood to node 192.168.77.1$last, which has the network"
    check "with node 1's plugin to restart" swarm_doctor_said "fix: restart the plugin, whose start-up repairs it: docker plugin disable -f $DRIVER"
    check "node 1's plugin restarted" on 1 plugin disable -f "$DRIVER"
    check "and enabled" on 1 plugin enable "$DRIVER"
    check "doctor --swarm passes again" eventually 20 swarm_doctor_passes
    check "d reaches e again" eventually 10 on 1 exec it-ovd ping -c1 -W2 it-ove
}

# clean N: node N holds nothing of ours (a node drops a swarm network a moment after its last container left).
clean() { local left; left=$(node_snapshot "$1"); [ -z "$left" ] || { echo "$left"; return 1; }; }

test_a_dnsrr_service_spreads_over_the_nodes_and_its_tasks_resolve() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.98.0.0/24 it-ov6
    defer "$LAB" docker 1 network rm it-ov6
    # Service VIPs are made for Docker's own overlay only: a remote driver's services use DNS round robin.
    check "service of 4" on 1 service create -d --name it-svc --network it-ov6 --endpoint-mode dnsrr --replicas 4 \
        "$IMAGE" sleep 600
    defer "$LAB" docker 1 service rm it-svc
    check "4 tasks running" eventually 60 bash -c "test \$(\"$LAB\" docker 1 service ps -q --filter desired-state=running it-svc \
        | xargs \"$LAB\" docker 1 inspect -f '{{.Status.State}}' | grep -c running) = 4"
    check "spread over the nodes" bash -c "test \$(\"$LAB\" docker 1 service ps --format '{{.Node}}' it-svc | sort -u | wc -l) -ge 2"
    check "a client" ctr_on "$last" it-ovj it-ov6
    check "the service name gives the 4 tasks" eventually 15 bash -c \
        "test \$(\"$LAB\" docker $last exec it-ovj nslookup it-svc 2>/dev/null | grep -c 'Address: 10.98.0.') = 4"
    check "each task answers" bash -c "for ip in \$(\"$LAB\" docker $last exec it-ovj nslookup it-svc | sed -n 's/^Address: \\(10\\.98\\.0\\.[0-9]*\\)\$/\\1/p'); do \
        \"$LAB\" docker $last exec it-ovj ping -c1 -W2 \$ip >/dev/null || exit 1; done"
}

test_javanet_ipam_gives_each_address_once_across_the_swarm() {
    check "overlay network with javanet's IPAM" on 1 network create -d "$DRIVER" --ipam-driver "$DRIVER" --attachable \
        --subnet 10.99.0.0/24 it-ov7
    defer "$LAB" docker 1 network rm it-ov7
    check "k on node 1" ctr_on 1 it-ovk it-ov7
    check "l on node $last" ctr_on "$last" it-ovl it-ov7
    local k l
    k=$(on 1 inspect -f '{{(index .NetworkSettings.Networks "it-ov7").IPAddress}}' it-ovk)
    l=$(on "$last" inspect -f '{{(index .NetworkSettings.Networks "it-ov7").IPAddress}}' it-ovl)
    check "two different addresses of the subnet ($k, $l)" bash -c "[[ $k == 10.99.0.* && $l == 10.99.0.* && $k != $l ]]"
    check "k reaches l" on 1 exec it-ovk ping -c1 -W2 "$l"
}

test_a_port_published_by_a_container_on_an_overlay() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.100.0.0/24 it-ov8
    defer "$LAB" docker 1 network rm it-ov8
    on "$last" run -d --name it-ovweb --net it-ov8 -p 18500:80 "$IMAGE" httpd -f -p 80 -h /var/www >/dev/null
    defer "$LAB" docker "$last" rm -f it-ovweb
    check "its node's address answers on the published port" eventually 10 http_get "192.168.77.1$last" 18500
}

test_metrics_count_the_peers_and_overlays() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.101.0.0/24 it-ov9
    defer "$LAB" docker 1 network rm it-ov9
    local n
    for n in $(seq 1 "$NODES"); do
        check "m$n on node $n" ctr_on "$n" "it-ovm$n" it-ov9
    done
    # Node N floods to the other nodes that have the network, each of them here.
    check "the peers gauge" eventually 10 bash -c "nsenter --net=/run/netns/jnlab$last curl -sf http://127.0.0.1:9341/metrics \
        | grep -q '^javanet_swarm_peers $((NODES - 1)).0'"
    # As many as the node holds VXLAN devices of ours (an earlier test's may not be gone yet).
    check "the overlay networks gauge" eventually 10 bash -c "test \"\$(nsenter --net=/run/netns/jnlab$last curl -sf \
        http://127.0.0.1:9341/metrics | sed -n 's/^javanet_networks{mode=\"overlay\"} \\([0-9]*\\)\\.0\$/\\1/p')\" \
        = \"\$(nsenter --net=/run/netns/jnlab$last ip -br link | grep -c '^jnx')\""
}

test_a_local_install_lives_beside_the_global_one() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.102.0.0/24 it-ov10
    defer "$LAB" docker 1 network rm it-ov10
    check "the local install on node 1" on 1 plugin create javanet:latest "$(plugin_dir javanet:latest)"
    defer "$LAB" docker 1 plugin rm -f javanet:latest
    check "enabled" on 1 plugin enable javanet:latest
    check "a local bridge network on a swarm node" on 1 network create -d javanet:latest --subnet 10.120.0.0/24 it-loc
    defer "$LAB" docker 1 network rm it-loc
    check "n on the local network" ctr_on 1 it-ovn it-loc
    check "o on the overlay" ctr_on 1 it-ovo it-ov10
    # The overlay's frames never reach the host's firewall (macvlans of a VXLAN device): only the local install
    # has a table, and no name of the global install's is in it. Each install is named by its plugin ID.
    local lid gid; lid=$(on 1 plugin inspect -f '{{.Id}}' javanet:latest); gid=$(on 1 plugin inspect -f '{{.Id}}' "$DRIVER")
    local table=javanet-${lid:0:12}
    check "the local install's firewall table, alone of ours" is "$(nsenter --net=/run/netns/jnlab1 nft list tables \
        | grep '^table inet javanet')" "table inet $table"
    check "the local network's bridge in it" bash -c "nsenter --net=/run/netns/jnlab1 nft list table inet $table | grep -q jn-"
    check "nothing of the overlay in it" lacks 'jnx|jnm' nsenter --net=/run/netns/jnlab1 nft list table inet "$table"
    check "each its own database" test -s "/tmp/jnlab/n1/state/$table.db" -a -s "/tmp/jnlab/n1/state/javanet-${gid:0:12}-global.db"
    local o; o=$(on 1 inspect -f '{{(index .NetworkSettings.Networks "it-ov10").IPAddress}}' it-ovo)
    check "the local network does not reach the overlay" unreachable_on 1 it-ovn "$o"
    check "the local network still has its way out" on 1 exec it-ovn ping -c1 -W2 192.168.77.1
}

# A task that answers HTTP on port 80 with its own container's hostname, so that a client can tell tasks apart.
TASK_PAGE='mkdir -p /tmp/www && hostname >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'

# running SERVICE COUNT: COUNT tasks of SERVICE running.
running() {
    test "$(on 1 service ps -q --filter desired-state=running "$1" | xargs -r "$LAB" docker 1 inspect \
        -f '{{.Status.State}}' | grep -c running)" = "$2"
}

# vip_of SERVICE NETWORK: the service's virtual IP on the network, as swarm gave it.
vip_of() {
    on 1 service inspect -f "{{range .Endpoint.VirtualIPs}}{{if eq .NetworkID \"$(on 1 network inspect -f '{{.Id}}' "$2")\"}}{{.Addr}}{{end}}{{end}}" "$1" \
        | cut -d/ -f1
}

# ask_from N CTR HOST: what HOST answers on port 80 to a GET from container CTR on node N: a task's name, or empty.
ask_from() { on "$1" exec "$2" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 2 $3 80" 2>/dev/null | tail -1; }

# spread N CTR HOST COUNT MIN [MAX]: COUNT requests from CTR on node N to HOST, all answered, by MIN to MAX tasks.
spread() {
    local n=$1 ctr=$2 host=$3 count=$4 min=$5 max=${6:-999} i answer answered=0
    local -A tasks=()
    for ((i = 0; i < count; i++)); do
        answer=$(ask_from "$n" "$ctr" "$host")
        [ -n "$answer" ] && { answered=$((answered + 1)); tasks[$answer]=1; }
    done
    echo "$answered of $count answered, by ${#tasks[@]} tasks: ${!tasks[*]}"
    [ "$answered" -eq "$count" ] && [ "${#tasks[@]}" -ge "$min" ] && [ "${#tasks[@]}" -le "$max" ]
}

# service_on NETWORK SUBNET SERVICE REPLICAS CMD...: an attachable overlay (javanet's, or DRIVER's where set) and a
# service of REPLICAS tasks on it running CMD, both removed at the test's end; waits for the tasks to run.
service_on() {
    local net=$1 subnet=$2 service=$3 replicas=$4; shift 4
    check "overlay network $net" on 1 network create -d "${NETWORK_DRIVER:-$DRIVER}" --attachable --subnet "$subnet" "$net"
    defer "$LAB" docker 1 network rm "$net"
    check "service $service of $replicas, no --endpoint-mode" on 1 service create -d --name "$service" --network "$net" \
        --replicas "$replicas" "$IMAGE" "$@"
    defer "$LAB" docker 1 service rm "$service"
    check "$replicas tasks running" eventually 60 running "$service" "$replicas"
}

# vip_table N CTR NETWORK: the network's VIP table in the namespace of container CTR on node N.
vip_table() {
    local id pid
    id=$(on 1 network inspect -f '{{.Id}}' "$3") && pid=$(on "$1" inspect -f '{{.State.Pid}}' "$2") || return 1
    nsenter -t "$pid" -n nft list table ip "javanet-vip-${id:0:12}"
}

# A service in the default endpoint mode (a VIP), as nearly every service and every stack runs: swarm gives
# the VIP and DNS hands it out, but makes the load balancer for Docker's own overlay only; javanet balances it in
# each container's namespace.
test_a_vip_service_answers_on_its_name_from_every_node_and_follows_its_tasks() {
    service_on it-ov12 10.105.0.0/24 it-web 3 sh -c "$TASK_PAGE"
    local vip; vip=$(vip_of it-web it-ov12)
    check "a VIP on the network ($vip)" grep -q '^10\.105\.0\.' <<<"$vip"
    check "a client on node $last" ctr_on "$last" it-ovcl it-ov12
    check "a client on node 1" ctr_on 1 it-ovc1 it-ov12
    check "the name gives the VIP" eventually 15 bash -c "\"$LAB\" docker $last exec it-ovcl nslookup it-web | grep -qx 'Address: $vip'"
    check "from node $last: 20 of 20 answered through the VIP, by 2 tasks or more" eventually 15 spread "$last" it-ovcl it-web 20 2
    check "from node 1 too" eventually 15 spread 1 it-ovc1 "$vip" 20 2
    check "tasks.NAME still gives the tasks" bash -c "test \$(\"$LAB\" docker $last exec it-ovcl nslookup tasks.it-web \
        | grep -c 'Address: 10.105.0.') = 3"
    check "scaled to 1" on 1 service scale -d it-web=1
    check "then answered by that one task only" eventually 30 spread "$last" it-ovcl it-web 10 1 1
    check "scaled to 4" on 1 service scale -d it-web=4
    check "4 tasks running" eventually 60 running it-web 4
    check "answered by 2 tasks or more again" eventually 30 spread "$last" it-ovcl it-web 20 2
    local victim; victim=$(on "$last" ps -q --filter name=it-web. | head -1)
    [ -n "$victim" ] || { victim=$(on 1 ps -q --filter name=it-web. | head -1); }
    check "a task killed" bash -c "\"$LAB\" docker $last kill $victim >/dev/null 2>&1 || \"$LAB\" docker 1 kill $victim >/dev/null"
    check "every request answered again, the dead task dropped" eventually 30 spread "$last" it-ovcl it-web 20 2
    check "node 2 drained" on 1 node update --availability drain node2
    defer "$LAB" docker 1 node update --availability active node2
    check "its tasks moved to the other nodes" eventually 60 bash -c "test -z \"\$(\"$LAB\" docker 2 ps -q --filter name=it-web.)\""
    check "every request answered through the drain" eventually 30 spread "$last" it-ovcl it-web 20 2
    check "the VIP table in the client's namespace" vip_table "$last" it-ovcl it-ov12
}

# A TCP connection through a VIP stays with the task it reached while the service changes under it (conntrack).
ECHO_TASK='exec nc -ll -p 9000 -e sh -c "while read line; do echo \$(hostname) \$line; done"'
test_an_established_connection_keeps_its_task_as_the_service_changes() {
    service_on it-ov17 10.111.0.0/24 it-lecho 2 sh -c "$ECHO_TASK"
    check "a client on node $last" ctr_on "$last" it-ovlc it-ov17
    # Its node had no container of the network before: the VIPs come with the next look at the engine.
    check "the VIP answers" eventually 15 bash -c "\"$LAB\" docker $last exec it-ovlc sh -c 'echo hi | nc -w 2 it-lecho 9000' | grep -q hi"
    check "a connection through the VIP, a line a second" on "$last" exec -d it-ovlc sh -c \
        'i=0; while [ $i -lt 120 ]; do i=$((i + 1)); echo $i; sleep 1; done | nc it-lecho 9000 >/tmp/echoed'
    check "echoed by a task" eventually 20 echoed_at_least 3 "$last" it-ovlc
    local before; before=$(echoed "$last" it-ovlc)
    check "scaled to 4" on 1 service scale -d it-lecho=4
    check "4 tasks running" eventually 60 running it-lecho 4
    check "the connection goes on" eventually 20 echoed_at_least $((before + 3)) "$last" it-ovlc
    check "with the one task it reached" test "$(on "$last" exec it-ovlc sh -c "cut -d' ' -f1 /tmp/echoed | sort -u | wc -l")" = 1
}

# echoed N CTR: how many lines the client CTR on node N got back; echoed_at_least COUNT N CTR: that many or more.
echoed() { on "$1" exec "$2" sh -c 'wc -l </tmp/echoed' | tr -d ' '; }
echoed_at_least() { local n; n=$(echoed "$2" "$3") && [ "${n:-0}" -ge "$1" ]; }

test_a_vip_service_answers_udp() {
    service_on it-ov14 10.106.0.0/24 it-echo 2 udp-echo serve 5353
    local vip; vip=$(vip_of it-echo it-ov14)
    check "a client on node $last" ctr_on "$last" it-ovud it-ov14
    check "a datagram to the VIP comes back" eventually 15 bash -c \
        "\"$LAB\" docker $last exec it-ovud udp-echo ask $vip 5353 hello-vip | grep -qx hello-vip"
}

# The plugin killed on the client's node: the VIP keeps answering (the rules live in the container's namespace),
# and the restarted plugin makes them again.
test_a_vip_service_survives_its_nodes_plugin_being_killed() {
    service_on it-ov15 10.107.0.0/24 it-web2 2 sh -c "$TASK_PAGE"
    check "a client on node $last" ctr_on "$last" it-ovkc it-ov15
    check "answered through the VIP" eventually 15 spread "$last" it-ovkc it-web2 5 1
    local pid; pid=$(plugin_pid "$last")
    check "node $last's plugin found" test -n "$pid"
    kill -9 "$pid" 2>/dev/null
    check "still answered while the plugin is down" spread "$last" it-ovkc it-web2 5 1
    check "its VIP table deleted meanwhile" bash -c "nsenter -t \$(\"$LAB\" docker $last inspect -f '{{.State.Pid}}' it-ovkc) -n \
        nft delete table ip javanet-vip-\$(\"$LAB\" docker 1 network inspect -f '{{.Id}}' it-ov15 | cut -c1-12)"
    check "Docker starts the plugin again" eventually 30 restarted "$last" "$pid"
    check "which makes the table again" eventually 30 vip_table "$last" it-ovkc it-ov15
    check "and the VIP answers" eventually 15 spread "$last" it-ovkc it-web2 5 1
}

# node_doctor N: docker javanet doctor through node N's engine; what it said is kept in $WORK/node-doctor.
node_doctor() { DOCKER_HOST="unix:///tmp/jnlab/n$1/docker.sock" docker javanet doctor >"$WORK/node-doctor" 2>&1; }
node_doctor_passes() { node_doctor "$1" || { cat "$WORK/node-doctor"; return 1; }; }
# node_doctor_fails_saying N TEXT: doctor on node N finds problems, one of its lines holding TEXT.
node_doctor_fails_saying() {
    if node_doctor "$1"; then echo "doctor passed:"; cat "$WORK/node-doctor"; return 1; fi
    grep -qF -- "$2" "$WORK/node-doctor" || { echo "no \"$2\" in:"; cat "$WORK/node-doctor"; return 1; }
}

# shared_again N: node N's mounts shared, its dockerd restarted if they are not.
shared_again() {
    [ "$(nsenter -t "$(cat "/tmp/jnlab/n$1/docker.pid")" -m findmnt -no PROPAGATION /)" = shared ] || "$LAB" restart "$1"
}

# A node whose mounts are private (no systemd, Docker in Docker): the plugin's mount of Docker's run directory gets
# none of the network namespaces the engine makes after the plugin started. Its log says so at start, doctor names
# it with the fix, and a container joining a network with services starts without its VIPs, the log saying why;
# with the node's mounts shared again, VIPs answer there again.
test_a_node_without_mount_propagation_says_why_it_has_no_vips() {
    check "the CLI plugin installed as install.sh installs it" install_cli_plugin
    service_on it-ov18 10.112.0.0/24 it-pweb 1 sh -c "$TASK_PAGE"
    check "a client on node $last" ctr_on "$last" it-ovpc it-ov18
    check "answered through the VIP, the node's mounts shared" eventually 15 spread "$last" it-ovpc it-pweb 5 1
    check "doctor on node $last passes" eventually 15 node_doctor_passes "$last"
    local before; before=$(grep -c "receives no mounts from the host" "/tmp/jnlab/n$last/dockerd.log")
    check "node $last restarted with its mounts private" env JNLAB_PRIVATE=1 "$LAB" restart "$last"
    defer shared_again "$last"
    check "its plugin's log says why, at ERROR" eventually 60 bash -c "test \$(grep 'receives no mounts from the host' \
        /tmp/jnlab/n$last/dockerd.log | grep -c ERROR) -gt $before"
    check "doctor on node $last fails, naming it" eventually 30 node_doctor_fails_saying "$last" \
        "mounted on /run/docker-host, receives no mounts from the host"
    check "with the fix" grep -qF "make the host's mounts shared" "$WORK/node-doctor"
    local warned; warned=$(grep -c "service VIPs not .*receives no mounts from the host" "/tmp/jnlab/n$last/dockerd.log")
    check "a container on the network still starts" ctr_on "$last" it-ovpd it-ov18
    check "the plugin's log says why it has no VIPs" eventually 30 bash -c "test \$(grep -c \
        'service VIPs not .*receives no mounts from the host' /tmp/jnlab/n$last/dockerd.log) -gt $warned"
    check "the service answers on its task's own address" eventually 15 spread "$last" it-ovpd tasks.it-pweb 3 1
    check "but not on its VIP" expect_fail_with "0 of 3 answered" spread "$last" it-ovpd it-pweb 3 1
    check "node $last restarted with its mounts shared" "$LAB" restart "$last"
    check "doctor on node $last passes again" eventually 60 node_doctor_passes "$last"
    check "the service's task running" eventually 60 running it-pweb 1
    check "a client on node $last again" ctr_on "$last" it-ovpe it-ov18
    check "answered through the VIP again" eventually 15 spread "$last" it-ovpe it-pweb 5 1
}

# The same service on Docker's own overlay, recorded beside ours: its VIPs need IPVS in the kernel.
test_dockers_own_overlay_with_the_same_service_is_recorded() {
    NETWORK_DRIVER=overlay service_on it-dov 10.108.0.0/24 it-dweb 3 sh -c "$TASK_PAGE"
    check "a client on node $last" ctr_on "$last" it-ovdc it-dov
    local answers; answers=$(spread "$last" it-ovdc it-dweb 20 1)
    log "    Docker's own overlay on this kernel ($(uname -r), IPVS $(kernel_ships ip_vs && echo present || echo absent)): $answers"
    check "its tasks answer on their own addresses" bash -c "\"$LAB\" docker $last exec it-ovdc nslookup tasks.it-dweb | grep -q 'Address: 10.108.0.'"
}

# A stack of two services on a javanet overlay, one reaching the other by service name through its VIP.
test_a_stack_deploys_and_is_removed() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.109.0.0/24 it-ov13
    defer "$LAB" docker 1 network rm it-ov13
    cat >"$WORK/stack.yml" <<YAML
version: "3.8"
services:
  back:
    image: $IMAGE
    command: ["sh", "-c", "$TASK_PAGE"]
    networks: [ov]
    deploy: {replicas: 2}
  front:
    image: $IMAGE
    command: ["sleep", "600"]
    networks: [ov]
networks:
  ov:
    external: true
    name: it-ov13
YAML
    check "stack deployed" on 1 stack deploy -c "$WORK/stack.yml" it-stk
    defer "$LAB" docker 1 stack rm it-stk
    check "2 back tasks running" eventually 60 running it-stk_back 2
    check "1 front task running" eventually 60 running it-stk_front 1
    local node front
    for node in $(seq 1 "$NODES"); do
        front=$(on "$node" ps -q --filter name=it-stk_front. | head -1)
        [ -n "$front" ] && break
    done
    check "front found, on node $node" test -n "$front"
    check "front reaches back by its service name" eventually 20 spread "$node" "$front" back 10 1
    check "stack removed" on 1 stack rm it-stk
    check "its services gone" eventually 30 bash -c "test -z \"\$(\"$LAB\" docker 1 service ls -q --filter name=it-stk_)\""
}

# --publish mode=host: the task's port on the address of the node it runs on.
test_a_service_publishes_in_host_mode() {
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.110.0.0/24 it-ov16
    defer "$LAB" docker 1 network rm it-ov16
    check "a service of 1 publishing 18610 in host mode" on 1 service create -d --name it-hweb --network it-ov16 \
        --publish mode=host,target=80,published=18610 "$IMAGE" httpd -f -p 80 -h /var/www
    defer "$LAB" docker 1 service rm it-hweb
    check "its task running" eventually 60 running it-hweb 1
    local node; node=$(on 1 service ps --filter desired-state=running --format '{{.Node}}' it-hweb | sed 's/^node//')
    check "its node's address answers ($node)" eventually 15 http_get "192.168.77.1$node" 18610
}

# --opt encrypted on nodes whose kernel has no WireGuard (this VM's): swarm allocates the network whatever the
# driver answers, so docker network create succeeds; every node's CreateNetwork then refuses it, and a service's
# tasks are rejected in its words. Encryption itself runs in test-integration/encrypted.sh, in the QEMU guest.
test_encryption_without_wireguard_is_refused_naming_it() {
    check "the network is stored by swarm" on 1 network create -d "$DRIVER" --opt encrypted --attachable \
        --subnet 10.104.0.0/24 it-ovenc
    defer "$LAB" docker 1 network rm it-ovenc
    check "a service on it" on 1 service create -d --name it-enc --network it-ovenc "$IMAGE" sleep 600
    defer "$LAB" docker 1 service rm it-enc
    check "its tasks are rejected, naming WireGuard" eventually 30 bash -c "\"$LAB\" docker 1 service ps --no-trunc \
        --format '{{.CurrentState}} {{.Error}}' it-enc | grep 'Rejected' | grep -q -- \"-o encrypted: this node's kernel has no WireGuard\""
    check "no task runs" lacks 'Running' on 1 service ps --format '{{.CurrentState}}' it-enc
    local n
    for n in $(seq 1 "$NODES"); do
        check "node $n made nothing of it" lacks '^jnx' in_node "$n" ip -br link show
    done
}

# Bandwidth limits on an overlay: a container's link is a macvlan of the node's VXLAN device, its own, so the
# limit is made inside the container once Docker has moved the link there. iperf3 across two nodes.
test_a_bandwidth_limit_holds_across_nodes_on_an_overlay() {
    local n server
    for n in 1 "$last"; do
        check "iperf3 image on node $n" bash -c "DOCKER_HOST=unix:///tmp/jnlab/n$n/docker.sock \
            \"$here/../scripts/iperf-image.sh\" >/dev/null"
    done
    IPERF=$(DOCKER_HOST=unix:///tmp/jnlab/n1/docker.sock "$here/../scripts/iperf-image.sh")
    check "overlay network" on 1 network create -d "$DRIVER" --attachable --subnet 10.91.0.0/24 it-ovbw
    defer "$LAB" docker 1 network rm it-ovbw
    check "iperf3 server on node $last" bash -c "\"$LAB\" docker $last run -d --name it-ovbws --net it-ovbw $IPERF -s >/dev/null"
    defer "$LAB" docker "$last" rm -f it-ovbws
    SERVER=$(on "$last" inspect -f '{{(index .NetworkSettings.Networks "it-ovbw").IPAddress}}' it-ovbws)
    check "unlimited, a client on node 1 sends well above 100 Mbit/s" eventually 20 from_node 1 faster_than 100 \
        --net it-ovbw --
    check "egress_rate=20mbit: what it sends held to 20 Mbit/s" from_node 1 limited_to 20 \
        --network name=it-ovbw,driver-opt=javanet.egress_rate=20mbit --
}

test_nothing_of_ours_is_left_on_any_node() {
    local n
    for n in $(seq 1 "$NODES"); do
        check "node $n holds nothing of ours" eventually 20 clean "$n"
    done
}

"$LAB" down >/dev/null 2>&1
run_test lab
if $CURRENT_OK; then
    for t in test_containers_on_two_nodes_reach_each_other test_internal_overlays_reach_only_their_own \
        test_two_overlays_are_isolated test_a_dnsrr_service_spreads_over_the_nodes_and_its_tasks_resolve \
        test_javanet_ipam_gives_each_address_once_across_the_swarm test_a_port_published_by_a_container_on_an_overlay \
        test_a_vip_service_answers_on_its_name_from_every_node_and_follows_its_tasks test_a_vip_service_answers_udp \
        test_an_established_connection_keeps_its_task_as_the_service_changes \
        test_a_vip_service_survives_its_nodes_plugin_being_killed test_dockers_own_overlay_with_the_same_service_is_recorded \
        test_a_node_without_mount_propagation_says_why_it_has_no_vips \
        test_a_bandwidth_limit_holds_across_nodes_on_an_overlay \
        test_a_stack_deploys_and_is_removed test_a_service_publishes_in_host_mode \
        test_metrics_count_the_peers_and_overlays test_a_local_install_lives_beside_the_global_one \
        test_encryption_without_wireguard_is_refused_naming_it test_a_plugin_killed_on_one_node_stops_no_traffic \
        test_a_plugin_installed_late_learns_the_others_from_its_engine \
        test_doctor_compares_the_swarms_nodes_and_finds_a_missing_flood_entry \
        test_nothing_of_ours_is_left_on_any_node; do
        [[ $t =~ ${ONLY:-.} ]] && run_test "$t"
    done
fi
