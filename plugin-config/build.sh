#!/usr/bin/env bash
# Assembles the managed plugin directory (rootfs exported from the image built by the Dockerfile, plus
# config.json) and creates the plugin in the local Docker engine.
# Usage: plugin-config/build.sh [NAME:TAG]   (default javanet:latest)
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-javanet:latest}
base=${BASE:-local/debian:bookworm}

if ! docker image inspect "$base" >/dev/null 2>&1; then
    # No registry is needed: a minimal Debian made here.
    command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
    dir=$(mktemp -d /var/tmp/javanet-base.XXXXXX)
    debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian >/dev/null
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -c . | docker import - "$base" >/dev/null
    rm -rf "$dir"
fi

mkdir -p build/extra-ca
cp /usr/local/share/ca-certificates/*.crt build/extra-ca/ 2>/dev/null || true
DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$base" -t javanet-plugin-rootfs . >/dev/null 2>&1 \
    || DOCKER_BUILDKIT=0 docker build --build-arg BASE="$base" -t javanet-plugin-rootfs .
out=build/plugin
rm -rf "$out" && mkdir -p "$out/rootfs"
container=$(docker create javanet-plugin-rootfs)
docker export "$container" | tar -x -C "$out/rootfs"
docker rm "$container" >/dev/null
cp config.json "$out/config.json"
echo "rootfs: $(du -sh "$out/rootfs" | cut -f1)"

docker plugin inspect "$name" >/dev/null 2>&1 && { docker plugin disable -f "$name" >/dev/null 2>&1 || true; docker plugin rm -f "$name" >/dev/null; }
mkdir -p /var/lib/javanet
docker plugin create "$name" "$out" >/dev/null
echo "created $name"
