#!/usr/bin/env bash
# Makes the benchmarks' iperf3 image from this host's iperf3 and the libraries it links (no registry needed),
# unless the engine DOCKER_HOST names (default: the local one) has it. Prints the image's name.
set -euo pipefail
IPERF_IMAGE=javanet-bench/iperf3:1
command -v iperf3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 >/dev/null
if ! docker image inspect "$IPERF_IMAGE" >/dev/null 2>&1; then
    rootfs=$(mktemp -d)
    binary=$(command -v iperf3)
    mkdir -p "$rootfs/tmp" "$rootfs/etc"
    cp --parents "$binary" "$rootfs"
    ldd "$binary" | grep -o '/[^ ]*' | xargs -I{} cp --parents -L {} "$rootfs"
    echo 'root:x:0:0:root:/:/bin/sh' >"$rootfs/etc/passwd"
    tar -C "$rootfs" -c . | docker import -c "ENTRYPOINT [\"$binary\"]" - "$IPERF_IMAGE" >/dev/null
    rm -rf "$rootfs"
fi
echo "$IPERF_IMAGE"
