#!/usr/bin/env bash
# Runs the chosen Docker engine as this machine's only dockerd, on /var/run/docker.sock, so that every suite runs
# unchanged against it. Usage: test-integration/engine.sh 20.10|28 [nftables]   (as root)
#   20.10     Debian bookworm's docker.io (installed by setup.sh)
#   28        Debian sid's docker.io 28.5, containerd and docker-compose, unpacked under /opt/docker-next without
#             installing them (bookworm's runc: sid's needs a newer glibc), with a data root of its own
#   nftables  28 only: Docker's nftables firewall backend, which has no DOCKER-USER chain; where dockerd has
#             --bridge-accept-fwmark (29+) it is given javanet's mark, as the README tells users to
# Prints the engine's version. The images each engine needs are made by setup.sh, once per data root.
set -euo pipefail
engine=${1:?usage: engine.sh 20.10|28 [nftables]}
backend=${2:-iptables}
NEXT=/opt/docker-next
# javanet's forward chain marks what it allows with this bit (NftScript.MARK).
JAVANET_MARK=0x200000/0x200000
# shellcheck source=eventually.sh
. "$(dirname "$0")/eventually.sh"

stop_dockerd() {
    local pid
    for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || continue
        eventually 30 exited "$pid" >/dev/null || kill -9 "$pid" 2>/dev/null || true
    done
    # A standalone containerd (sid's dockerd may start its own) and the shims of containers left running.
    pkill -x dockerd 2>/dev/null || true
    pkill -f "containerd --config /var/run/docker/containerd" 2>/dev/null || true
    eventually 10 bash -c '! pgrep -x dockerd' >/dev/null || true
    rm -f /var/run/docker.pid /var/run/docker.sock
}

fetch_next() {
    [ -x "$NEXT/bin/dockerd" ] && return 0
    echo "engine: fetching Docker 28 from Debian sid into $NEXT" >&2
    command -v runc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runc >/dev/null; }
    local mirror; mirror=$("$(dirname "$0")/../plugin-config/debian-mirror.sh") || return 1
    rm -rf "$NEXT" && mkdir -p "$NEXT/lists/partial" "$NEXT/debs" "$NEXT/root" "$NEXT/bin"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" >"$NEXT/sid.list"
    local apt=(-o Dir::Etc::sourcelist="$NEXT/sid.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$NEXT/lists")
    apt-get "${apt[@]}" -qq update
    chown _apt "$NEXT/debs" 2>/dev/null || true
    (cd "$NEXT/debs" && apt-get "${apt[@]}" -qq download docker.io containerd tini docker-compose)
    for deb in "$NEXT"/debs/*.deb; do dpkg -x "$deb" "$NEXT/root"; done
    local r=$NEXT/root/usr
    ln -sf "$r/sbin/dockerd" "$NEXT/bin/dockerd"
    ln -sf "$r/sbin/docker-proxy" "$NEXT/bin/docker-proxy" 2>/dev/null || ln -sf "$r/bin/docker-proxy" "$NEXT/bin/docker-proxy"
    [ -e "$r/sbin/docker-proxy" ] || ln -sf "$r/libexec/docker/docker-proxy" "$NEXT/bin/docker-proxy"
    ln -sf "$r/bin/containerd" "$NEXT/bin/containerd"
    ln -sf "$r/bin/containerd-shim-runc-v2" "$NEXT/bin/containerd-shim-runc-v2"
    ln -sf "$r/bin/tini-static" "$NEXT/bin/docker-init"
    ln -sf "$(command -v runc)" "$NEXT/bin/runc"
    ln -sf "$r/bin/docker" "$NEXT/bin/docker"
    [ -x "$NEXT/bin/dockerd" ] || { echo "engine: no dockerd in the sid packages" >&2; return 1; }
}

# Compose v2 as the docker CLI's plugin (sid's docker-compose package); only the 28 engine is tested with it.
install_compose() {
    local src=$NEXT/root/usr/libexec/docker/cli-plugins/docker-compose
    [ -x "$src" ] || return 0
    mkdir -p /usr/local/lib/docker/cli-plugins
    ln -sf "$src" /usr/local/lib/docker/cli-plugins/docker-compose
}

start_dockerd() {
    local log=/var/log/javanet-it-dockerd.log
    echo "=== $(date -Is) engine $engine ($backend)" >>"$log"
    # dockerd is started without the descriptors above 2 of whoever ran this (a lock held around a suite would
    # otherwise be held by dockerd and its containerd for as long as they run).
    case $engine in
        20.10)
            command -v dockerd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null; }
            PATH=/usr/sbin:/usr/bin:/sbin:/bin setsid nohup /usr/sbin/dockerd --host=unix:///var/run/docker.sock \
                >>"$log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
            ;;
        28)
            fetch_next
            install_compose
            local args=(--host=unix:///var/run/docker.sock --data-root /var/lib/docker-next)
            if [ "$backend" = nftables ]; then
                # 28.5 hides the backend behind an environment variable; 29 has --firewall-backend=nftables.
                export DOCKER_FIREWALL_BACKEND=nftables
                if "$NEXT/bin/dockerd" --help 2>/dev/null | grep -q -- --bridge-accept-fwmark; then
                    args+=(--bridge-accept-fwmark "$JAVANET_MARK")
                fi
                # As on a host booted into the nftables backend: no DROP policy left by an earlier iptables run.
                iptables -P FORWARD ACCEPT 2>/dev/null || true
                ip6tables -P FORWARD ACCEPT 2>/dev/null || true
            fi
            PATH=$NEXT/bin:$PATH setsid nohup "$NEXT/bin/dockerd" "${args[@]}" >>"$log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
            ;;
        *) echo "engine: unknown engine $engine (20.10 or 28)" >&2; return 1 ;;
    esac
    eventually 60 docker version >/dev/null 2>&1 || true
    docker version --format 'engine: Docker {{.Server.Version}}' || { tail -20 "$log" >&2; return 1; }
}

running=$(docker version --format '{{.Server.Version}}' 2>/dev/null || true)
fw=$(docker info --format '{{json .FirewallBackend}}' 2>/dev/null | grep -o nftables || true)
case $engine in 20.10) want=20.10.* ;; *) want=$engine.* ;; esac
# shellcheck disable=SC2053
if [[ -n $running && $running == $want && ( $engine == 20.10 || ${fw:-iptables} == "$backend" ) ]]; then
    echo "engine: Docker $running ($backend) already running"
    exit 0
fi
stop_dockerd
start_dockerd
