#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt uses (the first non-security URI of its deb822 or one-line
# sources), or DEBIAN_MIRROR when set, so that nothing here names a mirror host of its own.
set -uo pipefail
if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; exit 0; fi
mirror=$({ awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) print $i}' /etc/apt/sources.list.d/*.sources 2>/dev/null
           awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}' \
               /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; } | head -1)
[ -n "$mirror" ] || { echo "no Debian mirror in this machine's apt sources; set DEBIAN_MIRROR" >&2; exit 1; }
echo "$mirror"
