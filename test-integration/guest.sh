#!/usr/bin/env bash
# Boots Debian's own kernel, which has ipvlan, 802.1q and WireGuard (this host's kernel has none of them), under
# QEMU with this host's root over 9p, runs COMMAND in this work tree as root inside it, and exits with COMMAND's
# status.
# Usage: test-integration/guest.sh COMMAND [ARG...]   (as root)
#
# What the guest is, and why:
# - TCG, not KVM: this VM has /dev/kvm but no nested virtualisation; a KVM guest never boots.
# - The JVM's JIT crashes under TCG, so Java runs interpreted (JAVA_TOOL_OPTIONS=-Xint reaches forked JVMs).
# - /run is a tmpfs in the guest: network namespaces' bind mounts and SQLite's WAL cannot live on 9p. State
#   directories go under /run, and so do temporary files (/run/tmp).
# - The kernel loads modules on demand (nftables' expressions) by running /proc/sys/kernel/modprobe in the
#   initramfs's root, so that is a script there that runs the host's modprobe on the Debian kernel's modules.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
tree=$(cd "$(dirname "$0")/.." && pwd)
cache=${JAVANET_GUEST_CACHE:-/var/cache/javanet-guest}
timeout=${JAVANET_GUEST_TIMEOUT:-1500}

need=()
for tool in qemu-system-x86_64:qemu-system-x86 cpio:cpio depmod:kmod; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
kernel_release() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1; }
# A clean machine may have no package lists yet.
if [ ${#need[@]} -gt 0 ] || [ -z "$(kernel_release)" ]; then
    apt-get update -qq
fi
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

# The kernel Debian's linux-image-amd64 stands for today, unpacked once into the cache.
release=$(kernel_release)
[ -n "$release" ] || { echo "guest: no kernel package behind linux-image-amd64" >&2; exit 1; }
kernel=$cache/linux-$release
if [ ! -f "$kernel/lib/modules/$release/modules.dep" ]; then
    mkdir -p "$cache"
    download=$(mktemp -d "$cache/download.XXXXXX")
    chmod 755 "$download" && chown _apt "$download" 2>/dev/null || true
    (cd "$download" && apt-get download "linux-image-$release" >/dev/null)
    rm -rf "$kernel"
    dpkg -x "$download"/linux-image-*.deb "$kernel"
    depmod -b "$kernel" "$release"
    rm -rf "$download"
fi

run=$(mktemp -d /tmp/javanet-guest.XXXXXX)
trap 'rm -rf "$run"' EXIT

# The initramfs: busybox, the modules that reach the host's root over 9p, and the init that boots into it.
initramfs=$run/initramfs
mkdir -p "$initramfs"/{bin,sbin,proc,sys,dev,host,modules}
cp /bin/busybox "$initramfs/bin/busybox"
for applet in sh mount mkdir chroot poweroff insmod cat echo sleep; do ln -s busybox "$initramfs/bin/$applet"; done
for module in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet \
        9pnet_virtio 9p; do
    found=$(find "$kernel/lib/modules/$release" -name "$module.ko*" | head -1)
    [ -n "$found" ] || { echo "guest: module $module not in linux-image-$release" >&2; exit 1; }
    cp "$found" "$initramfs/modules/"
    echo "$(basename "$found")" >>"$initramfs/modules/order"
done
cat >"$initramfs/sbin/modprobe" <<EOF
#!/bin/sh
exec chroot /host /sbin/modprobe -d $kernel "\$@"
EOF
cat >"$initramfs/init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
ln -s /proc/self/fd /dev/fd
for m in \$(cat /modules/order); do insmod /modules/\$m; done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 hostroot /host
for fs in proc sys dev; do mount --bind /\$fs /host/\$fs; done
mkdir -p /host/dev/pts
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/run
echo /sbin/modprobe >/proc/sys/kernel/modprobe
chroot /host /bin/bash $run/inside.sh
poweroff -f
EOF
chmod +x "$initramfs/init" "$initramfs/sbin/modprobe"
(cd "$initramfs" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$run/initrd.gz"

# What runs inside: the modules the tests need (the rest load on demand), then COMMAND; its status to the host.
{
    echo "set -u"
    echo "modprobe -d $kernel -a ipvlan 8021q dummy veth bridge macvlan vxlan nf_tables wireguard sch_tbf sch_ingress cls_matchall act_police"
    echo "mkdir -p /run/netns /run/docker/plugins /run/tmp"
    echo "export JAVA_TOOL_OPTIONS='-Xint -Djava.io.tmpdir=/run/tmp' TMPDIR=/run/tmp PATH=$PATH HOME=${HOME:-/root}"
    echo "export JAVA_HOME=$(printf '%q' "$("$tree/scripts/java-home.sh")")"
    # The link kinds this kernel must have: the kernel tests that ask it fail if it answers otherwise.
    echo "export JAVANET_LINK_KINDS='ipvlan vlan dummy wireguard'"
    echo "cd $(printf '%q' "$tree")"
    printf '%q ' "$@"; echo
    echo "echo \$? >$run/status"
} >"$run/inside.sh"

echo "guest: linux-image-$release under QEMU (TCG), running: $*" >&2
timeout "$timeout" qemu-system-x86_64 -accel tcg -cpu max -m 3072 -smp 2 -nographic -no-reboot -nic none \
    -kernel "$kernel/boot/vmlinuz-$release" -initrd "$run/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=passthrough,multidevs=remap,id=hostroot \
    </dev/null | sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' || true
[ -s "$run/status" ] || { echo "guest: $* did not finish (no status; timeout ${timeout} s)" >&2; exit 1; }
exit "$(cat "$run/status")"
