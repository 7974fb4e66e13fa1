#!/usr/bin/env bash
# -o javanet.mode=routed: no bridge; each container a veth whose host end answers ARP for it and holds the
# link-local gateway, and a /32 route to each container. Isolation and NAT as in bridge mode.

veth_of() { local ep; ep=$(endpoint_of "$1" "$2"); echo "jnv${ep:0:12}"; }
ttl_to() { docker exec "$1" ping -c1 -W2 "$2" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p'; }

test_routed_containers_reach_each_other_through_the_host() {
    # Another network of ours keeps the firewall table, which goes with the last network, to look into at the end.
    check "another network" net it-rt1keep --subnet 10.210.79.0/24
    check "network" net it-rt1 -o javanet.mode=routed --subnet 10.210.80.0/24
    check "c1" ctr it-rt1a --net it-rt1
    check "c2" ctr it-rt1b --net it-rt1
    local id; id=$(docker network inspect -f '{{.Id}}' it-rt1)
    local veth; veth=$(veth_of it-rt1a it-rt1)
    check "no bridge made" no_link "jn-${id:0:12}"
    check "the host end is a veth" bash -c "ip -d link show $veth | grep -q 'veth'"
    check "on no bridge" lacks ' master ' ip -d link show "$veth"
    check "the host end answers ARP for others" bash -c "[ \$(cat /proc/sys/net/ipv4/conf/$veth/proxy_arp) = 1 ]"
    check "the host routes c1's /32 through it" bash -c "ip -4 route show $(ip_of it-rt1a it-rt1) | grep -q 'dev $veth'"
    check "c1's gateway is link-local" bash -c "docker exec it-rt1a ip route | grep -q 'default via 169.254.[0-9]*.1 dev eth0'"
    check "c1 reaches c2" reaches it-rt1a "$(ip_of it-rt1b it-rt1)"
    check "by name" reaches it-rt1a it-rt1b
    check "through the host: one hop spent" test "$(ttl_to it-rt1a "$(ip_of it-rt1b it-rt1)")" = 63
    check "the host reaches c2" busybox ping -c1 -W2 "$(ip_of it-rt1b it-rt1)"
    check "c2 reaches the gateway" bash -c "docker exec it-rt1b ping -c1 -W2 \$(docker exec it-rt1b ip route | sed -n 's/^default via \([0-9.]*\) .*/\1/p')"
    check "test host" outside_host
    check "outbound is masqueraded" reaches it-rt1a 198.51.100.2
    docker rm -f it-rt1a it-rt1b >/dev/null
    check "veths gone" eventually no_link "$veth"
    check "routes gone" eventually lacks '^10\.210\.80\.' ip -4 route show
    check "network removed" docker network rm it-rt1
    check "no rules left for it" lacks '10\.210\.80\.0/24' nft list table inet "$PLUGIN"
}

test_routed_published_ports_and_isolation() {
    check "routed" net it-rt2 -o javanet.mode=routed --subnet 10.210.81.0/24
    check "another routed" net it-rt3 -o javanet.mode=routed --subnet 10.210.82.0/24
    check "a bridge network of ours" net it-rt4 --subnet 10.210.83.0/24
    check "web" web it-rtw it-rt2 -p 18180:80
    check "c on the other routed" ctr it-rt3a --net it-rt3
    check "c on the bridge" ctr it-rt4a --net it-rt4
    check "published on 127.0.0.1" eventually http_get 127.0.0.1 18180
    check "published on the host's address" http_get "$(host_ip)" 18180
    check "routed to routed: cut off" unreachable it-rt3a "$(ip_of it-rtw it-rt2)"
    check "routed to routed, back: cut off" unreachable it-rtw "$(ip_of it-rt3a it-rt3)"
    check "bridge to routed: cut off" unreachable it-rt4a "$(ip_of it-rtw it-rt2)"
    check "routed to bridge: cut off" unreachable it-rtw "$(ip_of it-rt4a it-rt4)"
    check "the published port still reaches it from another network" http_get_from it-rt3a "$(host_ip)" 18180
}

test_a_container_joins_two_routed_networks() {
    check "a" net it-rt7 -o javanet.mode=routed --subnet 10.210.88.0/24
    check "b" net it-rt8 -o javanet.mode=routed --subnet 10.210.89.0/24
    check "c on a" ctr it-rt7a --net it-rt7
    check "c on b" ctr it-rt8a --net it-rt8
    check "c on a joins b too" docker network connect it-rt8 it-rt7a
    check "each network's gateway on its own interface" bash -c "docker exec it-rt7a ip route | grep -q '^169.254.[0-9]*.1 dev eth0 ' && docker exec it-rt7a ip route | grep -q '^169.254.[0-9]*.1 dev eth1 '"
    check "it reaches b's container" reaches it-rt7a "$(ip_of it-rt8a it-rt8)"
    check "and leaves b again" docker network disconnect it-rt8 it-rt7a
    check "b's container is now out of reach" unreachable it-rt7a "$(ip_of it-rt8a it-rt8)"
}

test_internal_routed_network_reaches_only_itself() {
    check "test host" outside_host
    check "network" net it-rt5 -o javanet.mode=routed --internal --subnet 10.210.84.0/24
    check "c1" ctr it-rt5a --net it-rt5
    check "c2" ctr it-rt5b --net it-rt5
    check "no default route" lacks '^default' docker exec it-rt5a ip route
    check "c1 reaches c2" reaches it-rt5a "$(ip_of it-rt5b it-rt5)"
    check "a default route added by hand" in_netns_of it-rt5a ip route add default dev eth0
    check "no way out, even with a route" unreachable it-rt5a 198.51.100.2
}

test_routed_containers_survive_a_plugin_crash() {
    check "network" net it-rt6 -o javanet.mode=routed --subnet 10.210.85.0/24
    check "c1" ctr it-rt6a --net it-rt6
    check "c2" ctr it-rt6b --net it-rt6
    stop_plugin KILL
    check "someone deletes c2's route" ip route del "$(ip_of it-rt6b it-rt6)/32"
    check "restart" start_plugin
    check "the route is back" bash -c "ip -4 route show $(ip_of it-rt6b it-rt6) | grep -q jnv"
    check "c1 reaches c2" reaches it-rt6a "$(ip_of it-rt6b it-rt6)"
    check "a new container joins and reaches c1" bash -c "docker run -d --name it-rt6c --net it-rt6 $IMAGE sleep 600 >/dev/null && docker exec it-rt6c ping -c1 -W2 it-rt6a >/dev/null"
    defer docker rm -f it-rt6c
}

test_routed_networks_are_checked() {
    check "IPv6 refused" expect_fail_with "IPv6Data: routed networks are IPv4 only" \
        docker network create -d "$PLUGIN" -o javanet.mode=routed --ipv6 --subnet 10.210.86.0/24 --subnet fd00:86::/64 it-rtbad
    defer docker network rm it-rtbad
    check "bridge options refused" expect_fail_with "-o com.docker.network.bridge.name: only for -o javanet.mode=bridge" \
        docker network create -d "$PLUGIN" -o javanet.mode=routed -o com.docker.network.bridge.name=br-x --subnet 10.210.86.0/24 it-rtbad
    check "an ipvlan the host cannot make is refused at create" expect_fail_with "cannot make an ipvlan on lo" \
        docker network create -d "$PLUGIN" -o javanet.mode=ipvlan -o parent=lo --subnet 10.210.87.0/24 it-rtbad
}
