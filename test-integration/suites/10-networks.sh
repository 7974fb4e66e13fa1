#!/usr/bin/env bash
# docker network create / inspect / rm through the plugin, with its IPAM and with Docker's.

inspect() { docker network inspect "$1" --format "$2"; }

test_create_with_javanet_ipam_and_subnet() {
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.123.0.0/24 \
        --gateway 10.123.0.1 -o foo=bar it-net1
    defer docker network rm it-net1
    check "driver is ours" test "$(inspect it-net1 '{{.Driver}}/{{.IPAM.Driver}}')" = "$PLUGIN/$PLUGIN"
    check "subnet and gateway" test "$(inspect it-net1 '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}')" \
        = "10.123.0.0/24 10.123.0.1"
    check "rm" docker network rm it-net1
}

test_default_pool_avoids_host_routes() {
    # Another program's network on the first two default pools.
    check "stand-in link" ip link add jnit-dummy0 type bridge
    defer ip link del jnit-dummy0
    ip addr add 10.200.0.1/24 dev jnit-dummy0 && ip addr add 10.200.1.1/24 dev jnit-dummy0 && ip link set jnit-dummy0 up
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" it-auto
    defer docker network rm it-auto
    local subnet
    subnet=$(docker network inspect it-auto --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}')
    check "a default pool past the routed ones" test "$subnet" = 10.200.2.0/24
    # Docker would also re-ask on its own; our IPAM must not offer a routed pool in the first place.
    check "the pool it got is logged" grep -qF "pool javanet-local/$subnet allocated" "$PLUGIN_LOG"
    check "never offered a routed pool" lacks 'pool javanet-local/10\.200\.[01]\.0/24 allocated' cat "$PLUGIN_LOG"
    check "routed through our bridge only" bash -c "ip -4 route show ${subnet} | grep -qE '^${subnet} dev jn-[0-9a-f]{12} '"
}

test_docker_ipam_with_our_driver() {
    check "create" docker network create -d "$PLUGIN" --subnet 10.124.0.0/24 it-dockeripam
    defer docker network rm it-dockeripam
    check "Docker's IPAM" test "$(inspect it-dockeripam '{{.IPAM.Driver}}')" = default
}

test_dual_stack_with_javanet_ipam() {
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --ipv6 \
        --subnet 10.126.0.0/24 --subnet fd00:7a:2::/64 it-dual
    defer docker network rm it-dual
    check "both subnets" test "$(inspect it-dual '{{range .IPAM.Config}}{{.Subnet}} {{end}}')" = "10.126.0.0/24 fd00:7a:2::/64 "
    check "IPv6 on" test "$(inspect it-dual '{{.EnableIPv6}}')" = true
}

test_ip_range_and_aux_addresses() {
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.127.0.0/24 \
        --ip-range 10.127.0.128/25 --aux-address host1=10.127.0.5 --aux-address host2=10.127.0.6 it-range
    defer docker network rm it-range
    check "aux addresses kept" test "$(inspect it-range '{{range .IPAM.Config}}{{len .AuxiliaryAddresses}}{{end}}')" = 2
}

test_overlapping_subnet_is_refused_with_our_message() {
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.128.0.0/24 it-first
    defer docker network rm it-first
    check "overlap refused" expect_fail_with "Pool: 10.128.0.0/16 overlaps pool 10.128.0.0/24" \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.128.0.0/16 it-second
    defer docker network rm it-second
    check "no second network" no_network it-second
}

test_bad_options_are_refused_naming_the_option() {
    check "mtu refused" expect_fail_with '-o com.docker.network.driver.mtu: "jumbo" is not an MTU' \
        docker network create -d "$PLUGIN" -o com.docker.network.driver.mtu=jumbo it-bad
    defer docker network rm it-bad
    check "bridge name refused" expect_fail_with "must be 1 to 15 bytes long" \
        docker network create -d "$PLUGIN" -o com.docker.network.bridge.name=a-name-far-too-long it-bad
    # Docker 25+ refuses it before asking us ("it should be 10.129.0.0/24"); 20.10 passes our answer on.
    check "host bits refused, naming the subnet meant" expect_fail_with '10.129.0.0/24' \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.129.0.7/24 it-bad
    check "no network left" no_network it-bad
}

test_no_network_may_cut_the_host_off() {
    # The host's own LAN: the subnet on the link its default route leaves by.
    local dev gateway lan
    dev=$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") {print $(i+1); exit}}')
    gateway=$(ip -4 route show default | awk '{print $3; exit}')
    lan=$(ip -4 route show dev "$dev" proto kernel scope link | awk 'NR == 1 {print $1}')
    check "the host's LAN refused, with Docker's IPAM" expect_fail_with "an address of this host" \
        docker network create -d "$PLUGIN" --subnet "$lan" it-lan
    defer docker network rm it-lan
    check "and with ours" expect_fail_with "-o javanet.allow_host_subnet=true if that is meant" \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet "$lan" it-lan
    check "0.0.0.0/0 refused" expect_fail_with "0.0.0.0/0 covers every address" \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 0.0.0.0/0 it-lan
    check "loopback refused" expect_fail_with "127.0.0.0/24 overlaps 127.0.0.0/8, loopback" \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 127.0.0.0/24 it-lan
    check "multicast refused, with Docker's IPAM" expect_fail_with "224.0.0.0/4, multicast" \
        docker network create -d "$PLUGIN" --subnet 224.0.0.0/24 it-lan
    check "no network made" no_network it-lan
    check "the host keeps its way to its gateway" bash -c "ip route get $gateway | grep -q ' dev $dev '"
}

test_state_survives_a_plugin_crash() {
    check "create" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.130.0.0/24 it-crash
    defer docker network rm it-crash
    stop_plugin KILL
    check "restart" start_plugin
    check "pool still held after SIGKILL" expect_fail_with "overlaps pool 10.130.0.0/24" \
        docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.130.0.0/25 it-crash2
    defer docker network rm it-crash2
    check "rm after restart" docker network rm it-crash
    check "pool free again" docker network create -d "$PLUGIN" --ipam-driver "$PLUGIN" --subnet 10.130.0.0/25 it-crash2
}
