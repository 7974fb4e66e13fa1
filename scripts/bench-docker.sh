#!/usr/bin/env bash
# javanet against Docker's own bridge driver, in one run, on this machine's dockerd, as root:
#   docker run --rm --net NET true; docker network connect + disconnect of a running container, with 0, 200
#   and 1000 containers already attached to both networks; bursts of 24 and 100 `docker run -d` at once (as
#   `docker compose up --scale` does), timed until the last has started; iperf3 between two containers; the
#   plugin's memory idle and with every filler attached; the plugin's time from process start to answering its
#   socket, as installed (scripts/install-jar.sh: with its ahead-of-time cache) and without the cache; and, first
#   of all, a plugin just started against the same plugin warmed: connect and disconnect over its first 10
#   attaches and over 10 after WARM_ROUNDS more, with javanet's own time per attach from its metrics.
# A/B calls are interleaved, the order swapped every round, and medians printed, so drift hits both sides.
# Usage: sudo scripts/bench-docker.sh [ROUNDS]     (env ATTACHED="0 200 1000" picks the network sizes,
#   BURSTS="24 100" the burst sizes (empty: none), BURST_ROUNDS=3 their rounds; ENGINES="20.10 28" runs the whole bench on each
#   engine in turn, through test-integration/engine.sh, the current engine when unset; FLOOR=1 adds, with 0
#   attached and to the bursts, a third network on scripts/floor-driver.py, a remote driver that does no work in
#   its calls: what it costs more than the bridge is the daemon's side of the remote-driver protocol; WARMUP=1
#   the rounds not counted before each later phase; WARM_ROUNDS=150 the attaches between the fresh and warm
#   measurements)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-15}
ATTACHED=${ATTACHED:-"0 200 1000"}
BURSTS=${BURSTS-"24 100"}
BURST_ROUNDS=${BURST_ROUNDS:-3}
FLOOR=${FLOOR:-0}
WARMUP=${WARMUP:-1}
WARM_ROUNDS=${WARM_ROUNDS:-150}
PLUGIN=javanet-bench
SOCKET=/run/docker/plugins/$PLUGIN.sock
IMAGE=javanet-test/busybox:2
IPERF_IMAGE=javanet-bench/iperf3:1
WORK=$(mktemp -d /tmp/javanet-bench.XXXXXX)
INSTALLED=$WORK/javanet
mapfile -t JVM_FLAGS < <(scripts/plugin-jvm-flags.sh "$INSTALLED")
[ "${#JVM_FLAGS[@]}" -gt 0 ] || { echo "bench: no JVM flags read from config.json" >&2; exit 1; }
mapfile -t NO_CACHE_FLAGS < <(scripts/plugin-jvm-flags.sh --no-cache "$INSTALLED")
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
    JAVA_HOME=$(scripts/java-home.sh)
    export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
    [ -f target/javanet.jar ] || mvn -B -q package -DskipTests
    log "bench: installing the jar as the socket-file plugin is (native libraries, ahead-of-time cache)"
    scripts/install-jar.sh "$JAVA_HOME" "$INSTALLED"
}

# ready_ms FLAGS...: milliseconds from starting the JVM to an answered Plugin.Activate, asked every 2 ms from one
# process: a curl forked every 5 ms took CPU from the JVM it timed (on two cores, its log's "ready" came 30-60 ms
# later than with this).
ready_ms() {
    local state=$WORK/ready-state sock=$WORK/ready.sock
    mkdir -p "$state"
    python3 - "$sock" "$WORK/ready.log" java "$@" -jar "$INSTALLED/javanet.jar" serve --socket "$sock" \
        --state-dir "$state" <<'PY'
import importlib.util, subprocess, sys, time
spec = importlib.util.spec_from_file_location("train", "plugin-config/train.py")
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
began = time.monotonic()
with open(sys.argv[2], "a") as log:
    plugin = subprocess.Popen(sys.argv[3:], stdout=log, stderr=subprocess.STDOUT)
    train.wait_for(sys.argv[1], poll=0.002)
    print(round((time.monotonic() - began) * 1000))
    plugin.terminate()
    plugin.wait()
PY
}

measure_startup() {
    log "bench: start-up, as installed and without the ahead-of-time cache"
    for _ in 1 2 3 4 5; do
        record ready_cached "$(ready_ms "${JVM_FLAGS[@]}")"
        record ready_plain "$(ready_ms "${NO_CACHE_FLAGS[@]}")"
    done
}

