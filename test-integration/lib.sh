#!/usr/bin/env bash
# Helpers for the integration suite: run the plugin from the built jar as a socket-file plugin, count checks,
# and clean up after every test whatever happens.

PLUGIN=${PLUGIN:-javanet-it}
SOCKET=/run/docker/plugins/$PLUGIN.sock
JAR=${JAR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/javanet.jar}
WORK=$(mktemp -d /tmp/javanet-it.XXXXXX)
STATE=$WORK/state
PLUGIN_LOG=$WORK/plugin.log
PLUGIN_PID=
PASSED=0
FAILED=0
FAILURES=()
CLEANUP=()

log() { printf '%s\n' "$*" >&2; }

start_plugin() {
    mkdir -p /run/docker/plugins
    JAVANET_LOG_LEVEL=${JAVANET_LOG_LEVEL:-info} java -jar "$JAR" serve --socket "$SOCKET" --state-dir "$STATE" --metrics-socket "$WORK/metrics.sock" \
        >>"$PLUGIN_LOG" 2>&1 &
    PLUGIN_PID=$!
    for _ in $(seq 1 100); do
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
expect_fail_with() {
    local text=$1; shift
    if "$@" >"$WORK/out" 2>&1; then
        echo "succeeded, expected a failure saying: $text"; return 1
    fi
    grep -qF -- "$text" "$WORK/out" || { echo "failed without saying: $text"; cat "$WORK/out"; return 1; }
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

# What of ours the host holds: links named jn*, their addresses and routes, and DOCKER-USER rules naming them.
host_snapshot() {
    ip -br link show | awk '$1 ~ /^jn/ {print "link " $1}'
    ip -br addr show | awk '$1 ~ /^jn/ {print "addr " $0}'
    { ip -4 route show; ip -6 route show; } | grep -E ' dev jn' | sed 's/^/route /'
    iptables -S DOCKER-USER 2>/dev/null | grep -E -- "-i jn|-o jn|--comment $PLUGIN " | sed 's/^/rule /'
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
        log "failed: ${FAILURES[*]}"; log "plugin log: $PLUGIN_LOG"
    else
        rm -rf "$WORK"
    fi
    echo "${SUITE:-integration}: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}
