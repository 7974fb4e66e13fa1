#!/usr/bin/env bash
# Crashes and restarts: the plugin's, and repairs at start-up.

test_running_containers_keep_connectivity_across_a_plugin_crash() {
    check "network" net it-r1 --ipam-driver "$PLUGIN" --subnet 10.160.0.0/24
    check "c1" ctr it-c1 --net it-r1 -p 18100:80
    check "c2" ctr it-c2 --net it-r1
    stop_plugin KILL
    check "c1 still reaches c2 with the plugin dead" reaches it-c1 it-c2
    check "restart" start_plugin
    check "c1 still reaches c2 after the restart" reaches it-c1 it-c2
    check "a new container joins" ctr it-c3 --net it-r1
    check "and reaches an old one" reaches it-c3 it-c1
    check "no address given twice" bash -c "[ \$(for c in it-c1 it-c2 it-c3; do docker inspect -f '{{(index .NetworkSettings.Networks \"it-r1\").IPAddress}}' \$c; done | sort -u | wc -l) = 3 ]"
    check "endpoints made before the restart are removed" docker rm -f it-c1 it-c2
    check "and so is the network" bash -c "docker rm -f it-c3 && docker network rm it-r1"
}

test_a_deleted_bridge_is_rebuilt_at_start() {
    check "network" net it-r2 --ipam-driver "$PLUGIN" --subnet 10.161.0.0/24
    check "c1" ctr it-c1 --net it-r2
    local bridge; bridge=$(links_of it-r2 | head -1)
    stop_plugin TERM
    check "someone deletes our bridge" ip link del "$bridge"
    check "restart" start_plugin
    check "bridge back" ip link show "$bridge"
    check "with its gateway" bash -c "ip -4 addr show $bridge | grep -q 10.161.0.1/24"
    check "c1's veth back on it" bash -c "ip link show master $bridge | grep -q jnv"
    check "a new container reaches c1" bash -c "docker run -d --name it-c2 --net it-r2 $IMAGE sleep 600 >/dev/null && docker exec it-c2 ping -c1 -W2 it-c1 >/dev/null"
    defer docker rm -f it-c2
    check "repairs were logged" grep -q "reconcile: bridge $bridge of network" "$PLUGIN_LOG"
}

test_a_link_left_by_a_crash_is_removed_at_start() {
    stop_plugin KILL
    ip link add jnvdeadbeef000 type veth peer name jncdeadbeef000
    ip link set jnvdeadbeef000 alias "javanet:$PLUGIN"
    ip link add jnvforeign0000 type veth peer name jncforeign0000
    defer ip link del jnvforeign0000
    check "restart" start_plugin
    check "our leftover is gone" no_link jnvdeadbeef000
    check "someone else's link is kept" ip link show jnvforeign0000
}

test_daemon_restart_brings_restart_always_containers_back_connected() {
    check "network" net it-r3 --ipam-driver "$PLUGIN" --subnet 10.162.0.0/24
    check "c1 (restart always)" ctr it-c1 --net it-r3 --restart always
    check "c2 (restart always)" ctr it-c2 --net it-r3 --restart always
    check "restart dockerd" restart_dockerd
    check "both back" eventually 20 bash -c "[ \"\$(docker inspect -f '{{.State.Running}}' it-c1 it-c2 | sort -u)\" = true ]"
    check "and connected" reaches it-c1 it-c2
    check "the network still works for new containers" ctr it-c3 --net it-r3
    check "which reach the old ones" reaches it-c3 it-c1
}

test_live_restore_keeps_containers_running_and_connected() {
    check "live-restore on" restart_dockerd --live-restore
    defer restart_dockerd
    check "network" net it-r4 --ipam-driver "$PLUGIN" --subnet 10.163.0.0/24
    check "c1" ctr it-c1 --net it-r4
    check "c2" ctr it-c2 --net it-r4
    local before; before=$(docker inspect -f '{{.State.StartedAt}}' it-c1)
    check "restart dockerd, live-restore" restart_dockerd --live-restore
    check "c1 was not restarted" test "$(docker inspect -f '{{.State.StartedAt}}' it-c1)" = "$before"
    check "still connected" reaches it-c1 it-c2
    check "connect and disconnect still work" bash -c "docker network disconnect it-r4 it-c2 && docker network connect it-r4 it-c2"
    check "and reach again" reaches it-c1 it-c2
}

test_an_endpoint_whose_container_went_while_we_were_down_is_removed() {
    check "network" net it-r9 --ipam-driver "$PLUGIN" --subnet 10.169.0.0/24
    check "c1" ctr it-c1 --net it-r9
    check "c2" ctr it-c2 --net it-r9
    local ep; ep=$(endpoint_of it-c1 it-r9)
    stop_plugin KILL
    # Docker's Leave, DeleteEndpoint and ReleaseAddress fail while we are down; it forgets them anyway.
    docker rm -f it-c1 >/dev/null 2>&1
    check "the container is gone" expect_fail_with "No such" docker container inspect it-c1
    JAVANET_RECLAIM_AFTER=2 check "restart, with a short grace period" start_plugin
    check "its endpoint is removed from our state" eventually 15 grep -q "removing endpoint $ep: its container gone" "$PLUGIN_LOG"
    check "and its address freed: a new container gets it" bash -c "docker run -d --name it-c3 --net it-r9 --ip 10.169.0.2 $IMAGE sleep 600 >/dev/null"
    defer docker rm -f it-c3
    check "the other container is untouched, and reaches the new one" reaches it-c2 10.169.0.2
}
