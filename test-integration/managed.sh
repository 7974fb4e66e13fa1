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

remember_host
run_test lifecycle
