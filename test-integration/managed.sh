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
    local plugins=/usr/local/lib/docker/cli-plugins
    local made=; [ -d "$plugins" ] || made=yes
    check "the CLI plugin installed as install.sh installs it" install -D -m 0755 "$here/../plugin-config/docker-javanet" \
        "$plugins/docker-javanet"
    defer rm -f "$plugins/docker-javanet"
    [ -n "$made" ] && defer rmdir -p --ignore-fail-on-non-empty "$plugins"
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
run_test kills_leave_no_file
