#!/usr/bin/env bash
# Swarm service VIPs on javanet's overlay, in a lab of two swarm nodes on this machine (test-integration/lab.sh),
# the plugin installed after the swarm formed: short TCP connections from a client on node 2 to a service's task
# on node 1, through the service's VIP and to the task's own address, round by round, interleaved; then the time
# from `docker service scale` (and from the node's engine seeing the change) to the VIP's rules in the client's
# namespace changing; and the same service on Docker's own overlay, whose VIPs need IPVS in the kernel.
# Usage: scripts/bench-vip.sh [ROUNDS]   (as root; default 5 rounds; CONNECTIONS=10000 a run; figures, not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
CONNECTIONS=${CONNECTIONS:-10000}
LAB=test-integration/lab.sh
DRIVER=javanet-overlay:latest
IMAGE=javanet-bench/tcp-connects:1
WORK=$(mktemp -d /tmp/javanet-bench-vip.XXXXXX)
on() { local n=$1; shift; "$LAB" docker "$n" "$@"; }
log() { printf '%s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

cleanup() { "$LAB" down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

image() {
    mkdir -p "$WORK/rootfs/bin"
    gcc -static -O2 -o "$WORK/rootfs/bin/tcp-connects" scripts/tcp-connects.c
    cp /bin/busybox "$WORK/rootfs/bin/busybox"
    for applet in sh sleep nslookup timeout; do ln -s busybox "$WORK/rootfs/bin/$applet"; done
    tar -C "$WORK/rootfs" -c . | docker import - "$IMAGE" >/dev/null
}

setup() {
    [ -f target/javanet.jar ] || mvn -B -q package -DskipTests
    test-integration/engine.sh 28 >/dev/null
    test-integration/setup.sh >/dev/null
    image
    plugin-config/build.sh javanet-overlay-build:latest >/dev/null
    docker plugin rm -f javanet-overlay-build:latest >/dev/null 2>&1 || true
    "$LAB" down >/dev/null 2>&1 || true
    "$LAB" nodes 2 >/dev/null
    "$LAB" swarm >/dev/null
    for n in 1 2; do
        docker save "$IMAGE" | on "$n" load -q >/dev/null
        "$LAB" plugin "$n" build/plugin
    done
    on 1 network create -d "$DRIVER" --attachable --subnet 10.92.0.0/24 jb-jov >/dev/null
    on 1 network create -d overlay --attachable --subnet 10.93.0.0/24 jb-dov >/dev/null
    for net in jb-jov jb-dov; do
        on 1 service create -d --name "srv-$net" --network "$net" --constraint node.hostname==node1 \
            "$IMAGE" tcp-connects serve 8080 >/dev/null
        on 2 run -d --name "cli-$net" --net "$net" "$IMAGE" sleep 3600 >/dev/null
    done
    local _
    for _ in $(seq 1 120); do
        [ "$(on 1 service ls --filter name=srv- --format '{{.Replicas}}' | sort -u)" = "1/1" ] && break
        sleep 0.5
    done
}

vip() {
    on 1 service inspect -f "{{range .Endpoint.VirtualIPs}}{{if eq .NetworkID \"$(on 1 network inspect -f '{{.Id}}' "$1")\"}}{{.Addr}}{{end}}{{end}}" \
        "srv-$1" | cut -d/ -f1
}
task_ip() { on 2 exec "cli-$1" nslookup "tasks.srv-$1" | sed -n 's/^Address: \(10\.9[23]\.0\.[0-9]*\)$/\1/p' | head -1; }
# connects NET ADDRESS: one run of CONNECTIONS from the client; prints the rate and the mean latency (ms).
connects() {
    on 2 exec "cli-$1" tcp-connects connect "$2" 8080 "$CONNECTIONS" | tee -a "$WORK/runs" \
        | sed -nE 's/.*: ([0-9]+)\/s, mean ([0-9.]+) ms.*/\1 \2/p'
}

measure() {
    local r vip direct
    vip=$(vip jb-jov); direct=$(task_ip jb-jov)
    log "bench-vip: VIP $vip, task $direct; $ROUNDS rounds of $CONNECTIONS connections each way"
    connects jb-jov "$vip" >/dev/null
    for ((r = 0; r < ROUNDS; r++)); do
        if ((r % 2)); then
            connects jb-jov "$direct" >>"$WORK/direct"; connects jb-jov "$vip" >>"$WORK/vip"
        else
            connects jb-jov "$vip" >>"$WORK/vip"; connects jb-jov "$direct" >>"$WORK/direct"
        fi
    done
}

# rules_with COUNT: the VIP table in the client's namespace on node 2 picks among COUNT tasks.
rules_with() {
    nsenter -t "$(on 2 inspect -f '{{.State.Pid}}' cli-jb-jov)" -n nft list table ip "javanet-vip-$(on 1 network inspect -f '{{.Id}}' jb-jov | cut -c1-12)" \
        2>/dev/null | grep -q "numgen random mod $1 "
}
# engine_with COUNT: node 2's engine lists COUNT tasks of the service on the network.
engine_with() {
    [ "$(curl -s --unix-socket /tmp/jnlab/n2/docker.sock 'http://d/networks/jb-jov?verbose=true' \
        | jq '[.Services["srv-jb-jov"].Tasks[]?] | length')" = "$1" ]
}

# update TO: scales the service to TO tasks; prints ms from the command to node 2's engine seeing it, and to the
# client's rules following.
update() {
    local to=$1 t0 engine='' rules=''
    t0=$(now_ms)
    on 1 service scale -d "srv-jb-jov=$to" >/dev/null
    while [ -z "$rules" ] && [ $(($(now_ms) - t0)) -lt 30000 ]; do
        [ -z "$engine" ] && engine_with "$to" && engine=$(($(now_ms) - t0))
        rules_with "$to" && rules=$(($(now_ms) - t0))
    done
    echo "${engine:-none} ${rules:-none}"
}

report() {
    local vip_rate direct_rate vip_ms direct_ms
    vip_rate=$(awk '{print $1}' "$WORK/vip" | median); direct_rate=$(awk '{print $1}' "$WORK/direct" | median)
    vip_ms=$(awk '{print $2}' "$WORK/vip" | median); direct_ms=$(awk '{print $2}' "$WORK/direct" | median)
    echo
    echo "=== javanet overlay, client on node 2, task on node 1 ($ROUNDS rounds of $CONNECTIONS connections, medians)"
    printf '%-34s %12s %12s %8s\n' "" "through VIP" "task direct" "ratio"
    printf '%-34s %12s %12s %8s\n' "connections per second" "$vip_rate" "$direct_rate" \
        "$(awk -v a="$direct_rate" -v b="$vip_rate" 'BEGIN {printf "%.3f", a / b}')"
    printf '%-34s %12s %12s %8s\n' "connect latency, mean (ms)" "$vip_ms" "$direct_ms" \
        "$(awk -v a="$vip_ms" -v b="$direct_ms" 'BEGIN {printf "%.3f", a / b}')"
    echo "(ratio: VIP's cost against the task's own address; 1.000 is none)"
    local up down
    up=$(update 2); down=$(update 1)
    echo "scale 1 -> 2: node 2's engine saw it at ${up% *} ms, the client's rules followed at ${up#* } ms"
    echo "scale 2 -> 1: node 2's engine saw it at ${down% *} ms, the client's rules followed at ${down#* } ms"
    local dvip; dvip=$(vip jb-dov)
    echo "Docker's overlay, same service, through its VIP $dvip on kernel $(uname -r):" \
        "$(on 2 exec cli-jb-dov timeout 20 tcp-connects connect "$dvip" 8080 20 2>&1 | tail -1 || echo "no answer in 20 s")"
}

setup
measure
report
