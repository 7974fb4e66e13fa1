#!/usr/bin/env bash
# The managed (v2) plugin: built from the Dockerfile, created and enabled, used for bridge networks, then
# disabled and removed; nothing of ours may be left. Usage: test-integration/managed.sh (as root; ONLY=PATTERN runs
# the tests whose names match)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
NAME=javanet-managed-it:latest
PLUGIN=javanet
# Managed installs are named by their plugin IDs (javanet-ID), an earlier release's by its socket (javanet).
INSTANCE='javanet(-[0-9a-f]{12})?'
SUITE=managed
# shellcheck source=lib.sh
. "$here/lib.sh"
require_setup managed
trap finish EXIT

# One test: its deferred clean-up runs only at its end, and undoes whatever a failure left half-done.
lifecycle() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "metrics asked for" docker plugin set "$NAME" JAVANET_METRICS_SOCKET=/run/docker/plugins/javanet-metrics.sock
    local t0=$SECONDS
    check "enable" docker plugin enable "$NAME"
    log "    enabled in $((SECONDS - t0)) s"

    check "network" docker network create -d "$NAME" --ipam-driver "$NAME" --subnet 10.190.0.0/24 it-m1
    defer docker network rm it-m1
    check "web" web it-mweb it-m1 -p 18300:80
    check "client" ctr it-mc --net it-m1
    check "ping by name" docker exec it-mc ping -c1 -W2 it-mweb
    check "published port on 127.0.0.1" eventually http_get 127.0.0.1 18300
    local id; id=$(docker plugin inspect -f '{{.Id}}' "$NAME")
    check "its log is in the daemon's" bash -c "grep -qh 'plugin=$id' /var/log/javanet-it-dockerd.log /var/log/docker.log 2>/dev/null \
        || journalctl -u docker 2>/dev/null | grep -q 'plugin=$id'"
    check "metrics on the host, through the plugin's socket directory" bash -c "curl -sf --unix-socket \
        /run/docker/plugins/$id/javanet-metrics.sock http://p/metrics | grep -q 'javanet_endpoints{mode=\"bridge\"} 2.0'"
    check "in use: disable refused" expect_fail_with "is in use" docker plugin disable "$NAME"

    docker rm -f it-mweb it-mc >/dev/null
    local db=/var/lib/javanet/javanet-${id:0:12}.db
    check "its database while it runs" test -s "$db" -a -s "$db.lock"
    check "network removed" docker network rm it-m1
    check "disable" docker plugin disable "$NAME"
    check "with nothing left to keep, its database and lock file went as it stopped" test ! -e "$db" -a ! -e "$db.lock"
    check "remove" docker plugin rm "$NAME"
}

# plugin_has_socket: the engine's API socket inside the running plugin, where a global-scope install reads it (the
# rootfs has no /var/run symlink to resolve outside it, and no program to look from inside).
plugin_has_socket() { local pid; pid=$(managed_pid) && test -S "/proc/$pid/root/var/run/docker.sock"; }
# plugin_has_null: /dev/null there instead, as a local install is made.
plugin_has_null() { local pid; pid=$(managed_pid) && test -c "/proc/$pid/root/var/run/docker.sock"; }

# A local install asks the engine nothing, so it can go without the engine's socket, as install.sh makes it: the
# mount that gives full access to Docker's API (read only does not restrict a socket) set to /dev/null.
local_install_without_the_engine() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "enable, as created" docker plugin enable "$NAME"
    check "the engine's socket is in the plugin" eventually 30 plugin_has_socket
    check "disable" docker plugin disable "$NAME"
    check "the engine mount set to /dev/null" docker plugin set "$NAME" engine.source=/dev/null
    check "enable" docker plugin enable "$NAME"
    check "the engine's socket is not in the plugin" eventually 30 plugin_has_null
    check "network" docker network create -d "$NAME" --subnet 10.191.0.0/24 it-m9
    defer docker network rm it-m9
    check "web" web it-m9web it-m9
    check "client" ctr it-m9c --net it-m9
    check "the client reaches the web server by name" eventually 10 http_get_from it-m9c it-m9web 80
    docker rm -f it-m9web it-m9c >/dev/null
    check "network removed" docker network rm it-m9
}

