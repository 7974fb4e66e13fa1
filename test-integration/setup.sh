#!/usr/bin/env bash
# Prepares this machine for the tests: the packages the kernel and integration tests use, a running dockerd
# and a local test image.
# Idempotent; safe to run on a machine that already has everything.
set -euo pipefail

TEST_IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=eventually.sh
. "$here/eventually.sh"

need_packages=()
command -v dockerd >/dev/null || need_packages+=(docker.io)
[ -x /bin/busybox ] || need_packages+=(busybox-static)
command -v ip >/dev/null || need_packages+=(iproute2)
command -v iptables >/dev/null || need_packages+=(iptables)
command -v nft >/dev/null || need_packages+=(nftables)
ls /usr/lib/*/libnftables.so.1 >/dev/null 2>&1 || need_packages+=(libnftables1)
command -v curl >/dev/null || need_packages+=(curl)
command -v gcc >/dev/null || need_packages+=(gcc libc6-dev)
command -v sqlite3 >/dev/null || need_packages+=(sqlite3)
command -v strace >/dev/null || need_packages+=(strace)
command -v jq >/dev/null || need_packages+=(jq)
if [ ${#need_packages[@]} -gt 0 ]; then
    echo "setup: installing ${need_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

if ! docker version >/dev/null 2>&1; then
    echo "setup: starting dockerd"
    setsid nohup dockerd --host=unix:///var/run/docker.sock >>/var/log/javanet-it-dockerd.log 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    eventually 30 docker version >/dev/null
fi

if ! docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
    echo "setup: building $TEST_IMAGE from busybox-static and udp-echo.c"
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/www"
    cp /bin/busybox "$rootfs/bin/busybox"
    gcc -static -O2 -o "$rootfs/bin/udp-echo" "$here/udp-echo.c"
    for applet in $("$rootfs/bin/busybox" --list); do
        [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
    done
    echo 'root:x:0:0:root:/:/bin/sh' >"$rootfs/etc/passwd"
    echo 'javanet test page' >"$rootfs/var/www/index.html"
    tar -C "$rootfs" -c . | docker import - "$TEST_IMAGE" >/dev/null
    rm -rf "$rootfs"
fi
