#!/usr/bin/env bash
# The managed plugin as users get it: pushed to a registry (Debian's docker-registry, on 127.0.0.1 only), then
# `docker plugin install` from it, `docker plugin upgrade` to a newer tag with a network and a running container
# kept across it, and `docker plugin install --alias`. Usage: test-integration/registry.sh (as root)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PLUGIN=javanet
# Managed installs are named by their plugin IDs (javanet-ID), an earlier release's by its socket (javanet).
INSTANCE='javanet(-[0-9a-f]{12})?'
SUITE=registry
# shellcheck source=lib.sh
. "$here/lib.sh"
require_setup registry
REGISTRY=127.0.0.1:${REGISTRY_PORT:-5123}
REPO=$REGISTRY/javanet
# state_db NAME: the plugin's state database, named by its ID, which docker plugin upgrade keeps.
state_db() { echo "/var/lib/javanet/javanet-$(docker plugin inspect -f '{{.Id}}' "$1" | cut -c1-12).db"; }

start_registry() {
    command -v docker-registry >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq -o DPkg::Lock::Timeout=300 docker-registry >/dev/null; } || return 1
    cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/registry}}
http: {addr: $REGISTRY}
EOF
    setsid docker-registry serve "$WORK/registry.yml" >>"$WORK/registry.log" 2>&1 </dev/null &
    local pid=$!
    defer_suite "kill $pid"
    eventually 10 curl -sf "http://$REGISTRY/v2/" >/dev/null && return 0
    cat "$WORK/registry.log" >&2
    return 1
}
trap finish EXIT

# push TAG: the plugin as built, released as TAG (its rootfs says so in /etc/javanet-release, so each tag is
# an image of its own), pushed under the registry's name; only the registry keeps it.
push() {
    "$here/../plugin-config/build.sh" "$REPO:$1" >/dev/null || return 1
    docker plugin rm -f "$REPO:$1" >/dev/null
    rm -rf "$WORK/plugin-$1" && cp -a "$here/../build/plugin" "$WORK/plugin-$1" || return 1
    echo "$1" >"$WORK/plugin-$1/rootfs/etc/javanet-release"
    docker plugin create "$REPO:$1" "$WORK/plugin-$1" >/dev/null || return 1
    docker plugin push "$REPO:$1" >/dev/null || return 1
    docker plugin rm -f "$REPO:$1" >/dev/null
}

# release NAME: the release file in the rootfs the engine runs NAME from.
release() {
    cat "$(docker info -f '{{.DockerRootDir}}')/plugins/$(docker plugin inspect -f '{{.Id}}' "$1")/rootfs/etc/javanet-release"
}

# two_containers NAME NETWORK: a sleeper and a pinger on NETWORK, the second reaching the first by name.
two_containers() {
    ctr "$1-a" --net "$2" && ctr "$1-b" --net "$2" && reaches "$1-b" "$1-a"
}

published() {
    check "registry on $REGISTRY" start_registry
    check "push javanet:1" push 1
    check "push javanet:2" push 2
    check "the registry lists both tags" bash -c "curl -sf http://$REGISTRY/v2/javanet/tags/list | grep -q '\"1\"' \
        && curl -sf http://$REGISTRY/v2/javanet/tags/list | grep -q '\"2\"'"
}

# download_mb TAG: what `docker plugin install` fetches of TAG, the sizes its manifest gives (compressed layers).
download_mb() {
    curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY/v2/javanet/manifests/$1" \
        | python3 -c 'import json, sys; m = json.load(sys.stdin); print(round(sum(l["size"] for l in m["layers"]) / 1e6))'
}

install_and_upgrade() {
    check "install from the registry, without the engine's socket" docker plugin install --grant-all-permissions "$REPO:1" \
        engine.source=/dev/null
    defer docker plugin rm -f "$REPO:1"
    check "enabled" test "$(docker plugin inspect -f '{{.Enabled}}' "$REPO:1")" = true
    local rootfs; rootfs=$(docker info -f '{{.DockerRootDir}}')/plugins/$(docker plugin inspect -f '{{.Id}}' "$REPO:1")/rootfs
    check "its rootfs holds the runtime" test -x "$rootfs/opt/jre/bin/java"
    check "and no shell or package manager" lacks '/(sh|bash|dash|busybox|apt|apt-get|dpkg)$' find "$rootfs" -xdev
    log "    installed: $(du -sm "$rootfs" | cut -f1) MB on disk; downloaded: $(download_mb 1) MB"
    check "network" docker network create -d "$REPO:1" --ipam-driver "$REPO:1" --subnet 10.191.0.0/24 it-reg1
    defer docker network rm it-reg1
    check "containers reach each other" two_containers it-r1 it-reg1
    local rows_before; rows_before=$(sqlite3 "$(state_db "$REPO:1")" 'select count(*) from endpoints')
    check "disable for the upgrade (containers keep running)" docker plugin disable -f "$REPO:1"
    check "release 1 installed" test "$(release "$REPO:1")" = 1
    # Another tag is another image: the CLI would ask whether that is meant; a script says so up front.
    check "upgrade to javanet:2" docker plugin upgrade --skip-remote-check --grant-all-permissions "$REPO:1" "$REPO:2"
    check "enable" docker plugin enable "$REPO:1"
    check "now javanet:2" test "$(docker plugin inspect -f '{{.PluginReference}}' "$REPO:1")" = "$REPO:2"
    check "running release 2" test "$(release "$REPO:1")" = 2
    check "still without the engine's socket" test "$(docker plugin inspect -f \
        '{{range .Settings.Mounts}}{{if eq .Name "engine"}}{{.Source}}{{end}}{{end}}' "$REPO:1")" = /dev/null
    check "our state kept" test "$(sqlite3 "$(state_db "$REPO:1")" 'select count(*) from endpoints')" = "$rows_before"
    check "the network is still there" docker network inspect it-reg1
    check "the containers still reach each other" reaches it-r1-b it-r1-a
    check "a new container reaches an old one" bash -c "docker run --rm --net it-reg1 $IMAGE ping -c1 -W2 it-r1-a >/dev/null"
    docker rm -f it-r1-a it-r1-b >/dev/null
    check "network removed" docker network rm it-reg1
    check "disable" docker plugin disable "$REPO:1"
    check "remove" docker plugin rm "$REPO:1"
}

install_with_alias() {
    check "install --alias javanet-alias" docker plugin install --alias javanet-alias:latest --grant-all-permissions "$REPO:2"
    defer docker plugin rm -f javanet-alias:latest
    check "network through the alias" docker network create -d javanet-alias:latest --ipam-driver javanet-alias:latest \
        --subnet 10.192.0.0/24 it-reg2
    defer docker network rm it-reg2
    check "containers reach each other" two_containers it-r2 it-reg2
    docker rm -f it-r2-a it-r2-b >/dev/null
    check "network removed" docker network rm it-reg2
    check "disable" docker plugin disable javanet-alias:latest
    check "remove" docker plugin rm javanet-alias:latest
}

remember_host
run_test published
run_test install_and_upgrade
run_test install_with_alias
