#!/usr/bin/env bash
# What the kernel charges for the two ways a container's interface reaches its namespace, per interface:
#   moved   a veth made in the host's namespace, one end then moved into the container's (IFLA_NET_NS_FD). Docker
#           does this with every remote driver's interface: the protocol's Join answer names an interface in the
#           host's namespace and has no way to say it is already in the container.
#   made    a veth made with one end already in the container's namespace, as Docker 28's own bridge driver does.
# A move runs __dev_change_net_namespace, which waits for an RCU barrier with the rtnl lock held, so moves also
# queue behind one another. Each figure is one `ip -batch` of N operations divided by N (no fork per operation).
# Usage: sudo scripts/bench-netns-move.sh [N]     (default 50; makes and removes its own namespace and links)
set -euo pipefail
N=${1:-50}
NS=jnbench-move
[ "$(id -u)" -eq 0 ] || { echo "bench-netns-move: run as root" >&2; exit 1; }
WORK=$(mktemp -d /tmp/javanet-move.XXXXXX)
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    for i in $(seq 1 "$N"); do ip link del "jmh$i" 2>/dev/null || true; ip link del "jmc$i" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"

# per_op_us FILE: microseconds per line of FILE run as one ip batch
per_op_us() {
    local t0 t1
    t0=$(date +%s%N)
    ip -batch "$1"
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 / N ))
}

for i in $(seq 1 "$N"); do echo "link add jmh$i type veth peer name jmp$i"; done >"$WORK/host"
for i in $(seq 1 "$N"); do echo "link set jmp$i netns $NS"; done >"$WORK/move"
for i in $(seq 1 "$N"); do echo "link add jmc$i type veth peer name jmq$i netns $NS"; done >"$WORK/made"

host=$(per_op_us "$WORK/host")
move=$(per_op_us "$WORK/move")
made=$(per_op_us "$WORK/made")
echo "kernel $(uname -r), $N interfaces, microseconds per interface:"
printf '  %-58s %8s\n' "veth made in the host's namespace" "$host"
printf '  %-58s %8s\n' "one end then moved into a namespace (remote drivers)" "$move"
printf '  %-58s %8s\n' "moved: made + move" "$((host + move))"
printf '  %-58s %8s\n' "made with one end in the namespace (Docker 28's bridge)" "$made"
