#!/usr/bin/env bash
# Builds javanet as a Docker managed plugin and installs and enables it in the local Docker engine as
# javanet:latest (networks: docker network create -d javanet:latest ...). Run as root. Where no Docker engine
# answers, it installs Debian's docker.io if dockerd is missing and starts it (through systemd where systemd
# runs, else in the background, logging to /var/log/dockerd.log). No registry is needed: the base image is made
# with debootstrap from this machine's own Debian mirror (DEBIAN_MIRROR overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "install: run as root" >&2; exit 1; }

if ! docker version >/dev/null 2>&1; then
    if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
        echo "install: no Docker engine here; installing Debian's docker.io"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    if [ -d /run/systemd/system ] && systemctl start docker 2>/dev/null; then
        echo "install: started docker.service"
    else
        echo "install: starting dockerd (log: /var/log/dockerd.log)"
        setsid nohup dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
    fi
    for _ in $(seq 1 120); do
        docker version >/dev/null 2>&1 && break
        sleep 0.5
    done
    docker version >/dev/null 2>&1 || { echo "install: dockerd did not answer; see /var/log/dockerd.log" >&2; exit 1; }
fi

plugin-config/build.sh javanet:latest
# A local install asks the engine nothing: it goes without the engine's socket (see config.json's engine mount).
docker plugin set javanet:latest engine.source=/dev/null
docker plugin enable javanet:latest >/dev/null
# docker javanet, where Docker's CLI looks for plugins of every user (it needs root, as javanet's sockets are).
install -D -m 0755 plugin-config/docker-javanet /usr/local/lib/docker/cli-plugins/docker-javanet
echo "install: javanet:latest is enabled on Docker $(docker version --format '{{.Server.Version}}');" \
    "try: docker network create -d javanet:latest --ipam-driver javanet:latest net1; sudo docker javanet ports"
