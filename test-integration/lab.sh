#!/usr/bin/env bash
# A multi-host lab on this one machine: N Docker 28 nodes, each a network namespace with a mount namespace of its
# own and its own dockerd, on one bridge in the root namespace, joined in a swarm (node 1 the manager).
# Usage (as root):
#   test-integration/lab.sh up [N]        N nodes (default 2), swarm formed, the test image loaded on each
#   test-integration/lab.sh nodes [N]     the same without the swarm (to install plugins before it forms)
#   test-integration/lab.sh swarm         the nodes made by `nodes` joined in a swarm, node 1 the manager
#   test-integration/lab.sh restart N     node N's dockerd stopped and started again (JNLAB_PRIVATE=1: with its
#                                         mounts private, no propagation)
#   test-integration/lab.sh plugin N DIR [SETTING...]
#                                         javanet-overlay:latest made on node N from the plugin directory DIR,
#                                         global-scope, with the SETTINGs (NAME=VALUE), and enabled
#   test-integration/lab.sh down          everything of the lab gone
#   test-integration/lab.sh docker N ARGS the docker CLI against node N
# Nodes are 192.168.77.1N on bridge jnlabbr0 (192.168.77.1); node N's socket is /tmp/jnlab/nN/docker.sock.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=eventually.sh
. "$here/eventually.sh"
LAB=/tmp/jnlab
BRIDGE=jnlabbr0
NET=192.168.77
NEXT=/opt/docker-next
IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}

node_docker() { local n=$1; shift; docker -H "unix://$LAB/n$n/docker.sock" "$@"; }

node_up() {
    local n=$1 dir=$LAB/n$1 ns=jnlab$1
    mkdir -p "$dir/state" "$dir/save"
    echo '{}' >"$dir/daemon.json"
    ip netns add "$ns"
    ip link add "jnlabv$n" type veth peer name jnlabp$n
    ip link set "jnlabp$n" netns "$ns"
    ip link set "jnlabv$n" master "$BRIDGE" up
    ip -n "$ns" link set "jnlabp$n" name eth0
    ip -n "$ns" addr add "$NET.1$n/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "$NET.1"
    node_start "$n"
}

# node_start N: node N's dockerd, in the node's network namespace; waits for its API.
node_start() {
    local n=$1 dir=$LAB/n$1 ns=jnlab$1
    # A sysfs of the namespace's own (with the cgroups put back on it), a private /run, and a state directory of
    # its own for a managed plugin's host-path mount; `ip netns exec` would hide the cgroups from dockerd. The
    # engine also listens on /run/docker.sock, which in the node's private /run is its own: a plugin mounting
    # /var/run/docker.sock reaches its node's engine, as on a real host. The node's mounts are then shared among
    # themselves, as systemd makes a host's, so that a plugin's rslave mount of /var/run/docker sees the network
    # namespaces the engine makes after the plugin started. JNLAB_PRIVATE=1 leaves them private, as on a host
    # without systemd or in Docker in Docker.
    local share="mount --make-rshared /"
    [ "${JNLAB_PRIVATE:-}" = 1 ] && share=": mounts left private"
    setsid nsenter --net="/run/netns/$ns" unshare --mount --uts --propagation private sh -c "
        hostname node$n
        mount --rbind /sys/fs/cgroup $dir/save && mount -t sysfs sysfs /sys && mount --rbind $dir/save /sys/fs/cgroup
        mount -t tmpfs tmpfs /run
        mkdir -p /run/containerd /run/docker /var/lib/javanet
        mount --bind $dir/state /var/lib/javanet
        $share
        export PATH=$NEXT/bin:\$PATH
        exec dockerd --data-root /var/lib/docker-jnlab$n --exec-root /run/docker/exec --pidfile $dir/docker.pid \
            -H unix://$dir/docker.sock -H unix:///run/docker.sock --config-file $dir/daemon.json
    " >>"$dir/dockerd.log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    eventually 60 node_docker "$n" version >/dev/null 2>&1 && return 0
    echo "lab: node $n did not start; its log:" >&2
    tail -20 "$dir/dockerd.log" >&2
    return 1
}