# The managed plugin killed 20 times and enabled again after each: nothing new on the host or in its rootfs, a
# plain directory the plugin could write to (SQLite's and JNA's libraries, JVM performance data). After a crash
# Docker starts a plugin again, or gives up on it, or fails to (a mount or task of the old one still there);
# `disable -f` and an enable retried until Docker takes it make every round the same.
kills_leave_no_file() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "metrics asked for" docker plugin set "$NAME" JAVANET_METRICS_SOCKET=/run/docker/plugins/javanet-metrics.sock
    check "enable" docker plugin enable "$NAME"
    local id rootfs pid= kills=0 i
    id=$(docker plugin inspect -f '{{.Id}}' "$NAME")
    rootfs=$(docker info -f '{{.DockerRootDir}}')/plugins/$id/rootfs
    check "its rootfs is where we look" test -x "$rootfs/opt/jre/bin/java"
    check "activated by Docker" eventually 30 activated_since "$id" ""
    # Where it can write on the host: its state mount and its runtime directory (its sockets).
    local writable=(/var/lib/javanet "/run/docker/plugins/$id")
    plugin_files "$WORK/host-files.before" "${writable[@]}"
    find "$rootfs" -xdev | sort -T "$WORK" >"$WORK/rootfs-files.before"
    touch /var/lib/javanet/javanet-probe "$rootfs/tmp/javanet-probe"
    defer rm -f /var/lib/javanet/javanet-probe "$rootfs/tmp/javanet-probe"
    for i in $(seq 1 20); do
        eventually 60 activated_since "$id" "$pid" && pid=$(managed_pid) || break
        kill -KILL "$pid" && kills=$((kills + 1))
        eventually 30 exited "$pid" || break
        docker plugin disable -f "$NAME" >/dev/null 2>&1
        eventually 60 enabled_again || break
    done
    check "killed and enabled again 20 times" test "$kills" = 20
    check "activated again" eventually 60 activated_since "$id" "$pid"
    plugin_files "$WORK/host-files.after" "${writable[@]}"
    find "$rootfs" -xdev | sort -T "$WORK" >"$WORK/rootfs-files.after"
    check "no new file on the host where it can write" only_new /var/lib/javanet/javanet-probe "$WORK/host-files.before" \
        "$WORK/host-files.after"
    check "no new file in the rootfs" only_new "$rootfs/tmp/javanet-probe" "$WORK/rootfs-files.before" \
        "$WORK/rootfs-files.after"
    check "disable" docker plugin disable "$NAME"
}

# managed_pid: the plugin's JVM, the one whose rootfs names the plugin (see plugin-config/build.sh).
# docker javanet, the CLI plugin, installed where Docker's CLI looks for plugins and run as root: what Docker
# shows nothing of for a remote driver (docker port stays empty), read from the plugin's status endpoint.
cli() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "enable" docker plugin enable "$NAME"
    check "the CLI plugin installed as install.sh installs it" install_cli_plugin
    check "docker --help lists it" bash -c "docker --help | grep -Eq '^ +javanet\\*? +Published ports'"
    check "docker info lists it" bash -c "docker info 2>/dev/null | grep -q 'javanet: Published ports'"

    check "network" docker network create -d "$NAME" --ipam-driver "$NAME" --subnet 10.191.0.0/24 it-cli
    defer docker network rm it-cli
    check "a container with -p" web it-cweb it-cli -p 18310:80
    check "a container with -P" web it-cauto it-cli -P --expose 80
    check "-p: its port as docker port would show it" is "$(docker javanet ports it-cweb)" "80/tcp -> 0.0.0.0:18310"
    check "which answers" eventually http_get 127.0.0.1 18310
    local auto; auto=$(docker javanet ports it-cauto | sed -n 's|^80/tcp -> 0.0.0.0:||p')
    check "-P: the host port javanet chose is shown" test -n "$auto"
    check "and answers" eventually http_get 127.0.0.1 "$auto"
    check "while docker port shows nothing for a remote driver" is "$(docker port it-cweb)" ""
    check "every port, as JSON" bash -c "docker javanet ports --format json | jq -e 'map(select(.container == \"it-cweb\"
        and .hostPort == 18310 and .containerPort == \"80/tcp\")) | length == 1'"
    check "ls: the network, its mode and bridge" bash -c "docker javanet ls | grep -Eq '^it-cli +[0-9a-f]{12} +bridge +jn-'"
    docker javanet inspect it-cli --format json >"$WORK/inspect.json"
    local link address mac
    read -r link address mac < <(jq -r '.endpoints[] | select(.container == "it-cweb") | "\(.hostLink) \(.address) \(.macAddress)"' \
        "$WORK/inspect.json")
    check "inspect: the endpoint's address is the container's" is "${address%/*}" "$(ip_of it-cweb it-cli)"
    check "its MAC is the container's" is "$mac" "$(docker inspect -f '{{(index .NetworkSettings.Networks "it-cli").MacAddress}}' it-cweb)"
    check "its host link is a port of the network's bridge" is "$(ip -j link show "$link" | jq -r '.[0].master')" \
        "$(jq -r .network.link "$WORK/inspect.json")"
    check "a network javanet does not have is refused by name" expect_fail_with "no javanet network bridge" \
        docker javanet inspect bridge
}

