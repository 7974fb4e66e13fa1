#!/usr/bin/env bash
# Encrypted overlay throughput and latency, in one run, on one pair of nodes (network namespaces on one
# underlay, each running the plugin as a global-scope install; test-integration/overlay-nodes.sh):
#   clear      javanet's overlay, VXLAN in the clear
#   wireguard  javanet's --opt encrypted: VXLAN inside WireGuard
#   esp        VXLAN protected by IPsec ESP in transport mode with AES-GCM, as Docker's --opt encrypted sets it
#              up (made here by hand with ip xfrm: Docker gives its keys to no remote driver)
# A container namespace on each node has a link on each; iperf3 measures TCP throughput one way, ping the
# round-trip time. Needs WireGuard and ESP in the kernel: run it in the QEMU guest,
#   test-integration/guest.sh scripts/bench-encrypted.sh
# where TCG emulates every instruction: read the ratios, not the absolute figures.
# Usage: scripts/bench-encrypted.sh [SECONDS per throughput run, default 10]   (as root; after `mvn package`)
set -uo pipefail
here=$(cd "$(dirname "$0")/../test-integration" && pwd)
PLUGIN=javanet-bench
WORK_IN=/run
# shellcheck source=../test-integration/lib.sh
. "$here/lib.sh"
# shellcheck source=../test-integration/overlay-nodes.sh
. "$here/overlay-nodes.sh"
PLUGIN_START_SECONDS=${PLUGIN_START_SECONDS:-180}
DURATION=${1:-10}
trap 'run_cleanup; run_cleanup SUITE_CLEANUP; rm -rf "$WORK"' EXIT

# esp_path: a VXLAN device on each node on UDP 4789, flooding to the other node, with a macvlan of it in each
# container as eth-esp; ESP transport mode, rfc4106(gcm(aes)) with a 128-bit key, 4-byte salt and 16-byte ICV,
# on that port between the nodes' addresses, each direction its own SPI and key.
esp_path() {
    local a b n other spi key
    for n in 1 2; do
        other=$((3 - n))
        ip -n "jnen-n$n" link add espx type vxlan id 4000 dstport 4789 local "$UNDERLAY.$n" || return 1
        ip -n "jnen-n$n" link set espx mtu 1400 up
        bridge -n "jnen-n$n" fdb append 00:00:00:00:00:00 dev espx dst "$UNDERLAY.$other"
        ip -n "jnen-n$n" link add link espx name esp0 type macvlan mode bridge
        ip -n "jnen-n$n" link set esp0 netns "jnen-c$n"
        ip -n "jnen-c$n" link set esp0 name eth-esp
        ip -n "jnen-c$n" addr add "10.232.0.$((n + 1))/24" dev eth-esp
        ip -n "jnen-c$n" link set eth-esp up
    done
    for a in 1 2; do
        b=$((3 - a)); spi=$((0x1000 + a)); key=0x$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
        for n in 1 2; do
            ip -n "jnen-n$n" xfrm state add src "$UNDERLAY.$a" dst "$UNDERLAY.$b" proto esp spi "$spi" reqid "$spi" \
                mode transport aead 'rfc4106(gcm(aes))' "$key" 128 || return 1
        done
        ip -n "jnen-n$a" xfrm policy add src "$UNDERLAY.$a" dst "$UNDERLAY.$b" proto udp dport 4789 dir out \
            tmpl src "$UNDERLAY.$a" dst "$UNDERLAY.$b" proto esp reqid "$spi" mode transport || return 1
        ip -n "jnen-n$b" xfrm policy add src "$UNDERLAY.$a" dst "$UNDERLAY.$b" proto udp dport 4789 dir in \
            tmpl src "$UNDERLAY.$a" dst "$UNDERLAY.$b" proto esp reqid "$spi" mode transport || return 1
    done
}

# throughput ADDRESS: iperf3 from c1 to c2's ADDRESS, in Mbit/s as received.
throughput() {
    ip netns exec jnen-c2 iperf3 -s -1 -B "$1" >/dev/null 2>&1 &
    local server=$!
    eventually 20 serving "$1" || return 1
    ip netns exec jnen-c1 iperf3 -c "$1" -t "$DURATION" -J | jq '.end.sum_received.bits_per_second / 1e6 | floor'
    wait "$server"
}
serving() { ip netns exec jnen-c2 ss -Hltn "src $1" | grep -q ':5201'; }

# rtt ADDRESS: the mean round-trip time of 30 pings from c1, in ms.
rtt() { ip netns exec jnen-c1 ping -q -c 30 -i 0.2 "$1" | sed -nE 's|.*= [0-9.]+/([0-9.]+)/.*|\1|p'; }

"$ROOT/plugin-config/natives.sh" "$JAR" "$WORK/javanet/lib" || exit 1
start_lab || exit 1
network clr 10.230.0.0/24 '{}' || exit 1
network sec 10.231.0.0/24 '{"encrypted":""}' || exit 1
for net in clr sec; do
    prefix=$([ "$net" = clr ] && echo 10.230.0 || echo 10.231.0)
    attach c1 n1 "$net" "$prefix.2/24" || exit 1
    attach c2 n2 "$net" "$prefix.3/24" || exit 1
done
esp_path || { log "ESP: could not set it up (does the kernel have esp4 and xfrm_user?)"; exit 1; }
for address in 10.230.0.3 10.231.0.3 10.232.0.3; do
    eventually 30 ip netns exec jnen-c1 ping -c1 -W1 "$address" >/dev/null || { log "no path to $address"; exit 1; }
done

declare -A mbits ms
for path in clear:10.230.0.3 wireguard:10.231.0.3 esp:10.232.0.3; do
    name=${path%%:*} address=${path#*:}
    mbits[$name]=$(throughput "$address")
    ms[$name]=$(rtt "$address")
done
echo "kernel $(uname -r), $(nproc) vCPUs under QEMU TCG; iperf3 ${DURATION} s one way, ping 30 × 0.2 s"
printf '%-10s %12s %10s %10s %10s\n' path "Mbit/s" "× clear" "rtt ms" "× clear"
for name in clear wireguard esp; do
    printf '%-10s %12s %10s %10s %10s\n' "$name" "${mbits[$name]}" \
        "$(awk -v a="${mbits[$name]}" -v b="${mbits[clear]}" 'BEGIN { printf "%.2f", a / b }')" "${ms[$name]}" \
        "$(awk -v a="${ms[$name]}" -v b="${ms[clear]}" 'BEGIN { printf "%.2f", a / b }')"
done
printf '%-10s %10s %10s\n' "wireguard/esp" \
    "$(awk -v a="${mbits[wireguard]}" -v b="${mbits[esp]}" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="${ms[wireguard]}" -v b="${ms[esp]}" 'BEGIN { printf "%.2f", a / b }')"
