#!/usr/bin/env bash
# Helpers for the integration suite: run the plugin from the built jar as a socket-file plugin, count checks,
# and clean up after every test whatever happens.

PLUGIN=${PLUGIN:-javanet-it}
SOCKET=/run/docker/plugins/$PLUGIN.sock
JAR=${JAR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/javanet.jar}
# Under WORK_IN (default /tmp): a suite in test-integration/guest.sh keeps its state on the guest's tmpfs /run.
WORK=$(mktemp -d "${WORK_IN:-/tmp}/javanet-it.XXXXXX")
STATE=$WORK/state
PLUGIN_LOG=$WORK/plugin.log
PLUGIN_PID=
PASSED=0
FAILED=0
FAILURES=()
CLEANUP=()

log() { printf '%s\n' "$*" >&2; }

# The engine the suite runs against, named in its summary line: 20.10.24+dfsg1 gives 20.10.24.
engine_version() { docker version --format '{{.Server.Version}}' 2>/dev/null | sed 's/[+~-].*//' || echo none; }

start_plugin() {
    mkdir -p /run/docker/plugins
    JAVANET_LOG_LEVEL=${JAVANET_LOG_LEVEL:-info} java -jar "$JAR" serve --socket "$SOCKET" --state-dir "$STATE" --metrics-socket "$WORK/metrics.sock" \
        >>"$PLUGIN_LOG" 2>&1 &
    PLUGIN_PID=$!
    # Up to PLUGIN_START_SECONDS (10): an interpreted JVM in the guest starts far slower.
    for _ in $(seq 1 $((${PLUGIN_START_SECONDS:-10} * 10))); do
        [ -S "$SOCKET" ] && curl -sf --unix-socket "$SOCKET" -XPOST http://p/Plugin.Activate >/dev/null && return 0
        kill -0 "$PLUGIN_PID" 2>/dev/null || break
        sleep 0.1
    done
    log "plugin did not start; its log:"; tail -20 "$PLUGIN_LOG" >&2
    return 1
}

# stop_plugin [SIGNAL]: TERM for a clean stop, KILL for a crash.
stop_plugin() {
    [ -n "$PLUGIN_PID" ] || return 0
    kill "-${1:-TERM}" "$PLUGIN_PID" 2>/dev/null || true
    wait "$PLUGIN_PID" 2>/dev/null || true
    PLUGIN_PID=
}

IMAGE=${TEST_IMAGE:-javanet-test/busybox:2}

# net NAME ARGS...: creates a network of ours and defers its removal.
net() {
    local name=$1; shift
    docker network create -d "$PLUGIN" "$@" "$name" >/dev/null || return 1
    defer docker network rm "$name"
}

# ctr NAME ARGS...: runs a container (sleeping) and defers its removal.
ctr() {
    local name=$1; shift
    docker run -d --name "$name" "$@" "$IMAGE" sleep 600 >/dev/null || return 1
    defer docker rm -f "$name"
}

ip_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").IPAddress}}" "$1"; }
ip6_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").GlobalIPv6Address}}" "$1"; }
endpoint_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$2\").EndpointID}}" "$1"; }
reaches() { docker exec "$1" ping -c1 -W2 "$2" >/dev/null; }

# links_of NETWORK: the host links our driver made for the network and its endpoints right now.
links_of() {
    local id; id=$(docker network inspect -f '{{.Id}}' "$1")
    echo "jn-${id:0:12}"
    for ep in $(docker network inspect -f '{{range .Containers}}{{.EndpointID}} {{end}}' "$1"); do
        echo "jnv${ep:0:12}"
    done
}

# gone LINK...: none of these links exists and no DOCKER-USER rule names them.
gone() {
    local link
    for link in "$@"; do
        if ip link show "$link" >/dev/null 2>&1; then echo "link $link is still there"; return 1; fi
        if iptables -S DOCKER-USER 2>/dev/null | grep -qw -- "$link"; then echo "a DOCKER-USER rule names $link"; return 1; fi
    done
}