# doctor_passes: docker javanet doctor finds no problem (what it said is kept in $WORK/doctor).
doctor_passes() {
    docker javanet doctor >"$WORK/doctor" 2>&1 || { cat "$WORK/doctor"; return 1; }
    grep -q '^No problem found' "$WORK/doctor"
}
# doctor_said REGEX: doctor's last table has a line matching REGEX.
doctor_said() { grep -Eq "$1" "$WORK/doctor" || { echo "no line matches $1 in:"; cat "$WORK/doctor"; return 1; }; }
restarted_plugin() { docker plugin disable -f "$NAME" >/dev/null && enabled_again; }
our_docker_user_rules() { nft -a list chain "$1" filter DOCKER-USER 2>/dev/null | grep 'mark & 0x00200000 == 0x00200000'; }
delete_our_docker_user_rules() {
    local family handle
    for family in ip ip6; do
        for handle in $(our_docker_user_rules "$family" | sed -n 's/.*# handle \([0-9]*\)$/\1/p'); do
            nft delete rule "$family" filter DOCKER-USER handle "$handle" || return 1
        done
    done
}

# docker javanet doctor: passes on a clean host; then after each fault made by hand it fails naming it and the
# fix, and passes again once the fix it names is applied: the plugin restarted (our rule gone from DOCKER-USER,
# the bridge deleted), the container restarted (its veth deleted), the sysctl set (ip_forward off: a managed
# plugin sees /proc/sys read-only, so its restart cannot set it).
doctor() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "enable" docker plugin enable "$NAME"
    check "the CLI plugin installed as install.sh installs it" install_cli_plugin
    check "network" docker network create -d "$NAME" --ipam-driver "$NAME" --subnet 10.192.0.0/24 it-doc
    defer docker network rm it-doc
    check "a container with -p" web it-dweb it-doc -p 18330:80
    check "which answers" eventually http_get 127.0.0.1 18330
    docker javanet inspect it-doc --format json >"$WORK/doc.json"
    local bridge veth
    bridge=$(jq -r .network.link "$WORK/doc.json")
    veth=$(jq -r '.endpoints[] | select(.container == "it-dweb") | .hostLink' "$WORK/doc.json")

    check "doctor: a clean host passes" doctor_passes
    check "it checked the engine" doctor_said '^ok +engine +engine +Docker [0-9]'
    check "our rule in DOCKER-USER" doctor_said "^ok +$NAME +docker hook +our rule in ip filter DOCKER-USER"
    check "the bridge" doctor_said "^ok +it-doc +bridge +$bridge\$"
    check "forwarding" doctor_said '^ok +it-doc +forwarding +net.ipv4.ip_forward = 1'
    check "the container's veth on it" doctor_said "^ok +it-doc/it-dweb +on the bridge +$veth on $bridge"
    check "as JSON, every check passed" bash -c "docker javanet doctor --format json | jq -e 'length > 5 and all(.status == \"ok\")'"

    check "our rule removed from DOCKER-USER" delete_our_docker_user_rules
    check "doctor names it" expect_fail_with "ip filter DOCKER-USER has no rule of ours" docker javanet doctor
    check "and its fix" grep -q "fix: restart the plugin, whose start-up repairs it: docker plugin disable -f $NAME" "$WORK/failed"
    check "the plugin restarted" restarted_plugin
    check "doctor passes again" eventually 20 doctor_passes
    check "our rule is back" our_docker_user_rules ip

    check "the bridge deleted" ip link del "$bridge"
    check "doctor names it" expect_fail_with "$bridge is missing: the network's containers are cut off" docker javanet doctor
    check "the plugin restarted" restarted_plugin
    check "doctor passes again" eventually 20 doctor_passes
    check "the port answers again" eventually http_get 127.0.0.1 18330

    check "the container's veth deleted" ip link del "$veth"
    check "doctor names it" expect_fail_with "$veth is missing: the container is cut off from the network" docker javanet doctor
    check "and its fix" grep -q "fix: restart the container" "$WORK/failed"
    check "the container restarted" docker restart it-dweb
    check "doctor passes again" eventually 20 doctor_passes
    check "the port answers again" eventually http_get 127.0.0.1 18330

    defer sysctl -qw net.ipv4.ip_forward=1
    check "ip_forward off" sysctl -qw net.ipv4.ip_forward=0
    check "doctor names it" expect_fail_with "net.ipv4.ip_forward = 0: the host forwards nothing" docker javanet doctor
    check "and its fix" grep -q "fix: sysctl -w net.ipv4.ip_forward=1" "$WORK/failed"
    check "the fix applied" sysctl -qw net.ipv4.ip_forward=1
    check "doctor passes again" doctor_passes
}

