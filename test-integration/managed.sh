#!/usr/bin/env bash
# The managed (v2) plugin: built from the Dockerfile, created and enabled, used for bridge networks, then
# disabled and removed; nothing of ours may be left. Usage: test-integration/managed.sh (as root)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
NAME=javanet-managed-it:latest
# The plugin's socket inside is javanet.sock, so its firewall table and link marks are named javanet.
PLUGIN=javanet
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
    check "network removed" docker network rm it-m1
    check "disable" docker plugin disable "$NAME"
    check "remove" docker plugin rm "$NAME"
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
    host_files "$WORK/host-files.before"
    find "$rootfs" -xdev | sort -T "$WORK" >"$WORK/rootfs-files.before"
    touch /var/tmp/javanet-probe "$rootfs/tmp/javanet-probe"
    defer rm -f /var/tmp/javanet-probe "$rootfs/tmp/javanet-probe"
    for i in $(seq 1 20); do
        eventually 60 activated_since "$id" "$pid" && pid=$(managed_pid) || break
        kill -KILL "$pid" && kills=$((kills + 1))
        eventually 30 exited "$pid" || break
        docker plugin disable -f "$NAME" >/dev/null 2>&1
        eventually 60 enabled_again || break
    done
    check "killed and enabled again 20 times" test "$kills" = 20
    check "activated again" eventually 60 activated_since "$id" "$pid"
    host_files "$WORK/host-files.after"
    find "$rootfs" -xdev | sort -T "$WORK" >"$WORK/rootfs-files.after"
    check "no new file on the host" only_new /var/tmp/javanet-probe "$WORK/host-files.before" "$WORK/host-files.after"
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
run_test lifecycle
run_test cli
run_test doctor
run_test kills_leave_no_file
