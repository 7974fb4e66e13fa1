#!/usr/bin/env bash
# Unpacks the two native libraries javanet's dependencies carry in the jar (SQLite's JDBC driver and JNA's
# dispatch library) for this machine into DIR, once, at install: pointed there by the plugin's JVM flags
# (-Dorg.sqlite.lib.path, -Djna.boot.library.path), neither unpacks its copy into a temporary directory at every
# start, where a crash leaves it behind.
# Usage: plugin-config/natives.sh JAR DIR   (the JDK's jar tool on PATH)
set -euo pipefail
jar=$(readlink -f "$1") dir=$2
case $(uname -m) in
    x86_64) sqlite=Linux/x86_64 jna=linux-x86-64 ;;
    aarch64) sqlite=Linux/aarch64 jna=linux-aarch64 ;;
    *) echo "natives: javanet ships no native libraries for $(uname -m)" >&2; exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && jar xf "$jar" "org/sqlite/native/$sqlite/libsqlitejdbc.so" "com/sun/jna/$jna/libjnidispatch.so")
install -D -m 0755 "$tmp/org/sqlite/native/$sqlite/libsqlitejdbc.so" "$dir/libsqlitejdbc.so"
install -D -m 0755 "$tmp/com/sun/jna/$jna/libjnidispatch.so" "$dir/libjnidispatch.so"
