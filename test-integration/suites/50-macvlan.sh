#!/usr/bin/env bash
# -o javanet.mode=macvlan: containers on the parent link's own network. The "LAN" is a namespace of our own at
# the far end of a veth whose near end is the parent.

lan() { # lan NAME SUBNET_PREFIX: parent jnit-NAME0 on the host, its peer in namespace jnit-NAME at .1
    local name=$1 prefix=$2
    ip netns add "jnit-$name" || return 1
    defer ip netns del "jnit-$name"
    ip link add "jnit-${name}0" type veth peer name "jnit-${name}1" || return 1
    defer ip link del "jnit-${name}0"
    ip link set "jnit-${name}1" netns "jnit-$name"
    ip link set "jnit-${name}0" up
    ip -n "jnit-$name" addr add "$prefix.1/24" dev "jnit-${name}1"
    ip -n "jnit-$name" link set "jnit-${name}1" up
}

test_macvlan_containers_sit_on_the_parents_network() {
    check "lan" lan mva 10.210.50
    check "network" net it-mv1 -o javanet.mode=macvlan -o parent=jnit-mva0 --subnet 10.210.50.0/24 --gateway 10.210.50.1
    check "c1" ctr it-c1 --net it-mv1
    check "c2" ctr it-c2 --net it-mv1
    check "no bridge made" bash -c "! ip -d link show type bridge | grep -q \"jn-$(docker network inspect -f '{{.Id}}' it-mv1 | cut -c1-12)\""
    check "c1's eth0 is a macvlan" bash -c "nsenter -n -t \$(docker inspect -f '{{.State.Pid}}' it-c1) ip -d link show eth0 | grep -q 'macvlan mode bridge'"
    check "c1 reaches c2" reaches it-c1 it-c2
    check "c1 reaches the LAN's router" reaches it-c1 10.210.50.1
    check "the LAN reaches c2" ip netns exec jnit-mva busybox ping -c1 -W2 "$(ip_of it-c2 it-mv1)"
    local id; id=$(docker network inspect -f '{{.Id}}' it-mv1)
    docker rm -f it-c1 it-c2 >/dev/null
    check "network removed" docker network rm it-mv1
    check "no macvlan of ours left" eventually bash -c "! ip -br link | grep -q '^jnm'"
}

test_macvlan_networks_are_checked() {
    check "lan" lan mvb 10.210.60
    check "missing parent refused" expect_fail_with "-o parent: required with -o javanet.mode=macvlan" \
        docker network create -d "$PLUGIN" -o javanet.mode=macvlan --subnet 10.210.61.0/24 it-mvbad
    defer docker network rm it-mvbad
    check "unknown parent refused" expect_fail_with "-o parent: there is no link named nosuch0 on the host" \
        docker network create -d "$PLUGIN" -o javanet.mode=macvlan -o parent=nosuch0 --subnet 10.210.61.0/24 it-mvbad
    check "unknown mode refused" expect_fail_with '-o javanet.mode: unknown mode "ipvlan5"' \
        docker network create -d "$PLUGIN" -o javanet.mode=ipvlan5 --subnet 10.210.61.0/24 it-mvbad
    check "first on the parent" net it-mv2 -o javanet.mode=macvlan -o parent=jnit-mvb0 --subnet 10.210.60.0/24
    check "conflicting mode on the same parent refused" expect_fail_with "already carries network" \
        docker network create -d "$PLUGIN" -o javanet.mode=macvlan -o parent=jnit-mvb0 -o macvlan_mode=private \
        --subnet 10.210.62.0/24 it-mvbad
}

# An 802.1q parent javanet makes itself; on a kernel without 8021q (this CI's), the refusal must say so.
vlan_parent_made_and_removed_or_refused() {
    if docker network create -d "$PLUGIN" -o javanet.mode=macvlan -o parent=jnit-mvc0.20 --subnet 10.210.63.0/24 \
        it-mvvlan 2>"$WORK/vlan.err" >/dev/null; then
        ip -d link show jnit-mvc0.20 | grep -q 'vlan protocol 802.1Q id 20' || return 1
        docker network rm it-mvvlan >/dev/null || return 1
        ! ip link show jnit-mvc0.20 2>/dev/null
    else
        cat "$WORK/vlan.err"
        grep -q 'cannot make jnit-mvc0.20, VLAN 20 on jnit-mvc0 (RTM_NEWLINK vlan jnit-mvc0.20: EOPNOTSUPP' "$WORK/vlan.err" \
            && ! ip link show jnit-mvc0.20 2>/dev/null
    fi
}

test_macvlan_on_a_vlan_parent() {
    check "lan" lan mvc 10.210.63
    defer docker network rm it-mvvlan
    check "VLAN parent made and removed, or refused naming the kernel's answer" vlan_parent_made_and_removed_or_refused
}