# The host's own address: the source of its default route (a local lookup, nothing is sent).
host_ip() { ip -4 route get 192.0.2.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p'; }

web() { # web NAME NET ARGS...: busybox httpd on port 80 (and 81), published as the ARGS say
    local name=$1 network=$2; shift 2
    docker run -d --name "$name" --net "$network" "$@" "$IMAGE" \
        sh -c 'httpd -p 81 -h /var/www; exec httpd -f -p 80 -h /var/www' >/dev/null || return 1
    defer docker rm -f "$name"
}

http_get() { printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 3 "$1" "$2" 2>/dev/null | grep -q 'javanet test page'; }
http_get_from() { docker exec "$1" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $2 $3" 2>/dev/null | grep -q 'javanet test page'; }

# restart_dockerd [ARG...]: stops dockerd and starts it again with the arguments (less --live-restore) and the
# environment it had (the engine's PATH, its firewall backend), plus ARGs; waits for its API.
restart_dockerd() {
    local pid args=() envs=()
    pid=$(pgrep -xo dockerd) || return 1
    while IFS= read -r -d '' a; do
        [ "$a" = --live-restore ] || args+=("$a")
    done </proc/"$pid"/cmdline
    while IFS= read -r -d '' a; do envs+=("$a"); done </proc/"$pid"/environ
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    env -i "${envs[@]}" setsid nohup "${args[@]}" "$@" >>/var/log/javanet-it-dockerd.log 2>&1 </dev/null &
    for _ in $(seq 1 120); do docker version >/dev/null 2>&1 && return 0; sleep 0.5; done
    return 1
}

# defer CMD...: run CMD when the current test ends, newest first, even if the test failed.
defer() { CLEANUP+=("$*"); }

run_cleanup() {
    local i
    for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUP[$i]}" >/dev/null 2>&1 || true
    done
    CLEANUP=()
}

# eventually CMD...: CMD succeeds within 2 s. An endpoint's link is deleted just after DeleteEndpoint answers,
# so a link or its routes may outlive `docker rm` by some milliseconds.
eventually() {
    local _
    for _ in $(seq 1 20); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    "$@"
}

# check DESCRIPTION CMD...: one assertion; the test goes on either way.
check() {
    local what=$1; shift
    if "$@" >"$WORK/out" 2>&1; then
        return 0
    fi
    log "    FAIL: $what"; sed 's/^/      /' "$WORK/out" | tail -8 >&2
    CURRENT_OK=false
}

# expect_fail_with TEXT CMD...: CMD must fail and say TEXT.
# Its own output file: check() sends what this prints to $WORK/out.
expect_fail_with() {
    local text=$1; shift
    if "$@" >"$WORK/failed" 2>&1; then
        echo "succeeded, expected a failure saying: $text"; return 1
    fi
    grep -qF -- "$text" "$WORK/failed" || { echo "failed without saying: $text"; cat "$WORK/failed"; return 1; }
}

# run_test NAME: runs the function NAME as one test, then its deferred clean-up.
run_test() {
    local name=$1
    CURRENT_OK=true
    log "--- $name"
    "$name" || CURRENT_OK=false
    run_cleanup
    if $CURRENT_OK; then
        PASSED=$((PASSED + 1)); log "    ok"
    else
        FAILED=$((FAILED + 1)); FAILURES+=("$name")
    fi
}

our_networks() { docker network ls --filter "driver=$PLUGIN" -q; }

# What of ours the host holds: links named jn*, their addresses and routes, and DOCKER-USER rules (IPv4 and IPv6)
# naming them.
host_snapshot() {
    ip -br link show | awk '$1 ~ /^jn/ {print "link " $1}'
    ip -br addr show | awk '$1 ~ /^jn/ {print "addr " $0}'
    { ip -4 route show; ip -6 route show; } | grep -E ' dev jn' | sed 's/^/route /'
    iptables -S DOCKER-USER 2>/dev/null | grep -E -- "-i jn|-o jn|--comment $PLUGIN " | sed 's/^/rule /'
    ip6tables -S DOCKER-USER 2>/dev/null | grep -E -- "--comment $PLUGIN " | sed 's/^/rule6 /'
    nft list tables 2>/dev/null | grep -x "table inet $PLUGIN" | sed 's/^/nft /'
}

remember_host() { host_snapshot | sort >"$WORK/host.before"; }

# Counted as one more check: whatever of ours the suite added to the host must be gone at the end.
check_host_is_clean() {
    host_snapshot | sort >"$WORK/host.after"
    local left; left=$(comm -13 "$WORK/host.before" "$WORK/host.after")
    if [ -n "$left" ]; then
        log "--- leftovers on the host after the suite:"; log "$left"
        FAILED=$((FAILED + 1)); FAILURES+=(leftovers)
    else
        PASSED=$((PASSED + 1)); log "--- nothing of ours left on the host: ok"
    fi
}

finish() {
    run_cleanup
    our_networks | xargs -r docker network rm >/dev/null 2>&1 || true
    [ -f "$WORK/host.before" ] && check_host_is_clean
    stop_plugin TERM
    if [ "$FAILED" -gt 0 ]; then
        log "failed: ${FAILURES[*]}"; log "plugin log: $PLUGIN_LOG; its last lines (a CI run keeps no files):"
        tail -n 60 "$PLUGIN_LOG" | cut -c1-300 >&2
    else
        rm -rf "$WORK"
    fi
    echo "${SUITE:-integration}@docker-$(engine_version): $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}
