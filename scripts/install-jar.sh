#!/usr/bin/env bash
# Installs target/javanet.jar in DIR as the managed plugin's rootfs holds it in /opt/javanet: the jar, its
# native libraries in DIR/lib (plugin-config/natives.sh) and the ahead-of-time cache of a training run with this
# JDK (plugin-config/aot-cache.sh), for the socket-file plugin and the benchmarks.
# Usage: scripts/install-jar.sh JAVA_HOME DIR   (as root: the training run makes links in a namespace of its own)
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$1 dir=$2
install -D -m 0644 target/javanet.jar "$dir/javanet.jar"
PATH=$java_home/bin:$PATH plugin-config/natives.sh "$dir/javanet.jar" "$dir/lib"
plugin-config/aot-cache.sh host "$java_home" "$dir" >/dev/null
