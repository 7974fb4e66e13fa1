#!/usr/bin/env bash
# -o javanet.mode=attach: containers' veths on a bridge the user made and keeps. The bridge carries a "LAN": a
# namespace of our own at the far end of a veth whose near end is a port of the bridge.

# users_bridge NAME [LAN]: the user's bridge NAME, up, with LAN's near end (lib.sh's lan) as a port if given.
users_bridge() {
    ip link add "$1" type bridge || return 1
    defer ip link del "$1"
    [ -z "${2:-}" ] || ip link set "$LAN_PREFIX-${2}0" master "$1" || return 1
    ip link set "$1" up
}

# The reachability tests run twice: with the host's FORWARD policy DROP and ACCEPT, br_netfilter passing bridged
# frames through iptables both times (host_forwarding), so that a fresh machine (Docker set DROP) and a used one
# give the same result. Each variant is a test of its own; the host is put back as it was after each.

test_attach_containers_join_a_bridge_the_user_made_and_keeps_forward_drop() {
    check "br_netfilter on, FORWARD DROP" host_forwarding DROP
    attach_join_bridge
}

test_attach_containers_join_a_bridge_the_user_made_and_keeps_forward_accept() {
    check "br_netfilter on, FORWARD ACCEPT" host_forwarding ACCEPT
    attach_join_bridge
}

attach_join_bridge() {
    check "lan" lan ata 10.210.70
    check "the user's bridge, with the LAN on it" users_bridge jnit-atbr ata
    check "network" net it-at1 -o javanet.mode=attach -o parent=jnit-atbr --subnet 10.210.70.0/24 --gateway 10.210.70.1
    check "c1" ctr it-c1 --net it-at1
    check "c2" ctr it-c2 --net it-at1
    local veth; veth=jnv$(endpoint_of it-c1 it-at1 | cut -c1-12)
    check "c1's veth is a port of the user's bridge" is "$(ip -j link show "$veth" | jq -r '.[0].master')" jnit-atbr
    check "c1 reaches c2" reaches it-c1 it-c2
    check "c1 reaches the LAN's router" reaches it-c1 10.210.70.1
    check "the LAN reaches c2" ip netns exec jnit-ata busybox ping -c1 -W2 "$(ip_of it-c2 it-at1)"
    check "no address of ours on the bridge" is "$(ip -j addr show jnit-atbr | jq -r '[.[0].addr_info[] | select(.family == "inet")] | length')" 0
    check "-p refused, naming the option that allows it" expect_fail_with "-o javanet.nat=true" \
        docker run -d --name it-c3 --net it-at1 -p 18340:80 "$IMAGE" sleep 600
    defer docker rm -f it-c3
    docker rm -f it-c1 it-c2 it-c3 >/dev/null
    check "network removed" docker network rm it-at1
    check "no veth of ours left" eventually no_link "$veth"
    check "the user's bridge is still there" ip link show jnit-atbr
}

# With -o javanet.nat=true the network is NATed and isolated as a bridge network and publishes ports; the bridge
# holds the gateway its containers route through. Beyond the host, a LAN the host reaches on a link of its own,
# whose router has no route back to the network: only a masqueraded ping is answered.
test_attach_with_nat_publishes_a_port_and_reaches_out_forward_drop() {
    check "br_netfilter on, FORWARD DROP" host_forwarding DROP
    attach_nat_reach_out
}

test_attach_with_nat_publishes_a_port_and_reaches_out_forward_accept() {
    check "br_netfilter on, FORWARD ACCEPT" host_forwarding ACCEPT
    attach_nat_reach_out
}

attach_nat_reach_out() {
    check "a LAN beyond the host" lan atb 10.210.72
    check "which the host is on" ip addr add 10.210.72.2/24 dev jnit-atb0
    check "the user's bridge" users_bridge jnit-atbr2
    check "with the gateway" ip addr add 10.210.71.1/24 dev jnit-atbr2
    check "network" net it-at2 -o javanet.mode=attach -o parent=jnit-atbr2 -o javanet.nat=true \
        --subnet 10.210.71.0/24 --gateway 10.210.71.1
    check "a web server publishing a port" web it-atweb it-at2 -p 18341:80
    check "the port answers" eventually http_get 127.0.0.1 18341
    check "the container reaches beyond the host, masqueraded" reaches it-atweb 10.210.72.1
    docker rm -f it-atweb >/dev/null
    check "network removed" docker network rm it-at2
    check "the user's bridge and its address are still there" bash -c "ip -j addr show jnit-atbr2 | jq -e '.[0].addr_info[] | select(.local == \"10.210.71.1\")'"
}

test_attach_refuses_what_it_cannot_attach_to() {
    check "missing parent refused" expect_fail_with "-o parent: required with -o javanet.mode=attach" \
        docker network create -d "$PLUGIN" -o javanet.mode=attach --subnet 10.210.73.0/24 it-atbad
    defer docker network rm it-atbad
    check "a link that is no bridge refused" expect_fail_with "-o parent: lo is a plain link, not a bridge" \
        docker network create -d "$PLUGIN" -o javanet.mode=attach -o parent=lo --subnet 10.210.73.0/24 it-atbad
    check "NAT on a bridge network refused" expect_fail_with "-o javanet.nat: only for -o javanet.mode=attach, not bridge" \
        docker network create -d "$PLUGIN" -o javanet.nat=true --subnet 10.210.73.0/24 it-atbad
}