# Frames between two nodes cross jnlabbr0. Where br_netfilter is loaded (dockerd loads it) and the host's FORWARD
# policy is Docker's DROP, iptables sees them as forwarded and drops them: the swarm join then times out waiting
# for the manager's port 2377. The lab's own bridge is let through, ahead of Docker's chains.
LAB_RULE=(FORWARD -i "$BRIDGE" -o "$BRIDGE" -m comment --comment jnlab -j ACCEPT)
allow_bridged() { iptables -C "${LAB_RULE[@]}" 2>/dev/null || iptables -I "${LAB_RULE[@]}"; }

nodes() {
    local count=${1:-2} n
    "$here/engine.sh" 28 >/dev/null
    docker image inspect "$IMAGE" >/dev/null 2>&1 || "$here/setup.sh" >/dev/null
    mkdir -p "$LAB"
    ip link add "$BRIDGE" type bridge
    ip addr add "$NET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    allow_bridged
    for n in $(seq 1 "$count"); do
        node_up "$n"
        docker save "$IMAGE" | node_docker "$n" load -q >/dev/null
    done
}

swarm() {
    local dir n token
    node_docker 1 swarm init --advertise-addr "$NET.11" >/dev/null
    token=$(node_docker 1 swarm join-token -q worker)
    for dir in "$LAB"/n*; do
        n=${dir##*/n}
        [ "$n" = 1 ] && continue
        join_swarm "$n" "$token"
    done
    echo "lab: $(ls -d "$LAB"/n* | wc -l) nodes in a swarm; node 1 at unix://$LAB/n1/docker.sock"
}

swarm_state_is() { [ "$(node_docker "$1" info -f '{{.Swarm.LocalNodeState}}')" = "$2" ]; }

# join_swarm N TOKEN: node N joins the swarm. The CLI stops waiting after 20 s and lets the join go on in the
# background, which a busy machine needs: the node is then waited for, a minute more, until it is active.
join_swarm() {
    local n=$1 token=$2 out
    if ! out=$(node_docker "$n" swarm join --token "$token" --advertise-addr "$NET.1$n" "$NET.11:2377" 2>&1); then
        case $out in
            *"Timeout was reached before node joined"*) echo "lab: node $n still joining after 20 s" >&2 ;;
            *) echo "$out" >&2; return 1 ;;
        esac
    fi
    eventually 60 swarm_state_is "$n" active && return 0
    echo "lab: node $n has not joined the swarm" >&2
    return 1
}

down() {
    local dir n pid
    for dir in "$LAB"/n*; do
        [ -d "$dir" ] || continue
        n=${dir##*/n}
        pid=$(cat "$dir/docker.pid" 2>/dev/null || true)
        if [ -n "$pid" ]; then
            kill "$pid" 2>/dev/null || true
            eventually 20 exited "$pid" >/dev/null || true
        fi
        ip netns pids "jnlab$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "jnlab$n" 2>/dev/null || true
        ip link del "jnlabv$n" 2>/dev/null || true
        rm -rf "/var/lib/docker-jnlab$n"
    done
    ip link del "$BRIDGE" 2>/dev/null || true
    while iptables -D "${LAB_RULE[@]}" 2>/dev/null; do :; done
    rm -rf "$LAB"
}

# plugin N DIR [SETTING...]: javanet's global-scope install on node N, as a user installs it on a swarm node.
plugin() {
    local n=$1 dir=$2; shift 2
    node_docker "$n" plugin create javanet-overlay:latest "$dir" >/dev/null
    node_docker "$n" plugin set javanet-overlay:latest JAVANET_SCOPE=global "$@"
    node_docker "$n" plugin enable javanet-overlay:latest >/dev/null
}

# restart N: node N's dockerd stopped (SIGTERM, as systemctl restart does) and started again.
restart() {
    local n=$1 pid
    pid=$(cat "$LAB/n$n/docker.pid")
    kill "$pid"
    eventually 30 exited "$pid" >/dev/null || true
    node_start "$n"
}

case ${1:-} in
    up) shift; nodes "$@"; swarm ;;
    nodes) shift; nodes "$@" ;;
    swarm) swarm ;;
    down) down ;;
    restart) restart "$2" ;;
    plugin) shift; plugin "$@" ;;
    docker) shift; n=$1; shift; node_docker "$n" "$@" ;;
    *) echo "usage: lab.sh up [N] | nodes [N] | swarm | restart N | plugin N DIR [SETTING...] | down | docker N ARGS..." >&2
       exit 2 ;;
esac