# Two managed installs at once, the second an alias: each has its own database and firewall table, named by its
# plugin ID, and docker javanet lists a port once (with one database they listed each other's networks too).
NAME2=javanet-managed-it-alias:latest
two_installs() {
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "and $NAME2" "$here/../plugin-config/build.sh" "$NAME2"
    defer docker plugin rm -f "$NAME2"
    check "enable both" docker plugin enable "$NAME"
    check "enable both" docker plugin enable "$NAME2"
    check "the CLI plugin installed as install.sh installs it" install_cli_plugin
    local id1 id2; id1=$(docker plugin inspect -f '{{.Id}}' "$NAME" | cut -c1-12); id2=$(docker plugin inspect -f '{{.Id}}' "$NAME2" | cut -c1-12)
    check "a network on each" docker network create -d "$NAME" --subnet 10.193.0.0/24 it-two1
    defer docker network rm it-two1
    check "a network on each" docker network create -d "$NAME2" --subnet 10.194.0.0/24 it-two2
    defer docker network rm it-two2
    check "a published port" web it-twoweb it-two1 -p 18320:80
    check "which answers" eventually http_get 127.0.0.1 18320
    check "each its own database" test -s "/var/lib/javanet/javanet-$id1.db" -a -s "/var/lib/javanet/javanet-$id2.db"
    check "each locked by its plugin" grep -q "^managed plugin $id2" "/var/lib/javanet/javanet-$id2.db.lock"
    local bridge1 bridge2
    bridge1=jn-$(docker network inspect -f '{{.Id}}' it-two1 | cut -c1-12); bridge2=jn-$(docker network inspect -f '{{.Id}}' it-two2 | cut -c1-12)
    check "each its own table" bash -c "nft list table inet javanet-$id1 | grep -q $bridge1 && nft list table inet javanet-$id2 | grep -q $bridge2"
    check "holding its own network only" lacks "$bridge2" nft list table inet "javanet-$id1"
    check "its links marked as its own" is "$(ip -j -d link show "$bridge2" | jq -r '.[0].ifalias')" "javanet:javanet-$id2"
    check "the port listed once" is "$(docker javanet ports | grep -c ':18320$')" 1
    check "ls: each network once" is "$(docker javanet ls | grep -cE '^it-two[12] ')" 2
}

