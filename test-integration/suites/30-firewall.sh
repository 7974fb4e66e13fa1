#!/usr/bin/env bash
# Firewall end to end: published ports, outbound NAT, isolation, internal networks.

# A test host: a namespace of our own behind a veth, with no route back to any container subnet, so its
# replies reach a container only if the container's traffic was masqueraded.
test_host() {
    ip netns add jnit-ext || return 1
    defer ip netns del jnit-ext
    ip link add jnit-ext0 type veth peer name jnit-ext1 && ip link set jnit-ext1 netns jnit-ext || return 1
    defer ip link del jnit-ext0
    ip addr add 198.51.100.1/24 dev jnit-ext0 && ip link set jnit-ext0 up
    ip -n jnit-ext addr add 198.51.100.2/24 dev jnit-ext1 && ip -n jnit-ext link set jnit-ext1 up
}

test_published_ports_reach_the_container() {
    check "network" net it-f1 --ipam-driver "$PLUGIN" --subnet 10.150.0.0/24
    check "web" web it-web it-f1 -p 18080:80 -p 127.0.0.1:18081:80 -p 18090-18091:80-81
    sleep 0.5
    local host; host=$(host_ip)
    check "host address known" test -n "$host"
    check "127.0.0.1:18080" http_get 127.0.0.1 18080
    check "$host:18080" http_get "$host" 18080
    check "127.0.0.1:18081 (bound to 127.0.0.1)" http_get 127.0.0.1 18081
    check "$host:18081 is not published" bash -c "! printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 2 $host 18081 | grep -q page"
    check "range: 18090 -> 80" http_get 127.0.0.1 18090
    check "range: 18091 -> 81" http_get 127.0.0.1 18091
    check "client" ctr it-cl --net it-f1
    check "hairpin: a container through the host's address" http_get_from it-cl "$host" 18080
    check "stop" docker stop -t 1 it-web
    check "unpublished once stopped" bash -c "! printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 2 127.0.0.1 18080 | grep -q page"
    check "no port left in our map" bash -c "! nft list map inet $PLUGIN ports4 | grep -q 18080"
}

test_published_udp_port() {
    check "network" net it-f2 --subnet 10.151.0.0/24
    docker run -d --name it-udp --net it-f2 -p 18053:53/udp "$IMAGE" udp-echo serve 53 >/dev/null
    defer docker rm -f it-udp
    sleep 0.5
    check "datagram there and back" bash -c "docker cp it-udp:/bin/udp-echo $WORK/udp-echo && $WORK/udp-echo ask 127.0.0.1 18053 hello-udp | grep -qx hello-udp"
}

test_port_already_published_is_refused() {
    check "network" net it-f3 --subnet 10.152.0.0/24
    check "first" web it-w1 it-f3 -p 18095:80
    check "second refused" expect_fail_with "host port 18095/tcp is already published" \
        docker run -d --name it-w2 --net it-f3 -p 18095:80 "$IMAGE" httpd -f -p 80
    defer docker rm -f it-w2
}

test_outbound_traffic_is_masqueraded() {
    check "test host" test_host
    check "network" net it-f4 --ipam-driver "$PLUGIN" --subnet 10.153.0.0/24
    check "container" ctr it-c1 --net it-f4
    check "ping the test host" reaches it-c1 198.51.100.2
    ip netns exec jnit-ext busybox timeout 5 busybox nc -l -p 9999 >"$WORK/seen" 2>/dev/null &
    local listener=$!
    sleep 0.3
    docker exec it-c1 sh -c 'echo hello-outside | nc -w 2 198.51.100.2 9999'
    wait "$listener"
    check "a TCP payload arrived" grep -q hello-outside "$WORK/seen"
}

test_internal_network_is_cut_off() {
    check "test host" test_host
    check "network" net it-f5 --internal --subnet 10.154.0.0/24
    check "container" ctr it-c1 --net it-f5
    check "no way out" bash -c "! docker exec it-c1 ping -c1 -W1 198.51.100.2 >/dev/null"
    check "not even with a route" bash -c "docker exec it-c1 ip route add default via 10.154.0.1 2>/dev/null; ! docker exec it-c1 ping -c1 -W1 198.51.100.2 >/dev/null"
}

test_isolated_from_dockers_own_bridge() {
    check "docker bridge network" docker network create --subnet 10.155.0.0/24 it-dockerbr
    defer docker network rm it-dockerbr
    check "ours" net it-f6 --subnet 10.156.0.0/24
    check "c on docker's" ctr it-d1 --net it-dockerbr
    check "c on ours" ctr it-j1 --net it-f6
    check "ours cannot reach docker's" bash -c "! docker exec it-j1 ping -c1 -W1 $(ip_of it-d1 it-dockerbr) >/dev/null"
    check "docker's cannot reach ours" bash -c "! docker exec it-d1 ping -c1 -W1 $(ip_of it-j1 it-f6) >/dev/null"
    check "ours cannot reach docker0's gateway side" bash -c "! docker exec it-j1 ping -c1 -W1 10.155.0.2 >/dev/null"
}

test_isolated_both_ways_between_our_networks() {
    check "a" net it-f7 --subnet 10.157.0.0/24
    check "b" net it-f8 --subnet 10.158.0.0/24
    check "c on a" ctr it-a1 --net it-f7
    check "c on b" ctr it-b1 --net it-f8
    check "a to b" bash -c "! docker exec it-a1 ping -c1 -W1 $(ip_of it-b1 it-f8) >/dev/null"
    check "b to a" bash -c "! docker exec it-b1 ping -c1 -W1 $(ip_of it-a1 it-f7) >/dev/null"
}

test_since28_ipv6_passes_dockers_forward_drop() {
    check "test host" test_host
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
    check "and not without our rule" bash -c "! docker exec it-c1 ping -6 -c1 -W1 fd00:5a::2 >/dev/null"
    # Our next network puts it back, as it does for any rule of ours found missing.
    check "another network" net it-f10 --subnet 10.160.0.0/24
    check "our rule is back" bash -c "ip6tables -S DOCKER-USER | grep -qF -- '$rule'"
    check "and IPv6 passes again" docker exec it-c1 ping -6 -c1 -W2 fd00:5a::2
}
