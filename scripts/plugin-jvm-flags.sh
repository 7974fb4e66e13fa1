#!/usr/bin/env bash
# The plugin's JVM flags, one a line, read from config.json's entrypoint (the one place they are set), so that
# the socket-file plugin, the training run and the benchmarks run the jar as the managed plugin does. DIR, where
# the jar, its native libraries and its ahead-of-time cache are installed, replaces the rootfs's /opt/javanet.
# Usage: scripts/plugin-jvm-flags.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/opt/javanet} python3 - <<'PY'
import json, os
entrypoint = json.load(open("config.json"))["entrypoint"]
for flag in entrypoint[1:entrypoint.index("-jar")]:
    print(flag.replace("/opt/javanet", os.environ["DIR"]))
PY
