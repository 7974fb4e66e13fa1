#!/usr/bin/env bash
# Lays out the managed plugin's rootfs in DEST, in the Dockerfile's build stage (Debian with a JDK 25; the
# packages of libnftables and its libraries unpacked into NFTABLES): a runtime of just the modules javanet uses,
# the jar, its native libraries (see natives.sh), libnftables, and every shared library these need (found with
# ldd), with the dynamic loader. Nothing else: no shell, no package manager.
# Usage: plugin-config/rootfs.sh JAR NFTABLES DEST
set -euo pipefail
jar=$(readlink -f "$1") nftables_root=$2 dest=$3

# The modules the plugin loads classes from (java.sql: the JDBC driver; java.management: Micrometer and the
# metrics of its own; java.logging: SQLite's JDBC driver logs through it; jdk.unsupported: JNA's and Jetty's
# sun.misc.Unsafe). No debug information (Debian's JDK ships it beside each library: 700 MB), man pages or
# headers; zip compression of the module image costs nothing at run time, as the classes a start needs come
# from the ahead-of-time cache.
jlink --add-modules java.base,java.sql,java.management,java.logging,jdk.unsupported \
    --strip-debug --exclude-files='**.debuginfo' --no-man-pages --no-header-files --compress=zip-9 \
    --output "$dest/opt/jre"
find "$dest/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec strip --strip-unneeded {} +

install -D -m 0644 "$jar" "$dest/opt/javanet/javanet.jar"
"$(dirname "$0")/natives.sh" "$jar" "$dest/opt/javanet/lib"

nftables=$(readlink -f "$nftables_root"/usr/lib/*/libnftables.so.1)
multiarch=$(basename "$(dirname "$nftables")")
libdir=/usr/lib/$multiarch
mkdir -p "$dest$libdir"
cp -a "$nftables_root$libdir"/lib*.so.* "$dest$libdir/"
# Every other library these ELF files need, as ldd resolves it (libnftables's own from NFTABLES), copied (not
# its links) to usr/lib/MULTIARCH.
{ echo "$dest/opt/jre/bin/java"; find "$dest" -name '*.so*' -type f; } \
    | LD_LIBRARY_PATH=$nftables_root$libdir xargs ldd 2>/dev/null \
    | awk '/:$/ {next} $2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' \
    | grep -v "^$dest/" | sort -u \
    | while read -r lib; do
        [ -e "$dest$libdir/$(basename "$lib")" ] || cp -L "$lib" "$dest$libdir/"
    done
# Debian's merged /usr, and the dynamic loader at the path the ELF files name (/lib64/ld-linux-x86-64.so.2).
ln -s usr/lib "$dest/lib"
interpreter=$(readelf -l "$dest/opt/jre/bin/java" | sed -n 's/.*interpreter: \(.*\)]$/\1/p')
case $interpreter in
    /lib64/*) mkdir -p "$dest/usr/lib64" && ln -s usr/lib64 "$dest/lib64"
              ln -s "../lib/$multiarch/$(basename "$interpreter")" "$dest/usr$interpreter" ;;
esac
mkdir -p "$dest/etc" "$dest/tmp" && chmod 1777 "$dest/tmp"
