#!/usr/bin/env bash
# javanet's overlay beside Docker's own, in one lab of two swarm nodes on this machine (test-integration/lab.sh),
# interleaved round by round: cross-node TCP throughput (iperf3), cross-node round-trip time (ping), and the time
# of `docker run --rm … true` on the second node. Prints medians and javanet/Docker ratios.
# Usage: scripts/bench-overlay.sh [ROUNDS]   (as root; default 5 rounds; figures, not a test)
#   env RUNS=3: the timed `docker run`s per network in a round; WARMUP=1: rounds of `docker run` on node 2 not
#   counted first (a plugin just started runs its calls in the JVM's interpreter until they are compiled)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
LAB=test-integration/lab.sh
DRIVER=javanet-overlay:latest
IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}
IPERF_IMAGE=javanet-bench/iperf3:1
WORK=$(mktemp -d /tmp/javanet-bench-overlay.XXXXXX)
on() { local n=$1; shift; "$LAB" docker "$n" "$@"; }
log() { printf '%s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

cleanup() { "$LAB" down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

setup() {
    [ -f target/javanet.jar ] || mvn -B -q package -DskipTests
    test-integration/engine.sh 28 >/dev/null
    test-integration/setup.sh >/dev/null
    scripts/iperf-image.sh >/dev/null
    plugin-config/build.sh javanet-overlay-build:latest >/dev/null
    docker plugin rm -f javanet-overlay-build:latest >/dev/null 2>&1 || true
    "$LAB" down >/dev/null 2>&1 || true
    "$LAB" nodes 2 >/dev/null
    for n in 1 2; do
        docker save "$IPERF_IMAGE" | on "$n" load -q >/dev/null
        "$LAB" plugin "$n" build/plugin
    done
    "$LAB" swarm >/dev/null
    sleep 3
    on 1 network create -d "$DRIVER" --attachable --subnet 10.92.0.0/24 jb-jov >/dev/null
    on 1 network create -d overlay --attachable --subnet 10.93.0.0/24 jb-dov >/dev/null
    for net in jb-jov jb-dov; do
        on 2 run -d --name "srv-$net" --net "$net" "$IPERF_IMAGE" -s >/dev/null
        on 1 run -d --name "cli-$net" --net "$net" "$IMAGE" sleep 3600 >/dev/null
    done
    sleep 2
}

address() { on 2 inspect -f "{{(index .NetworkSettings.Networks \"$1\").IPAddress}}" "srv-$1"; }

nets_of_round() { if (($1 % 2)); then echo jb-dov jb-jov; else echo jb-jov jb-dov; fi; }

measure() {
    local r i net server t0
    log "bench-overlay: $WARMUP rounds of docker run on node 2 not counted"
    for ((r = 0; r < WARMUP; r++)); do
        for net in $(nets_of_round "$r"); do on 2 run --rm --net "$net" "$IMAGE" true; done
    done
    for r in $(seq 1 "$ROUNDS"); do
        for net in $(nets_of_round "$r"); do
            server=$(address "$net")
            on 1 run --rm --net "$net" "$IPERF_IMAGE" -c "$server" -t 3 -f m \
                | awk '/receiver/ {for (i = 1; i < NF; i++) if ($(i+1) == "Mbits/sec") print $i}' >>"$WORK/tput-$net"
            on 1 exec "cli-$net" ping -c 10 -i 0.2 -q "$server" \
                | sed -n 's|.* = [0-9.]*/\([0-9.]*\)/.*|\1|p' >>"$WORK/rtt-$net"
            for ((i = 0; i < RUNS; i++)); do
                t0=$(now_ms)
                on 2 run --rm --net "$net" "$IMAGE" true
                echo $(($(now_ms) - t0)) >>"$WORK/run-$net"
            done
        done
        log "bench-overlay: round $r of $ROUNDS"
    done
}

median() { sort -g "$WORK/$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

report() {
    printf '| measure (median of %s rounds, %s runs each, after %s not counted) | javanet overlay | Docker overlay | ratio |\n|---|---|---|---|\n' \
        "$ROUNDS" "$RUNS" "$WARMUP"
    local name file
    for name in "cross-node TCP, iperf3 (Mbit/s):tput" "cross-node ping RTT (ms):rtt" "docker run --rm on node 2 (ms):run"; do
        file=${name##*:}
        printf '| %s | %s | %s | %s |\n' "${name%:*}" "$(median "$file-jb-jov")" "$(median "$file-jb-dov")" \
            "$(ratio "$(median "$file-jb-jov")" "$(median "$file-jb-dov")")"
    done
}

setup
measure
report
