#!/usr/bin/env bash
# Per-container bandwidth limits end to end: iperf3 between containers on a javanet bridge, macvlan and routed
# network, unlimited first, then with the limits asked by driver-opt and by the network's -o. Docker's own
# drivers have no such option.

test_bandwidth_limits_by_driver_opt_and_by_network() {
    IPERF=$(DOCKER_HOST= "$here/../scripts/iperf-image.sh") SERVER=it-bws
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

# A macvlan is the container's own link: Docker moves it into the container after Join, which drops any qdisc,
# so the limits are made there once it arrives.
test_bandwidth_limits_on_a_macvlan_are_made_in_the_container() {
    IPERF=$(DOCKER_HOST= "$here/../scripts/iperf-image.sh") SERVER=it-bwms
    check "lan" lan mvbw 10.210.55
    check "macvlan network" net it-bwm -o javanet.mode=macvlan -o parent=jnit-mvbw0 --subnet 10.210.55.0/24 \
        --gateway 10.210.55.1
    check "iperf3 server" bash -c "docker run -d --name it-bwms --net it-bwm $IPERF -s >/dev/null"
    defer docker rm -f it-bwms
    check "unlimited, a client sending well above 100 Mbit/s" eventually 10 faster_than 100 --net it-bwm --
    check "egress_rate=20mbit: what the container sends held to 20 Mbit/s" limited_to 20 \
        --network name=it-bwm,driver-opt=javanet.egress_rate=20mbit --
    check "a container's limit is a TBF on its eth0, in the container" bash -c "docker run -d --name it-bwmc \
        --network name=it-bwm,driver-opt=javanet.egress_rate=20mbit $IPERF -s >/dev/null"
    defer docker rm -f it-bwmc
    check "  which holds it" eventually 10 bash -c "nsenter -n -t \$(docker inspect -f '{{.State.Pid}}' it-bwmc) \
        tc qdisc show dev eth0 | grep -q 'tbf .* rate 20Mbit'"
    if kernel_ships cls_matchall && kernel_ships act_police; then
        check "ingress_rate=20mbit: what the container receives held to 20 Mbit/s" limited_to 20 \
            --network name=it-bwm,driver-opt=javanet.ingress_rate=20mbit -- -R
    else
        check "ingress_rate refused on this kernel ($(uname -r)), which cannot police, naming the option" \
            expect_fail_with "javanet.ingress_rate: " docker run --rm \
            --network name=it-bwm,driver-opt=javanet.ingress_rate=20mbit "$IPERF" -v
    fi
}

# On a routed network the container's veth has a host end too, as on a bridge: the limit is made there.
test_bandwidth_limits_on_a_routed_network() {
    IPERF=$(DOCKER_HOST= "$here/../scripts/iperf-image.sh") SERVER=it-bwrs
    check "routed network" net it-bwr -o javanet.mode=routed --subnet 10.149.0.0/24
    check "iperf3 server" bash -c "docker run -d --name it-bwrs --net it-bwr $IPERF -s >/dev/null"
    defer docker rm -f it-bwrs
    check "unlimited, the server's sending well above 100 Mbit/s" eventually 10 faster_than 100 --net it-bwr -- -R
    check "ingress_rate=20mbit: what the container receives held to 20 Mbit/s" limited_to 20 \
        --network name=it-bwr,driver-opt=javanet.ingress_rate=20mbit -- -R
}
