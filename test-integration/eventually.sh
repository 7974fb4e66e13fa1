#!/usr/bin/env bash
# The one way the test scripts wait: for a condition, up to a deadline. Sourced by lib.sh and by the scripts
# that set up engines and labs.

# eventually [SECONDS] CMD...: CMD succeeds within SECONDS (default 5), tried every tenth of a second; past the
# deadline CMD runs once more, its output shown, and its status is the answer.
eventually() {
    local seconds=5
    [[ ${1:-} =~ ^[0-9]+$ ]] && { seconds=$1; shift; }
    local deadline=$((SECONDS + seconds))
    while [ "$SECONDS" -lt "$deadline" ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    "$@"
}

# exited PID: the process is gone (what a wait for a stopped daemon waits on).
exited() { ! kill -0 "$1" 2>/dev/null; }
