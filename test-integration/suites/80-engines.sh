#!/usr/bin/env bash
# What current engines do differently: a restart that makes a new endpoint (Docker 26+), the gateway role moving
# between a container's networks (ProgramExternalConnectivity / RevokeExternalConnectivity), IPv6-only networks
# (Docker 28), and a Docker Compose v2 project.

# published_to PORT PREFIX: our firewall sends host port PORT/tcp to a container address starting with PREFIX;
# when it does not, the map is printed for the failure's report.
published_to() {
    local map; map=$(nft list map inet "$PLUGIN" ports4 2>&1)
    grep -qF "tcp . $1 : $2" <<<"$map" || { echo "$map"; return 1; }
}

test_docker_restart_keeps_the_address_and_leaves_no_old_endpoint() {
    check "network" net it-e1 --ipam-driver "$PLUGIN" --subnet 10.180.0.0/24
    check "c1" ctr it-c1 --net it-e1 --ip 10.180.0.50
    check "c2" ctr it-c2 --net it-e1
    local before; before=$(endpoint_of it-c1 it-e1)
    check "restart" docker restart -t 1 it-c1
    local after; after=$(endpoint_of it-c1 it-e1)
    log "    endpoint before ${before:0:12}, after ${after:0:12}"
    check "same address" test "$(ip_of it-c1 it-e1)" = 10.180.0.50
    check "reachable again" reaches it-c2 10.180.0.50
    check "by name too" reaches it-c2 it-c1
    if [ "$before" != "$after" ]; then
        check "the old endpoint's veth is gone" eventually gone "jnv${before:0:12}"
    fi
    check "one endpoint of ours per container" test "$(docker network inspect -f '{{len .Containers}}' it-e1)" = 2
}

test_published_ports_follow_the_gateway_role() {
    # Docker gives the gateway role to the network whose name sorts first (at equal --gw-priority on 28).
    check "network b" net it-gwb --subnet 10.181.0.0/24
    check "network a" net it-gwa --subnet 10.182.0.0/24
    check "web on b, publishing 18400" web it-web it-gwb -p 18400:80
    check "published through b" eventually http_get 127.0.0.1 18400
    check "to its address on b" published_to 18400 10.181.0.
    check "connect a: the gateway role moves to a" docker network connect it-gwa it-web
    check "default route through a" bash -c "docker exec it-web ip route | grep -q 'default via 10.182.0.1'"
    check "still published" eventually http_get 127.0.0.1 18400
    check "now to its address on a" eventually published_to 18400 10.182.0.
    check "disconnect a: back to b" docker network disconnect it-gwa it-web
    check "published again" eventually http_get 127.0.0.1 18400
    check "to its address on b again" eventually published_to 18400 10.181.0.
    check "stop" docker stop -t 1 it-web
    check "nothing published" lacks ' 18400 ' nft list map inet "$PLUGIN" ports4
}

test_since28_ipv6_only_networks() {
    check "javanet IPAM" net it-v6a --ipam-driver "$PLUGIN" --ipv4=false --ipv6 --subnet fd00:7a:80::/64
    check "Docker's IPAM" net it-v6b --ipv4=false --ipv6 --subnet fd00:7a:81::/64
    local n
    for n in it-v6a it-v6b; do
        check "$n: c1" ctr "$n-c1" --net "$n"
        check "$n: c2" ctr "$n-c2" --net "$n"
        check "$n: no IPv4 address" test -z "$(ip_of "$n-c1" "$n")"
        check "$n: no IPv4 on eth0" lacks 'inet ' docker exec "$n-c1" ip addr show eth0
        check "$n: an IPv6 address" grep -q '^fd00:7a:8' <<<"$(ip6_of "$n-c2" "$n")"
        check "$n: by IPv6 address" reaches "$n-c1" "$(ip6_of "$n-c2" "$n")"
        check "$n: by name" reaches "$n-c1" "$n-c2"
        check "$n: the bridge holds no IPv4 address" lacks 'inet ' ip addr show "$(links_of "$n" | head -1)"
    done
}

test_since28_compose_project() {
    local dir=$WORK/compose
    mkdir -p "$dir"
    cat >"$dir/compose.yaml" <<YAML
name: jnit
services:
  web:
    image: $IMAGE
    command: httpd -f -p 80 -h /var/www
    networks:
      front:
        ipv4_address: 10.183.0.10
  worker:
    image: $IMAGE
    command: sleep 600
    networks: [front]
networks:
  front:
    driver: $PLUGIN
    ipam:
      driver: $PLUGIN
      config:
        - subnet: 10.183.0.0/24
YAML
    defer docker compose --project-directory "$dir" down -t 1
    check "up, three workers" docker compose --project-directory "$dir" up -d --scale worker=3
    check "web has its ipv4_address" test "$(ip_of jnit-web-1 jnit_front)" = 10.183.0.10
    check "four containers on the network" test "$(docker network inspect -f '{{len .Containers}}' jnit_front)" = 4
    local w
    for w in 1 2 3; do
        check "worker $w reaches web by service name" docker exec "jnit-worker-$w" ping -c1 -W2 web
        check "worker $w fetches the page" http_get_from "jnit-worker-$w" web 80
    done
    check "down" docker compose --project-directory "$dir" down -t 1
    check "the network is gone" no_network jnit_front
    check "and its bridge" lacks '^jn-' ip -br link show
}
