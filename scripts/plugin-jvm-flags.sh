#!/usr/bin/env bash
# The plugin's JVM flags, one a line, read from config.json's entrypoint (the one place they are set), so that
# the socket-file plugin, the training run and the benchmarks run the jar as the managed plugin does. DIR, where
# the jar, its native libraries and its ahead-of-time cache are installed, replaces the rootfs's /opt/javanet;
# --no-cache leaves out the cache's flag (a training run, which makes the cache, or a jar run without one).
# Usage: scripts/plugin-jvm-flags.sh [--no-cache] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cache=1
[ "${1:-}" = --no-cache ] && { cache=0; shift; }
DIR=${1:-/opt/javanet} CACHE=$cache python3 - <<'PY'
import json, os
entrypoint = json.load(open("config.json"))["entrypoint"]
for flag in entrypoint[1:entrypoint.index("-jar")]:
    if os.environ["CACHE"] == "1" or not flag.startswith("-XX:AOTCache="):
        print(flag.replace("/opt/javanet", os.environ["DIR"]))
PY
