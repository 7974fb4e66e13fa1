#!/usr/bin/env bash
# javanet against Docker's own bridge driver, in one run, on this machine's dockerd, as root:
#   docker run --rm --net NET true; docker network connect + disconnect of a running container, with 0, 200
#   and 1000 containers already attached to both networks; bursts of 24 and 100 `docker run -d` at once (as
#   `docker compose up --scale` does), timed until the last has started; iperf3 between two containers; the
#   plugin's memory idle and with every filler attached; and the plugin's time from process start to answering
#   its socket.
# A/B calls are interleaved, the order swapped every round, and medians printed, so drift hits both sides.
# Usage: sudo scripts/bench-docker.sh [ROUNDS]     (env ATTACHED="0 200 1000" picks the network sizes,
#   BURSTS="24 100" the burst sizes (empty: none), BURST_ROUNDS=3 their rounds; ENGINES="20.10 28" runs the whole bench on each
#   engine in turn, through test-integration/engine.sh, the current engine when unset; FLOOR=1 adds, with 0
#   attached and to the bursts, a third network on scripts/floor-driver.py, a remote driver that does no work in
#   its calls: what it costs more than the bridge is the daemon's side of the remote-driver protocol; WARMUP=1
#   the rounds not counted before each phase: a plugin just started runs its calls in the JVM's interpreter
#   until they are compiled, after a few hundred calls)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-15}
ATTACHED=${ATTACHED:-"0 200 1000"}
BURSTS=${BURSTS-"24 100"}
BURST_ROUNDS=${BURST_ROUNDS:-3}
FLOOR=${FLOOR:-0}
WARMUP=${WARMUP:-1}
PLUGIN=javanet-bench
SOCKET=/run/docker/plugins/$PLUGIN.sock
IMAGE=javanet-test/busybox:2
IPERF_IMAGE=javanet-bench/iperf3:1
mapfile -t JVM_FLAGS < <(scripts/plugin-jvm-flags.sh)
[ "${#JVM_FLAGS[@]}" -gt 0 ] || { echo "bench: no JVM flags read from config.json" >&2; exit 1; }
WORK=$(mktemp -d /tmp/javanet-bench.XXXXXX)
RESULTS=$WORK/results
PLUGIN_PID=
FLOOR_PID=

