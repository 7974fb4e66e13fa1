#!/usr/bin/env bash
# Captures the netlink requests tc itself sends for the bandwidth limits javanet makes, as the golden files of
# TcMessagesTest (src/test/resources/io/javanet/netlink/tc/*.hex): each file is the command, then the request's
# bytes in hex with the sequence number zeroed. The link is the first veth in a throwaway namespace (ifindex 3 on
# current kernels; the test asks for the index written here).
#
# Needs root, strace, and tc of iproute2 6.15 or later (earlier ones round rate tables down): TC=/path/to/tc.
# tc's bytes are taken before the kernel answers, so a kernel without matchall or police still serves.
set -euo pipefail
TC=${TC:-tc}
OUT=${OUT:-$(dirname "$0")/../src/test/resources/io/javanet/netlink/tc}
NS=jn-golden-$$
mkdir -p "$OUT"
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
ip -n "$NS" link add va type veth peer name vb
INDEX=$(ip -n "$NS" -j link show dev va | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ifindex"])')

capture() {
    local name=$1; shift
    local trace
    trace=$(mktemp)
    ip netns exec "$NS" strace -e trace=sendmsg -e write=3 -o "$trace" "$TC" "$@" >/dev/null 2>&1 || true
    {
        echo "# tc $* (dev va = ifindex $INDEX), $("$TC" -V)"
        python3 - "$trace" <<'EOF'
import re, sys
hexed = ''.join(m.group(1).replace(' ', '') for m in
                (re.match(r' \| [0-9a-f]{5}  (.{48})', line) for line in open(sys.argv[1])) if m)
data = bytes.fromhex(hexed)
data = data[:8] + bytes(4) + data[12:]
for i in range(0, len(data), 32):
    print(data[i:i + 32].hex())
EOF
    } >"$OUT/$name.hex"
    rm -f "$trace"
}

capture tbf-20mbit qdisc replace dev va root handle 1: tbf rate 20mbit burst 25000 latency 50ms
capture tbf-1mbit qdisc replace dev va root handle 1: tbf rate 1mbit burst 15140 latency 50ms
capture tbf-40gbit qdisc replace dev va root handle 1: tbf rate 40gbit burst 50000000 latency 50ms
capture ingress-add qdisc add dev va ingress
capture police-20mbit filter add dev va ingress pref 1 handle 1 protocol all matchall action police rate 20mbit burst 524288 mtu 128kb drop
capture police-40gbit filter add dev va ingress pref 1 handle 1 protocol all matchall action police rate 40gbit burst 1000000000 mtu 128kb drop
capture police-del filter del dev va ingress pref 1
capture root-del qdisc del dev va root
capture ingress-del qdisc del dev va ingress
capture qdisc-dump qdisc show dev va
capture filter-dump filter show dev va ingress
ls -l "$OUT"
