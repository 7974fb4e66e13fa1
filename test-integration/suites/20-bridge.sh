#!/usr/bin/env bash
# Bridge networks end to end: real containers on javanet networks, then nothing of ours left on the host.

test_containers_reach_each_other_by_ip_and_name() {
    check "network" net it-b1 --ipam-driver "$PLUGIN" --subnet 10.140.0.0/24
    check "c1" ctr it-c1 --net it-b1
    check "c2" ctr it-c2 --net it-b1
    check "c1 got an address of the subnet" grep -q '^10\.140\.0\.' <<<"$(ip_of it-c1 it-b1)"
    check "by IP" reaches it-c1 "$(ip_of it-c2 it-b1)"
    check "by name" reaches it-c1 it-c2
    check "the gateway" reaches it-c2 10.140.0.1
    check "default route via our gateway" bash -c "docker exec it-c1 ip route | grep -q 'default via 10.140.0.1 dev eth0'"
    local links; links=$(links_of it-b1)
    check "bridge and veths exist" bash -c "for l in $(echo $links); do ip link show \$l >/dev/null || exit 1; done"
    docker rm -f it-c1 it-c2 >/dev/null
    docker network rm it-b1 >/dev/null
    check "nothing of ours left" eventually gone $links
}

test_docker_ipam_with_our_bridge() {
    check "network" net it-b2 --subnet 10.141.0.0/24
    check "c1" ctr it-c1 --net it-b2
    check "c2" ctr it-c2 --net it-b2
    check "by name" reaches it-c1 it-c2
}

test_static_ip_gets_a_mac_derived_from_it() {
    check "network" net it-b3 --ipam-driver "$PLUGIN" --subnet 10.123.0.0/24
    check "container" ctr it-c1 --net it-b3 --ip 10.123.0.50
    check "static address" test "$(ip_of it-c1 it-b3)" = 10.123.0.50
    check "MAC from the address" bash -c "docker exec it-c1 ip link show eth0 | grep -q 'link/ether 02:42:0a:7b:00:32'"
    check "same address refused" expect_fail_with "10.123.0.50 is already allocated in pool 10.123.0.0/24" \
        docker run -d --name it-c2 --net it-b3 --ip 10.123.0.50 "$IMAGE" sleep 600
    defer docker rm -f it-c2
}

test_mtu_and_bridge_name_options() {
    check "network" net it-b4 -o com.docker.network.driver.mtu=1400 -o com.docker.network.bridge.name=jnit-br4
    check "container" ctr it-c1 --net it-b4
    check "bridge named as asked" test "$(cat /sys/class/net/jnit-br4/mtu)" = 1400
    check "container MTU" bash -c "docker exec it-c1 ip link show eth0 | grep -q 'mtu 1400'"
    docker rm -f it-c1 >/dev/null; docker network rm it-b4 >/dev/null
    check "bridge removed" gone jnit-br4
}

test_ipv6_dual_stack() {
    check "network" net it-b6 --ipam-driver "$PLUGIN" --ipv6 --subnet 10.142.0.0/24 --subnet fd00:7a:6::/64
    check "c1" ctr it-c1 --net it-b6
    check "c2" ctr it-c2 --net it-b6
    local v6; v6=$(ip6_of it-c2 it-b6)
    check "c2 has an IPv6 address" grep -q '^fd00:7a:6::' <<<"$v6"
    check "IPv6 between containers" reaches it-c1 "$v6"
    check "IPv4 between containers" reaches it-c1 "$(ip_of it-c2 it-b6)"
    check "IPv6 gateway" reaches it-c1 fd00:7a:6::1
    check "IPv6 default route" bash -c "docker exec it-c1 ip -6 route | grep -q 'default via fd00:7a:6::1'"
}

test_internal_network_has_no_gateway_route() {
    check "network" net it-b7 --internal --subnet 10.143.0.0/24
    check "c1" ctr it-c1 --net it-b7
    check "c2" ctr it-c2 --net it-b7
    check "no default route" lacks '^default' docker exec it-c1 ip route
    check "peers still reach each other" reaches it-c1 it-c2
    check "no docker_gwbridge" no_network docker_gwbridge
}

test_connect_and_disconnect() {
    check "network a" net it-ba --ipam-driver "$PLUGIN" --subnet 10.144.0.0/24
    check "network b" net it-bb --ipam-driver "$PLUGIN" --subnet 10.145.0.0/24
    check "c1 on a" ctr it-c1 --net it-ba
    check "c2 on b" ctr it-c2 --net it-bb
    check "connect c1 to b" docker network connect it-bb it-c1
    check "eth1 has b's address" bash -c "docker exec it-c1 ip -4 addr show eth1 | grep -q 'inet 10.145.0.'"
    check "c1 reaches c2 over b" reaches it-c1 it-c2
    local ep; ep=$(endpoint_of it-c1 it-bb)
    check "disconnect" docker network disconnect it-bb it-c1
    check "eth1 gone" lacks ' eth1[:@]' docker exec it-c1 ip -o link show
    check "its veth gone" eventually gone "jnv${ep:0:12}"
    check "c1 keeps a" reaches it-c1 10.144.0.1
}
