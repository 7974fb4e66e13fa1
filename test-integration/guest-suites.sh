#!/usr/bin/env bash
# Runs several suites one after the other in one guest boot (each boot under TCG costs minutes): each prints its
# summary line, or a line saying it printed none is printed for it. Exits non-zero if any suite failed.
# Usage: test-integration/guest.sh test-integration/guest-suites.sh SUITE...
set -uo pipefail
status=0
for suite in "$@"; do
    out=$(mktemp)
    "$suite" 2>&1 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    if ! grep -qE '^[^ ]+: [0-9]+ passed, [0-9]+ failed' "$out"; then
        echo "$(basename "$suite" .sh)@linux-$(uname -r): printed no summary: 0 passed, 1 failed"
        status=1
    fi
    rm -f "$out"
done
exit $status
