#!/usr/bin/env bash
# What an idle swarm costs: a lab of two swarm nodes on this machine (test-integration/lab.sh), javanet installed
# after the swarm formed, NETWORKS overlay networks, SERVICES services of 2 tasks each spread over them, and node 1
# filled with containers on those networks up to CONTAINERS; then, with nothing changing, the CPU of node 1's
# plugin and dockerd and the lines each writes to the log, over WINDOW seconds; then the time from node 1's engine
# seeing a service scaled to the rules of every container of that network on node 1 following it.
# Usage: scripts/bench-idle.sh   (as root; NETWORKS=20 SERVICES=50 CONTAINERS=200 WINDOW=60; figures, not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
NETWORKS=${NETWORKS:-20}
SERVICES=${SERVICES:-50}
CONTAINERS=${CONTAINERS:-200}
WINDOW=${WINDOW:-60}
LAB=test-integration/lab.sh
DRIVER=javanet-overlay:latest
IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}
NODE_LOG=/tmp/jnlab/n1/dockerd.log
on() { local n=$1; shift; "$LAB" docker "$n" "$@"; }
log() { printf '%s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

# The nodes' logs are kept (LOGS, default /tmp/bench-idle-logs) before the lab goes.
LOGS=${LOGS:-/tmp/bench-idle-logs}
finish() {
    mkdir -p "$LOGS"
    for n in 1 2; do cp "/tmp/jnlab/n$n/dockerd.log" "$LOGS/node$n-dockerd.log" 2>/dev/null || true; done
    "$LAB" down >/dev/null 2>&1 || true
}
trap finish EXIT

setup() {
    [ -f target/javanet.jar ] || mvn -B -q package -DskipTests
    test-integration/engine.sh 28 >/dev/null
    test-integration/setup.sh >/dev/null
    plugin-config/build.sh javanet-overlay-build:latest >/dev/null
    docker plugin rm -f javanet-overlay-build:latest >/dev/null 2>&1 || true
    "$LAB" down >/dev/null 2>&1 || true
    "$LAB" up 2 >/dev/null
    local n i
    for n in 1 2; do "$LAB" plugin "$n" build/plugin; done
    for ((i = 0; i < NETWORKS; i++)); do
        on 1 network create -d "$DRIVER" --attachable --subnet "10.$((120 + i / 200)).$((i % 200)).0/24" "jb-n$i" >/dev/null
    done
    log "bench-idle: $NETWORKS networks made; $SERVICES services of 2 tasks"
    for ((i = 0; i < SERVICES; i++)); do
        on 1 service create -d --no-resolve-image --name "jb-s$i" --network "jb-n$((i % NETWORKS))" --replicas 2 "$IMAGE" sleep 1d >/dev/null 2>&1
    done
    converged
    local have; have=$(on 1 ps -q | wc -l)
    log "bench-idle: node 1 runs $have tasks; adding containers up to $CONTAINERS"
    for ((i = have; i < CONTAINERS; i++)); do
        on 1 run -d --name "jb-c$i" --net "jb-n$((i % NETWORKS))" "$IMAGE" sleep 1d >/dev/null
    done
}

converged() {
    local _
    for _ in $(seq 1 600); do
        [ "$(on 1 service ls --filter name=jb-s --format '{{.Replicas}}' | sort -u)" = "2/2" ] && return 0
        sleep 1
    done
    log "bench-idle: services did not converge"; return 1
}

# plugin_pid: node 1's plugin (told apart from node 2's by its network namespace).
plugin_pid() {
    local p
    for p in $(pgrep -f 'javanet.jar serve'); do
        [ "$(stat -L -c %i "/proc/$p/ns/net")" = "$(stat -L -c %i /run/netns/jnlab1)" ] && echo "$p"
    done
    return 0
}
# ticks PID: user + system CPU of a process so far, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

idle() {
    local plugin dockerd p0 d0 l0 lp0 p1 d1 l1 lp1 vips0 vips1 hz
    plugin=$(plugin_pid); dockerd=$(cat /tmp/jnlab/n1/docker.pid); hz=$(getconf CLK_TCK)
    log "bench-idle: settling 30 s, then $WINDOW s of nothing changing"
    sleep 30
    p0=$(ticks "$plugin"); d0=$(ticks "$dockerd")
    l0=$(wc -l <"$NODE_LOG"); lp0=$(grep -c 'plugin=' "$NODE_LOG" || true); vips0=$(grep -c 'service VIPs' "$NODE_LOG" || true)
    sleep "$WINDOW"
    p1=$(ticks "$plugin"); d1=$(ticks "$dockerd")
    l1=$(wc -l <"$NODE_LOG"); lp1=$(grep -c 'plugin=' "$NODE_LOG" || true); vips1=$(grep -c 'service VIPs' "$NODE_LOG" || true)
    echo "=== idle, node 1: $NETWORKS networks, $SERVICES services, $(on 1 ps -q | wc -l) containers; $WINDOW s"
    printf '%-36s %10s %10s\n' "" "plugin" "dockerd"
    printf '%-36s %9s%% %9s%%\n' "CPU, of one core" \
        "$(awk -v t=$((p1 - p0)) -v hz="$hz" -v w="$WINDOW" 'BEGIN {printf "%.2f", 100 * t / hz / w}')" \
        "$(awk -v t=$((d1 - d0)) -v hz="$hz" -v w="$WINDOW" 'BEGIN {printf "%.2f", 100 * t / hz / w}')"
    printf '%-36s %10s %10s\n' "log lines per minute" "$(( (lp1 - lp0) * 60 / WINDOW ))" \
        "$(( (l1 - l0 - (lp1 - lp0)) * 60 / WINDOW ))"
    printf '%-36s %10s\n' "VIP tables reprogrammed (log lines)" "$((vips1 - vips0))"
}

# followed: ms from node 1's engine listing a service at its new size to the rules in every container of its
# network on node 1 following, for a scale 2 -> 3 of the first service.
followed() {
    local net=jb-n0 id pids=() c t0 engine='' rules='' seen all
    id=$(on 1 network inspect -f '{{.Id}}' "$net")
    for c in $(on 1 ps -q --filter "network=$net"); do pids+=("$(on 1 inspect -f '{{.State.Pid}}' "$c")"); done
    t0=$(now_ms)
    on 1 service scale -d jb-s0=3 >/dev/null
    while [ -z "$rules" ] && [ $(($(now_ms) - t0)) -lt 60000 ]; do
        if [ -z "$engine" ] && [ "$(curl -s --unix-socket /tmp/jnlab/n1/docker.sock "http://d/networks/$id?verbose=true" \
            | jq '[.Services["jb-s0"].Tasks[]?] | length')" = 3 ]; then
            engine=$(now_ms)
        fi
        [ -n "$engine" ] || continue
        all=yes
        for p in "${pids[@]}"; do
            seen=$(nsenter -t "$p" -n nft list table ip "javanet-vip-${id:0:12}" 2>/dev/null | grep -c 'numgen random mod 3 ' || true)
            [ "$seen" -ge 1 ] || { all=no; break; }
        done
        [ "$all" = yes ] && rules=$(now_ms)
    done
    echo "scale 2 -> 3 on $net: node 1's engine listed it at $((engine - t0)) ms after the command;" \
        "the rules of all ${#pids[@]} containers of $net on node 1 followed $((${rules:-0} - engine)) ms after that"
    events "$((t0 / 1000 - 1))"
}

# events SINCE: what each node's /events said of the scale, by type: could events drive the rules instead of asking?
events() {
    local n until; until=$(( $(date +%s) + 1 ))
    for n in 1 2; do
        echo "node $n ($(on "$n" info -f '{{if .Swarm.ControlAvailable}}manager{{else}}worker{{end}}')), /events during"             "the scale: $(on "$n" events --since "$1" --until "$until" --format '{{.Type}}' | sort | uniq -c | xargs)"
    done
}

setup
idle
followed