# An install of the release before plugin identities (state in javanet.db, table inet javanet, links and
# DOCKER-USER rule marked javanet), made from ours while it is disabled, then enabled as docker plugin upgrade
# leaves it: it takes its state over under its ID, the containers keep their network and port, and nothing of the
# earlier names is left.
takeover() {
    check "no earlier release's database here" test ! -e /var/lib/javanet/javanet.db -a ! -e /var/lib/javanet/javanet.db.lock
    check "build and create $NAME" "$here/../plugin-config/build.sh" "$NAME"
    defer docker plugin rm -f "$NAME"
    check "enable" docker plugin enable "$NAME"
    local id; id=$(docker plugin inspect -f '{{.Id}}' "$NAME" | cut -c1-12)
    check "network" docker network create -d "$NAME" --ipam-driver "$NAME" --subnet 10.195.0.0/24 it-tk
    defer docker network rm it-tk
    check "web" web it-tkweb it-tk -p 18340:80
    check "client" ctr it-tkc --net it-tk
    check "which answers" eventually http_get 127.0.0.1 18340
    check "disable (containers keep running)" docker plugin disable -f "$NAME"
    defer rm -f /var/lib/javanet/javanet.db.lock
    check "made an earlier release's" as_earlier_release "$id"
    check "its table is the earlier release's" nft list table inet javanet
    check "enable" docker plugin enable "$NAME"
    check "the port still answers" eventually http_get 127.0.0.1 18340
    check "the containers still reach each other" docker exec it-tkc ping -c1 -W2 it-tkweb
    check "the database moved to its ID" test -s "/var/lib/javanet/javanet-$id.db" -a ! -e /var/lib/javanet/javanet.db
    check "nor its lock file" test ! -e /var/lib/javanet/javanet.db.lock
    check "the earlier table gone" lacks '^table inet javanet$' nft list tables inet
    check "its own holds the network" bash -c "nft list table inet javanet-$id | grep -q jn-"
    check "no DOCKER-USER rule of the earlier name" lacks '--comment javanet ' iptables -S DOCKER-USER
    check "its own there" bash -c "iptables -S DOCKER-USER | grep -q -- '--comment javanet-$id '"
    check "no link marked javanet:javanet" lacks '"javanet:javanet"' ip -j -d link show
    check "a new container joins" bash -c "docker run --rm --net it-tk $IMAGE ping -c1 -W2 it-tkweb >/dev/null"
}

# as_earlier_release ID12: the disabled install's state as the release before plugin identities kept it.
as_earlier_release() {
    local id=$1 db=/var/lib/javanet/javanet-$1.db link
    mv "$db" /var/lib/javanet/javanet.db && rm -f "$db.lock" "$db-shm" || return 1
    [ ! -e "$db-wal" ] || mv "$db-wal" /var/lib/javanet/javanet.db-wal || return 1
    for link in $(ip -j -d link show | jq -r ".[] | select(.ifalias == \"javanet:javanet-$id\") | .ifname"); do
        ip link set "$link" alias javanet:javanet || return 1
    done
    nft list table inet "javanet-$id" | sed "s/^table inet javanet-$id /table inet javanet /" | nft -f - || return 1
    nft delete table inet "javanet-$id" || return 1
    # The earlier release's rule as it wrote it, through nftables (iptables would write the comment as a match).
    iptables -D DOCKER-USER -m mark --mark 0x200000/0x200000 -m comment --comment "javanet-$id" -j ACCEPT || return 1
    nft insert rule ip filter DOCKER-USER meta mark and 0x00200000 == 0x00200000 counter accept comment '"javanet"' \
        || return 1
    if ip6tables -D DOCKER-USER -m mark --mark 0x200000/0x200000 -m comment --comment "javanet-$id" -j ACCEPT 2>/dev/null; then
        nft insert rule ip6 filter DOCKER-USER meta mark and 0x00200000 == 0x00200000 counter accept comment '"javanet"'
    fi
}

# enabled_again: the plugin is enabled, by us or, as Docker 20.10 may after a forced disable under load, already.
enabled_again() {
    docker plugin enable "$NAME" >/dev/null 2>&1 || [ "$(docker plugin inspect -f '{{.Enabled}}' "$NAME")" = true ]
}

managed_pid() {
    local pid
    for pid in $(pgrep -f '/opt/javanet/javanet.jar serve'); do
        [ "$(cat "/proc/$pid/root/etc/javanet-plugin" 2>/dev/null)" = "$NAME" ] && { echo "$pid"; return 0; }
    done
    return 1
}

# activated_since ID OLD_PID: a JVM other than OLD_PID runs the plugin, and Docker has activated it (its metrics
# count a Plugin.Activate, which only Docker sends).
activated_since() {
    local pid; pid=$(managed_pid) && [ "$pid" != "$2" ] && curl -sf --unix-socket \
        "/run/docker/plugins/$1/javanet-metrics.sock" http://p/metrics | grep -q '^javanet_calls_seconds_count{call="Plugin.Activate",outcome="ok"'
}

remember_host
for t in lifecycle local_install_without_the_engine cli doctor two_installs takeover kills_leave_no_file; do
    [[ $t =~ ${ONLY:-.} ]] && run_test "$t"
done
