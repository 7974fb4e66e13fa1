#!/usr/bin/env bash
# Per-container bandwidth limits end to end: iperf3 between containers on a javanet bridge network, unlimited
# first, then with the limits asked by driver-opt and by the network's -o. Docker's own bridge has no such option.

# iperf_mbits ARGS...: the Mbit/s a 3-second iperf3 client run in a new container (ARGS: its docker run options,
# then --, then iperf3's own) received, counted as iperf3 counts it (payload, not frames).
iperf_mbits() {
    local opts=() out
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    out=$(docker run --rm "${opts[@]}" "$IPERF" -c it-bws -t 3 -O 1 -J "$@") || return 1
    python3 -c 'import json, sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))' <<<"$out"
}
# near MBITS TARGET: within 10 % of TARGET, iperf3's payload being 1448 of each 1514-byte frame the limit counts.
near() { awk -v m="$1" -v t="$2" 'BEGIN { f = m * 1514 / 1448; exit !(f >= 0.9 * t && f <= 1.1 * t) }'; }
# limited_to TARGET ARGS...: iperf_mbits ARGS within 10 % of TARGET; prints what it measured.
limited_to() { local m; m=$(iperf_mbits "${@:2}") && echo "measured $m Mbit/s of payload" && near "$m" "$1"; }
# faster_than MBITS ARGS...: iperf_mbits ARGS above MBITS.
faster_than() { local m; m=$(iperf_mbits "${@:2}") && echo "measured $m Mbit/s" && [ "$m" -gt "$1" ]; }

test_bandwidth_limits_by_driver_opt_and_by_network() {
    IPERF=$(DOCKER_HOST= "$here/../scripts/iperf-image.sh")
    check "network" net it-bw --subnet 10.147.0.0/24
    check "a network whose containers receive 20 Mbit/s" net it-bw2 --subnet 10.148.0.0/24 -o javanet.ingress_rate=20mbit
    check "iperf3 server" bash -c "docker run -d --name it-bws --net it-bw $IPERF -s >/dev/null"
    defer docker rm -f it-bws
    check "unlimited, the server's sending well above 100 Mbit/s" eventually 10 faster_than 100 --net it-bw -- -R
    check "ingress_rate=20mbit: what the container receives held to 20 Mbit/s" limited_to 20 \
        --network name=it-bw,driver-opt=javanet.ingress_rate=20mbit -- -R
    check "and its own sending left alone" faster_than 100 --network name=it-bw,driver-opt=javanet.ingress_rate=20mbit --
    if kernel_ships cls_matchall && kernel_ships act_police; then
        check "egress_rate=20mbit: what the container sends held to 20 Mbit/s" limited_to 20 \
            --network name=it-bw,driver-opt=javanet.egress_rate=20mbit --
    else
        check "egress_rate refused on this kernel ($(uname -r)), which cannot police, naming the option" \
            expect_fail_with "javanet.egress_rate: " docker run --rm --network name=it-bw,driver-opt=javanet.egress_rate=20mbit \
            "$IPERF" -v
    fi
    check "a bad rate refused, naming it" expect_fail_with "javanet.ingress_rate: " \
        docker run --rm --network name=it-bw,driver-opt=javanet.ingress_rate=fast "$IPERF" -v
    check "the server on the second network too" docker network connect it-bw2 it-bws
    check "a container on it held to 20 Mbit/s without asking" limited_to 20 --net it-bw2 -- -R
    check "one asking for 40 gets 40" limited_to 40 --network name=it-bw2,driver-opt=javanet.ingress_rate=40mbit -- -R
}
