#!/usr/bin/env bash
# The managed plugin's JVM flags, one a line, read from config.json's entrypoint, so that the benchmarks run the
# jar as the plugin runs it. Its class-data archive, a file of the plugin's rootfs, is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import json
entrypoint = json.load(open("config.json"))["entrypoint"]
for flag in entrypoint[1:entrypoint.index("-jar")]:
    if not flag.startswith("-XX:SharedArchiveFile="):
        print(flag)
PY