log() { printf '%s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
record() { echo "$2" >>"$WORK/$1"; }
value() { median <"$WORK/$1"; }

cleanup() {
    # One at a time: removing hundreds at once (as `docker rm -f $(docker ps -q)` does, in parallel) deadlocked
    # dockerd 20.10 here, in libnetwork's getSvcRecords against processEndpointDelete (moby/moby#46661).
    docker ps -aq --filter name=jb- | while read -r c; do docker rm -f "$c" >/dev/null 2>&1 || true; done
    docker network rm jb-net jb-br jb-floor >/dev/null 2>&1 || true
    for pid in $PLUGIN_PID $FLOOR_PID; do
        if kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
    done
    rm -f "$SOCKET"
    rm -rf "$WORK"
}
trap cleanup EXIT

setup() {
    test-integration/setup.sh
    log "bench: the iperf3 image $(scripts/iperf-image.sh)"
    [ -f target/javanet.jar ] || mvn -B -q package -DskipTests
}

# ready_ms EXTRA_FLAGS...: milliseconds from starting the JVM to an answered Plugin.Activate
ready_ms() {
    local state=$WORK/ready-state sock=$WORK/ready.sock
    mkdir -p "$state"
    local t0; t0=$(now_ms)
    java "${JVM_FLAGS[@]}" "$@" -jar target/javanet.jar serve --socket "$sock" --state-dir "$state" \
        >>"$WORK/ready.log" 2>&1 &
    local pid=$!
    until curl -sf --unix-socket "$sock" -XPOST http://p/Plugin.Activate >/dev/null 2>&1; do sleep 0.005; done
    echo $(( $(now_ms) - t0 ))
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure_startup() {
    log "bench: start-up, plain and with an application class-data archive"
    ready_ms -XX:ArchiveClassesAtExit="$WORK/app.jsa" >/dev/null
    for _ in 1 2 3 4 5; do
        record ready_plain "$(ready_ms)"
        record ready_cds "$(ready_ms -XX:SharedArchiveFile="$WORK/app.jsa")"
    done
}

start_plugin() {
    mkdir -p "$WORK/state" /run/docker/plugins
    java "${JVM_FLAGS[@]}" -XX:SharedArchiveFile="$WORK/app.jsa" -jar target/javanet.jar serve --socket "$SOCKET" \
        --state-dir "$WORK/state" --metrics-socket "$WORK/metrics.sock" >>"$WORK/plugin.log" 2>&1 &
    PLUGIN_PID=$!
    until curl -sf --unix-socket "$SOCKET" -XPOST http://p/Plugin.Activate >/dev/null 2>&1; do sleep 0.01; done
}

start_floor() {
    local socket=/run/docker/plugins/javanet-floor.sock
    local pairs=$((2 * (ROUNDS + WARMUP) + 2)) n
    for n in $BURSTS; do pairs=$((pairs + n * BURST_ROUNDS)); done
    python3 scripts/floor-driver.py "$socket" jb-floor0 10.213.0.1/20 "$pairs" >>"$WORK/floor.log" 2>&1 &
    FLOOR_PID=$!
    until curl -sf --unix-socket "$socket" -XPOST http://p/Plugin.Activate >/dev/null 2>&1; do sleep 0.01; done
    docker network create -d javanet-floor --subnet 10.213.0.0/20 jb-floor >/dev/null
}

rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PLUGIN_PID/status"; }

# timed NAME CMD...: runs CMD, records its milliseconds under NAME
timed() {
    local name=$1; shift
    local t0; t0=$(now_ms)
    "$@" >/dev/null
    record "$name" $(( $(now_ms) - t0 ))
}

fill_to() { # fill_to N: filler containers, each attached to both networks
    local have; have=$(docker ps -q --filter name=jb-fill- | wc -l)
    [ "$have" -lt "$1" ] && log "bench: attaching fillers $have..$1 to both networks"
    for ((i = have; i < $1; i++)); do
        docker run -d --name "jb-fill-$i" --net jb-net "$IMAGE" sleep 1d >/dev/null
        docker network connect jb-br "jb-fill-$i"
    done
}

measure_attach() { # measure_attach N
    local n=$1 nets=(jb-net jb-br)
    [ "$FLOOR" = 1 ] && [ "$n" = 0 ] && nets+=(jb-floor)
    log "bench: $ROUNDS rounds of docker run and connect/disconnect with $n attached, after $WARMUP not counted"
    for ((r = 0; r < WARMUP; r++)); do # warms the plugin's JIT, as dockerd's own code is warm for the bridge
        for net in $(round_order $r "${nets[@]}"); do
            docker run --rm --net "$net" "$IMAGE" true
            docker network connect "$net" jb-probe
            docker network disconnect "$net" jb-probe
        done
    done
    for ((r = 0; r < ROUNDS; r++)); do
        for net in $(round_order $r "${nets[@]}"); do
            timed "run-$net-$n" docker run --rm --net "$net" "$IMAGE" true
            timed "connect-$net-$n" docker network connect "$net" jb-probe
            timed "disconnect-$net-$n" docker network disconnect "$net" jb-probe
        done
    done
}

round_order() { # round_order R NET...: the networks in the order of round R, reversed every other round
    local r=$1; shift
    local count=$# i
    if ((r % 2)); then
        for ((i = count; i >= 1; i--)); do echo "${!i}"; done
    else
        printf '%s\n' "$@"
    fi
}

remove_burst() {
    # One at a time: see cleanup.
    docker ps -aq --filter name=jb-burst- | while read -r c; do docker rm -f "$c" >/dev/null; done
}

measure_burst() { # measure_burst N: N containers started at once on each network, the order swapped every round
    local n=$1 t0 net nets=(jb-net jb-br)
    [ "$FLOOR" = 1 ] && nets+=(jb-floor)
    log "bench: $BURST_ROUNDS rounds of $n docker run -d at once"
    for ((r = 0; r < BURST_ROUNDS; r++)); do
        for net in $(round_order $r "${nets[@]}"); do
            t0=$(now_ms)
            seq 1 "$n" | xargs -P "$n" -I{} docker run -d --name "jb-burst-{}" --net "$net" "$IMAGE" sleep 1d >/dev/null
            record "burst-$net-$n" $(( $(now_ms) - t0 ))
            [ "$(docker ps -q --filter name=jb-burst- | wc -l)" -eq "$n" ] || { log "bench: a burst container did not start"; exit 1; }
            remove_burst
        done
    done
}

measure_iperf() {
    log "bench: iperf3, 3 rounds of 5 s per network"
    for net in jb-net jb-br; do
        docker run -d --name "jb-srv-$net" --net "$net" "$IPERF_IMAGE" -s >/dev/null
    done
    for r in 1 2 3; do
        for net in jb-net jb-br; do
            local server; server=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "jb-srv-$net")
            docker run --rm --name "jb-cli-$net" --net "$net" "$IPERF_IMAGE" -c "$server" -t 5 -f m \
                | awk '/receiver/ {for (i = 1; i < NF; i++) if ($(i+1) == "Mbits/sec") print $i}' >>"$WORK/iperf-$net"
        done
    done
}

snapshot() { curl -sf --unix-socket "$WORK/metrics.sock" http://p/metrics >"$WORK/metrics-$1"; }

# call_ms CALL FROM TO: the plugin's own mean time per successful CALL between two snapshots, from its metrics
call_ms() {
    awk -v c="call=\"NetworkDriver.$1\",outcome=\"ok\"" -v from="$WORK/metrics-$2" '
        index($0, "javanet_calls_seconds_sum{" c "}") == 1 {if (FILENAME == from) s0 = $2; else s1 = $2}
        index($0, "javanet_calls_seconds_count{" c "}") == 1 {if (FILENAME == from) n0 = $2; else n1 = $2}
        END {if (n1 > n0) printf "%.2f", (s1 - s0) / (n1 - n0) * 1000; else print "-"}' "$WORK/metrics-$2" "$WORK/metrics-$3"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "nan"; else printf "%.2f", a / b}'; }
row() { printf '%-44s %12s %12s %8s   %s\n' "$@"; }

report() {
    echo
    echo "javanet vs Docker's bridge driver: medians of $ROUNDS interleaved rounds after $WARMUP not counted" \
        "($(date -u +%F), $(nproc) cores, $(uname -r))"
    row "" "javanet" "bridge" "ratio" "target"
    for n in $ATTACHED; do
        row "docker run --rm true, $n attached (ms)" "$(value "run-jb-net-$n")" "$(value "run-jb-br-$n")" \
            "$(ratio "$(value "run-jb-net-$n")" "$(value "run-jb-br-$n")")" "<= 1.00"
        row "network connect, $n attached (ms)" "$(value "connect-jb-net-$n")" "$(value "connect-jb-br-$n")" \
            "$(ratio "$(value "connect-jb-net-$n")" "$(value "connect-jb-br-$n")")" "<= 1.00"
        row "network disconnect, $n attached (ms)" "$(value "disconnect-jb-net-$n")" "$(value "disconnect-jb-br-$n")" \
            "$(ratio "$(value "disconnect-jb-net-$n")" "$(value "disconnect-jb-br-$n")")" "<= 1.00"
    done
    if [ "$FLOOR" = 1 ]; then
        for what in run connect disconnect; do
            row "$what, floor driver, 0 attached (ms)" "$(value "$what-jb-floor-0")" "$(value "$what-jb-br-0")" \
                "$(ratio "$(value "$what-jb-floor-0")" "$(value "$what-jb-br-0")")" "(a remote driver's least)"
        done
    fi
    for n in $BURSTS; do
        row "$n x docker run -d at once (ms)" "$(value "burst-jb-net-$n")" "$(value "burst-jb-br-$n")" \
            "$(ratio "$(value "burst-jb-net-$n")" "$(value "burst-jb-br-$n")")" "<= 1.00"
        if [ "$FLOOR" = 1 ]; then
            row "$n at once, floor driver (ms)" "$(value "burst-jb-floor-$n")" "$(value "burst-jb-br-$n")" \
                "$(ratio "$(value "burst-jb-floor-$n")" "$(value "burst-jb-br-$n")")" "(a remote driver's least)"
        fi
    done
    local first last
    first=$(echo "$ATTACHED" | awk '{print $1}'); last=$(echo "$ATTACHED" | awk '{print $NF}')
    row "connect, $last vs $first attached (javanet)" "" "" \
        "$(ratio "$(value "connect-jb-net-$last")" "$(value "connect-jb-net-$first")")" "<= 1.20"
    row "iperf3 throughput (Mbit/s)" "$(value iperf-jb-net)" "$(value iperf-jb-br)" \
        "$(ratio "$(value iperf-jb-net)" "$(value iperf-jb-br)")" ">= 0.98"
    row "plugin RSS idle (MiB)" "$RSS_IDLE" "" "" "<= 96"
    row "plugin RSS, $last endpoints (MiB)" "$RSS_FULL" "" "" ""
    row "start to socket ready, plain JVM (ms)" "$(value ready_plain)" "" "" ""
    row "start to socket ready, with CDS (ms)" "$(value ready_cds)" "" "" "<= 1000"
    echo
    echo "javanet's own time per call during each phase, mean (ms), from its metrics"
    local phase phases=()
    for n in $ATTACHED; do phases+=("$n"); done
    for n in $BURSTS; do phases+=("burst-$n"); done
    row "" "${phases[@]}"
    for call in CreateEndpoint Join ProgramExternalConnectivity EndpointOperInfo Leave DeleteEndpoint; do
        local cells=()
        for phase in "${phases[@]}"; do cells+=("$(call_ms "$call" "start-$phase" "end-$phase")"); done
        row "  $call" "${cells[@]}"
    done
}

[ "$(id -u)" -eq 0 ] || { log "bench: run as root"; exit 1; }
if [ -n "${ENGINES:-}" ]; then
    for engine in $ENGINES; do
        test-integration/engine.sh "$engine" >/dev/null
        echo "=== Docker $(docker version -f '{{.Server.Version}}')"
        ENGINES= "$0" "$ROUNDS"
    done
    exit 0
fi
setup
measure_startup
start_plugin
sleep 2
RSS_IDLE=$(rss_mib)
docker network create -d "$PLUGIN" --subnet 10.211.0.0/20 jb-net >/dev/null
docker network create --subnet 10.212.0.0/20 jb-br >/dev/null
[ "$FLOOR" = 1 ] && start_floor
docker run -d --name jb-probe "$IMAGE" sleep 1d >/dev/null
for n in $ATTACHED; do
    fill_to "$n"
    snapshot "start-$n"
    measure_attach "$n"
    snapshot "end-$n"
done
RSS_FULL=$(rss_mib)
for n in $BURSTS; do
    snapshot "start-burst-$n"
    measure_burst "$n"
    snapshot "end-burst-$n"
done
measure_iperf
report
