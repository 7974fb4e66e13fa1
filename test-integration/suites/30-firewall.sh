#!/usr/bin/env bash
# Firewall end to end: published ports, outbound NAT, isolation, internal networks.

test_published_ports_reach_the_container() {
    check "network" net it-f1 --ipam-driver "$PLUGIN" --subnet 10.150.0.0/24
    check "web" web it-web it-f1 -p 18080:80 -p 127.0.0.1:18081:80 -p 18090-18091:80-81
    local host; host=$(host_ip)
    check "host address known" test -n "$host"
    check "127.0.0.1:18080" eventually http_get 127.0.0.1 18080
    check "$host:18080" http_get "$host" 18080
    check "127.0.0.1:18081 (bound to 127.0.0.1)" http_get 127.0.0.1 18081
    check "$host:18081 is not published" unanswered "$host" 18081
    check "range: 18090 -> 80" http_get 127.0.0.1 18090
    check "range: 18091 -> 81" http_get 127.0.0.1 18091
    check "client" ctr it-cl --net it-f1
    check "hairpin: a container through the host's address" http_get_from it-cl "$host" 18080
    check "stop" docker stop -t 1 it-web
    check "unpublished once stopped" unanswered 127.0.0.1 18080
    check "no port left in our map" lacks ' 18080 ' nft list map inet "$PLUGIN" ports4
}

test_published_udp_port() {
    check "network" net it-f2 --subnet 10.151.0.0/24
    check "udp echo server" docker run -d --name it-udp --net it-f2 -p 18053:53/udp "$IMAGE" udp-echo serve 53
    defer docker rm -f it-udp
    check "the client" docker cp it-udp:/bin/udp-echo "$WORK/udp-echo"
    check "datagram there and back" eventually bash -c "$WORK/udp-echo ask 127.0.0.1 18053 hello-udp | grep -qx hello-udp"
}

test_port_already_published_is_refused() {
    check "network" net it-f3 --subnet 10.152.0.0/24
    check "first" web it-w1 it-f3 -p 18095:80
    check "second refused" expect_fail_with "host port 18095/tcp is already published" \
        docker run -d --name it-w2 --net it-f3 -p 18095:80 "$IMAGE" httpd -f -p 80
    defer docker rm -f it-w2
}

test_outbound_traffic_is_masqueraded() {
    check "test host" outside_host
    check "network" net it-f4 --ipam-driver "$PLUGIN" --subnet 10.153.0.0/24
    check "container" ctr it-c1 --net it-f4
    check "ping the test host" reaches it-c1 198.51.100.2
    ip netns exec jnit-ext busybox timeout 5 busybox nc -l -p 9999 >"$WORK/seen" 2>/dev/null &
    local listener=$!
    check "the test host listens" eventually bash -c "ip netns exec jnit-ext ss -Hltn 'sport = :9999' | grep -q ."
    docker exec it-c1 sh -c 'echo hello-outside | nc -w 2 198.51.100.2 9999'
    wait "$listener"
    check "a TCP payload arrived" grep -q hello-outside "$WORK/seen"
}

test_internal_network_is_cut_off() {
    check "test host" outside_host
    check "network" net it-f5 --internal --subnet 10.154.0.0/24
    check "container" ctr it-c1 --net it-f5
    check "no way out" unreachable it-c1 198.51.100.2
    check "a default route added by hand" in_netns_of it-c1 ip route add default via 10.154.0.1
    check "not even with a route" unreachable it-c1 198.51.100.2
}

test_isolated_from_dockers_own_bridge() {
    check "docker bridge network" docker network create --subnet 10.155.0.0/24 it-dockerbr
    defer docker network rm it-dockerbr
    check "ours" net it-f6 --subnet 10.156.0.0/24
    check "c on docker's" ctr it-d1 --net it-dockerbr
    check "c on ours" ctr it-j1 --net it-f6
    check "ours cannot reach docker's" unreachable it-j1 "$(ip_of it-d1 it-dockerbr)"
    check "docker's cannot reach ours" unreachable it-d1 "$(ip_of it-j1 it-f6)"
    check "ours cannot reach docker0's gateway side" unreachable it-j1 10.155.0.2
}

test_isolated_both_ways_between_our_networks() {
    check "a" net it-f7 --subnet 10.157.0.0/24
    check "b" net it-f8 --subnet 10.158.0.0/24
    check "c on a" ctr it-a1 --net it-f7
    check "c on b" ctr it-b1 --net it-f8
    check "a to b" unreachable it-a1 "$(ip_of it-b1 it-f8)"
    check "b to a" unreachable it-b1 "$(ip_of it-a1 it-f7)"
}

test_since28_ipv6_passes_dockers_forward_drop() {
    check "test host" outside_host
    ip addr add fd00:5a::1/64 dev jnit-ext0 nodad && ip -n jnit-ext addr add fd00:5a::2/64 dev jnit-ext1 nodad
    check "dual-stack network" net it-f9 --ipv6 --subnet 10.159.0.0/24 --subnet fd00:7a:9::/64
    check "container" ctr it-c1 --net it-f9
    local rule="-m mark --mark 0x200000/0x200000 -m comment --comment $PLUGIN -j ACCEPT"
    check "our rule in Docker's IPv6 DOCKER-USER (ip6tables is on since Docker 27)" \
        bash -c "ip6tables -S DOCKER-USER | grep -qF -- '$rule'"
    # What Docker does where it turns IPv6 forwarding on itself.
    local policy; policy=$(ip6tables -S FORWARD | awk '$1 == "-P" {print $3}')
    ip6tables -P FORWARD DROP
    defer ip6tables -P FORWARD "$policy"
    check "IPv6 out past the DROP policy" docker exec it-c1 ping -6 -c1 -W2 fd00:5a::2
    # shellcheck disable=SC2086
    ip6tables -D DOCKER-USER $rule
    check "and not without our rule" unreachable it-c1 fd00:5a::2 -6
    # Our next network puts it back, as it does for any rule of ours found missing.
    check "another network" net it-f10 --subnet 10.160.0.0/24
    check "our rule is back" bash -c "ip6tables -S DOCKER-USER | grep -qF -- '$rule'"
    check "and IPv6 passes again" docker exec it-c1 ping -6 -c1 -W2 fd00:5a::2
}