start_plugin() {
    mkdir -p "$WORK/state" /run/docker/plugins
    java "${JVM_FLAGS[@]}" -jar "$INSTALLED/javanet.jar" serve --socket "$SOCKET" \
        --state-dir "$WORK/state" --metrics-socket "$WORK/metrics.sock" >>"$WORK/plugin.log" 2>&1 &
    PLUGIN_PID=$!
    until curl -sf --unix-socket "$SOCKET" -XPOST http://p/Plugin.Activate >/dev/null 2>&1; do sleep 0.01; done
}

start_floor() {
    local socket=/run/docker/plugins/javanet-floor.sock
    local pairs=$((2 * (ROUNDS + WARMUP) + 2 + 20)) n
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

# measure_fresh_and_warm: the first 10 attaches of a plugin just started (connect and disconnect, the networks
# interleaved), then WARM_ROUNDS attaches to javanet's network alone, then 10 more measured the same way.
measure_fresh_and_warm() {
    local nets=(jb-net jb-br) phase r net
    [ "$FLOOR" = 1 ] && nets+=(jb-floor)
    for phase in fresh warm; do
        if [ "$phase" = warm ]; then
            log "bench: $WARM_ROUNDS attaches to warm the plugin"
            for ((r = 0; r < WARM_ROUNDS; r++)); do
                docker network connect jb-net jb-probe
                docker network disconnect jb-net jb-probe
            done
        fi
        log "bench: 10 connects and disconnects, $phase"
        snapshot "start-$phase"
        for ((r = 0; r < 10; r++)); do
            for net in $(round_order $r "${nets[@]}"); do
                timed "connect-$net-$phase" docker network connect "$net" jb-probe
                timed "disconnect-$net-$phase" docker network disconnect "$net" jb-probe
            done
        done
        snapshot "end-$phase"
    done
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

# attach_ms FROM TO: javanet's own time in all its successful calls between two snapshots, per attach (of 10)
attach_ms() {
    awk -v from="$WORK/metrics-$1" 'index($0, "javanet_calls_seconds_sum{") == 1 && $0 ~ /outcome="ok"/ {
            if (FILENAME == from) s0 += $2; else s1 += $2 }
        END {printf "%.2f", (s1 - s0) / 10 * 1000}' "$WORK/metrics-$1" "$WORK/metrics-$2"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "nan"; else printf "%.2f", a / b}'; }
row() { printf '%-44s %12s %12s %8s   %s\n' "$@"; }

report() {
    echo
    echo "javanet vs Docker's bridge driver: medians of $ROUNDS interleaved rounds after $WARMUP not counted" \
        "($(date -u +%F), $(nproc) cores, $(uname -r))"
    row "" "javanet" "bridge" "ratio" "target"
    local phase floor_ratio
    for phase in fresh warm; do
        local label="first 10 after start"; [ "$phase" = warm ] && label="10 after $WARM_ROUNDS more"
        if [ "$FLOOR" = 1 ]; then
            floor_ratio=$(ratio "$(value "connect-jb-floor-$phase")" "$(value "connect-jb-br-$phase")")
            row "network connect, floor driver, $label (ms)" "$(value "connect-jb-floor-$phase")" \
                "$(value "connect-jb-br-$phase")" "$floor_ratio" "(a remote driver's least)"
        fi
        row "network connect, $label (ms)" "$(value "connect-jb-net-$phase")" "$(value "connect-jb-br-$phase")" \
            "$(ratio "$(value "connect-jb-net-$phase")" "$(value "connect-jb-br-$phase")")" \
            "$([ "$FLOOR" = 1 ] && awk -v f="$floor_ratio" 'BEGIN {printf "<= %.2f", f + 0.05}')"
        row "network disconnect, $label (ms)" "$(value "disconnect-jb-net-$phase")" \
            "$(value "disconnect-jb-br-$phase")" \
            "$(ratio "$(value "disconnect-jb-net-$phase")" "$(value "disconnect-jb-br-$phase")")" ""
    done
    local fresh_attach warm_attach
    fresh_attach=$(attach_ms start-fresh end-fresh); warm_attach=$(attach_ms start-warm end-warm)
    row "javanet's time per attach, fresh / warm (ms)" "$fresh_attach" "$warm_attach" \
        "$(ratio "$fresh_attach" "$warm_attach")" "<= 1.20"
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
    row "plugin RSS idle (MiB)" "$RSS_IDLE" "" "" "<= 64"
    row "plugin RSS, $last endpoints (MiB)" "$RSS_FULL" "" "" "<= 96"
    row "start to first answer, as installed (ms)" "$(value ready_cached)" "" "" "<= 300"
    row "start to first answer, no AOT cache (ms)" "$(value ready_plain)" "" "" ""
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
measure_fresh_and_warm
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
