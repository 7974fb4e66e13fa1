#!/usr/bin/env bash
# Builds javanet as a Docker managed plugin and installs and enables it in the local Docker engine as
# javanet:latest (networks: docker network create -d javanet:latest ...). Needs root and a running Docker
# engine; no registry: the base image is made with debootstrap when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "install: run as root" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "install: no Docker engine answers on this machine" >&2; exit 1; }
plugin-config/build.sh javanet:latest
docker plugin enable javanet:latest >/dev/null
echo "install: javanet:latest is enabled; try: docker network create -d javanet:latest --ipam-driver javanet:latest net1"
