#!/usr/bin/env bash
# Makes the plugin's ahead-of-time cache (JEP 483/514/515: its classes loaded and linked, method profiles) from
# a training run: the plugin, with the flags it runs with, serves in a network namespace of its own while
# train.py replays real engines' calls to it; it records at SIGTERM, and a second JVM writes the cache. A cache
# belongs to one JVM build and one jar: so the managed plugin's is made in its own image, the socket-file
# plugin's with the host's JDK.
# Usage: plugin-config/aot-cache.sh image IMAGE OUT     (OUT: the cache, for /opt/javanet/javanet.jar in IMAGE)
#        plugin-config/aot-cache.sh host JAVA_HOME DIR  (DIR/javanet.jar; writes DIR/javanet.aot)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1
work=$(mktemp -d /var/tmp/javanet-training.XXXXXX)
name=javanet-training-$$
pid=
trap 'docker rm -f "$name" >/dev/null 2>&1 || true; [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

case $kind in
    image) out=$3 dir=/opt/javanet
           jvm=(docker run --name "$name" --network none --cap-add NET_ADMIN --cap-add SYS_ADMIN -v "$work:$work"
                --entrypoint /opt/jre/bin/java "$2")
           stop() { docker kill -s TERM "$name" >/dev/null; docker wait "$name" >/dev/null; docker rm "$name" >/dev/null; } ;;
    host)  jvm=(unshare --net "$2/bin/java") dir=$3 out=$3/javanet.aot
           stop() { kill -TERM "$pid"; } ;;
    *) echo "usage: $0 image IMAGE OUT | host JAVA_HOME DIR" >&2; exit 2 ;;
esac
mapfile -t flags < <(scripts/plugin-jvm-flags.sh --no-cache "$dir")

"${jvm[@]}" "${flags[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$work/javanet.aotconf" -jar "$dir/javanet.jar" serve \
    --socket "$work/javanet.sock" --metrics-socket "$work/metrics.sock" --state-dir "$work/state" \
    >"$work/training.log" 2>&1 &
pid=$!
python3 plugin-config/train.py "$work/javanet.sock" "$work/metrics.sock" || { tail -20 "$work/training.log" >&2; exit 1; }
stop
wait "$pid" || true
[ -s "$work/javanet.aotconf" ] || { echo "aot-cache: the training run recorded nothing" >&2; tail -20 "$work/training.log" >&2; exit 1; }
"${jvm[@]}" "${flags[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$work/javanet.aotconf" -XX:AOTCache="$work/javanet.aot" \
    -jar "$dir/javanet.jar" >"$work/create.log" 2>&1 || { tail -20 "$work/create.log" >&2; exit 1; }
install -m 0644 "$work/javanet.aot" "$out"
echo "aot-cache: $out, $(du -h "$out" | cut -f1)"
