#!/usr/bin/env bash
# -o javanet.mode=macvlan: containers on the parent link's own network. The "LAN" is a namespace of our own at
# the far end of a veth whose near end is the parent.

test_macvlan_containers_sit_on_the_parents_network() {
    check "lan" lan mva 10.210.50
    check "network" net it-mv1 -o javanet.mode=macvlan -o parent=jnit-mva0 --subnet 10.210.50.0/24 --gateway 10.210.50.1
    check "c1" ctr it-c1 --net it-mv1
    check "c2" ctr it-c2 --net it-mv1
    local id; id=$(docker network inspect -f '{{.Id}}' it-mv1)
    check "no bridge made" lacks "jn-${id:0:12}" ip -br link show
    check "c1's eth0 is a macvlan" bash -c "nsenter -n -t \$(docker inspect -f '{{.State.Pid}}' it-c1) ip -d link show eth0 | grep -q 'macvlan mode bridge'"
    check "c1 reaches c2" reaches it-c1 it-c2
    check "c1 reaches the LAN's router" reaches it-c1 10.210.50.1
    check "the LAN reaches c2" ip netns exec jnit-mva busybox ping -c1 -W2 "$(ip_of it-c2 it-mv1)"
    docker rm -f it-c1 it-c2 >/dev/null
    check "network removed" docker network rm it-mv1
    check "no macvlan of ours left" eventually lacks '^jnm' ip -br link show
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

# An 802.1q parent javanet makes itself where the kernel has 8021q; where it has not (this CI's), the refusal
# names the kernel's answer. parent-modes.sh, in the guest, covers the VLAN parent end to end.
test_macvlan_on_a_vlan_parent() {
    check "lan" lan mvc 10.210.63
    local create=(docker network create -d "$PLUGIN" -o javanet.mode=macvlan -o parent=jnit-mvc0.20
        --subnet 10.210.63.0/24 it-mvvlan)
    defer docker network rm it-mvvlan
    if kernel_ships 8021q; then
        check "a network on a missing VLAN parent" "${create[@]}"
        check "the parent made" bash -c "ip -d link show jnit-mvc0.20 | grep -q 'vlan protocol 802.1Q id 20'"
        check "network removed" docker network rm it-mvvlan
    else
        check "refused, naming the kernel's answer" expect_fail_with \
            'cannot make jnit-mvc0.20, VLAN 20 on jnit-mvc0 (RTM_NEWLINK vlan jnit-mvc0.20: EOPNOTSUPP' "${create[@]}"
    fi
    check "no VLAN parent left" no_link jnit-mvc0.20
}
