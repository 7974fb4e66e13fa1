#!/usr/bin/env bash
# A plugin just started against the same plugin warmed, without Docker: the socket-file plugin as installed
# (scripts/install-jar.sh: jar, native libraries, ahead-of-time cache) is started in a network namespace of its
# own and given the captured engine sessions (plugin-config/train.py's calls) ROUNDS times; for each round it
# prints the time of the endpoint calls (CreateEndpoint, Join, publishing, Leave, DeleteEndpoint) and of the
# others, and the endpoint calls' ratio to the last round's. The kernel work is real, in that namespace. Run
# STARTS plugins in a row; JVM flags after the arguments are added to the plugin's own (an A/B of a flag).
# Also prints each plugin's start to first answer (its log) and its resident memory after the last round.
# Usage: sudo scripts/bench-fresh.sh [ROUNDS [STARTS]] [-XX:FLAG …]   (defaults 4 and 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=4 starts=3
[[ ${1:-} =~ ^[0-9]+$ ]] && { rounds=$1; shift; }
[[ ${1:-} =~ ^[0-9]+$ ]] && { starts=$1; shift; }
[ "$(id -u)" -eq 0 ] || { echo "bench-fresh: run as root" >&2; exit 1; }
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
work=$(mktemp -d /var/tmp/javanet-fresh.XXXXXX)
pid=
trap '[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mvn -B -q -o package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests
scripts/install-jar.sh "$JAVA_HOME" "$work/installed"
mapfile -t flags < <(scripts/plugin-jvm-flags.sh "$work/installed")
for start in $(seq 1 "$starts"); do
    rm -rf "$work/run" && mkdir -p "$work/run"
    unshare --net java "${flags[@]}" "$@" -jar "$work/installed/javanet.jar" serve --socket "$work/run/javanet.sock" \
        --metrics-socket "$work/run/metrics.sock" --state-dir "$work/run/state" >"$work/run/log" 2>&1 &
    pid=$!
    echo "plugin $start:"
    python3 - "$work/run/javanet.sock" "$rounds" <<'PY'
import importlib.util, sys, time
spec = importlib.util.spec_from_file_location("train", "plugin-config/train.py")
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
socket, rounds = sys.argv[1], int(sys.argv[2])
train.wait_for(socket)
calls = list(train.engine_calls())
endpoint_calls = ("CreateEndpoint", "Join", "ProgramExternalConnectivity", "RevokeExternalConnectivity", "Leave",
                  "DeleteEndpoint")
times = []
for _ in range(rounds):
    endpoint = other = 0.0
    for url, body in calls:
        began = time.monotonic()
        train.call(socket, "POST", url, body)
        took = time.monotonic() - began
        if url.endswith(endpoint_calls):
            endpoint += took
        else:
            other += took
    times.append((endpoint, other))
for n, (endpoint, other) in enumerate(times, 1):
    print(f"  round {n}: endpoint calls {endpoint * 1000:.0f} ms, others {other * 1000:.0f} ms,"
          f" endpoint calls / last round's {endpoint / times[-1][0]:.2f}")
PY
    java_pid=$(pgrep -P "$pid" java || echo "$pid")
    echo "  $(grep -o 'ready [0-9]* ms after the JVM started' "$work/run/log" | head -1); resident $(( $(ps -o rss= -p "$java_pid") / 1024 )) MiB"
    kill -TERM "$pid"; wait "$pid" || true; pid=
done
