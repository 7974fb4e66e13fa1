#!/usr/bin/env bash
# Assembles the managed plugin directory (rootfs exported from the image built by the Dockerfile, with the
# ahead-of-time cache of a training run added, plus config.json) and creates the plugin in the local engine.
# Usage: plugin-config/build.sh [NAME:TAG]   (default javanet:latest; as root)
#   BASE           a local Debian trixie image to build on (default local/debian:trixie, made here)
#   DEBIAN_MIRROR  the mirror debootstrap uses (default: the one in this machine's apt sources)
# No registry is needed. The debootstrapped base is kept in /var/cache/javanet and imported into whichever
# engine lacks it; build/plugin is rebuilt only when the sources changed, so a second engine or a second
# name costs a `docker plugin create` only.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-javanet:latest}
base=${BASE:-local/debian:trixie}
cache=/var/cache/javanet
out=build/plugin

if ! docker image inspect "$base" >/dev/null 2>&1; then
    if [ ! -s "$cache/debian-trixie.tar" ]; then
        command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
        mirror=$(plugin-config/debian-mirror.sh)
        dir=$(mktemp -d /var/tmp/javanet-base.XXXXXX)
        debootstrap --variant=minbase trixie "$dir" "$mirror" >/dev/null
        rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
        mkdir -p "$cache"
        tar -C "$dir" -c . >"$cache/debian-trixie.tar.part" && mv "$cache/debian-trixie.tar.part" "$cache/debian-trixie.tar"
        rm -rf "$dir"
    fi
    docker import "$cache/debian-trixie.tar" "$base" >/dev/null
fi

sources=$( (cat Dockerfile pom.xml config.json plugin-config/*.sh plugin-config/train.py scripts/plugin-jvm-flags.sh; find src -type f | sort | xargs cat) \
    | sha256sum | cut -d' ' -f1)
if [ "$(cat build/plugin.sources 2>/dev/null)" != "$sources" ] || [ ! -d "$out/rootfs" ]; then
    mkdir -p build/extra-ca
    cp /usr/local/share/ca-certificates/*.crt build/extra-ca/ 2>/dev/null || true
    DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$base" -t javanet-plugin-rootfs . >/dev/null 2>&1 \
        || DOCKER_BUILDKIT=0 docker build --build-arg BASE="$base" -t javanet-plugin-rootfs .
    rm -rf "$out" build/plugin.sources && mkdir -p "$out/rootfs"
    container=$(docker create javanet-plugin-rootfs)
    docker export "$container" | tar -x -C "$out/rootfs"
    docker rm "$container" >/dev/null
    plugin-config/aot-cache.sh image javanet-plugin-rootfs "$out/rootfs/opt/javanet/javanet.aot"
    echo "$sources" >build/plugin.sources
    echo "rootfs: $(du -sh "$out/rootfs" | cut -f1)"
fi
cp config.json "$out/config.json"
# Docker 20.10 refuses a second plugin whose rootfs is byte for byte another's ("content … already exists"):
# each name's rootfs says which it is.
echo "$name" >"$out/rootfs/etc/javanet-plugin"

docker plugin inspect "$name" >/dev/null 2>&1 && { docker plugin disable -f "$name" >/dev/null 2>&1 || true; docker plugin rm -f "$name" >/dev/null; }
mkdir -p /var/lib/javanet
docker plugin create "$name" "$out" >/dev/null
echo "created $name"
