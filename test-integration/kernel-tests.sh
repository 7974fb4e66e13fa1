#!/usr/bin/env bash
# The kernel tests (JUnit's *KernelTest: our netlink, nftables and modes against the running kernel, in throwaway
# namespaces), run by Maven offline on whatever kernel this is; scripts/test.sh runs them in
# test-integration/guest.sh, on Debian's kernel, which has the link kinds this host's lacks.
# Usage: test-integration/kernel-tests.sh (as root, after `mvn package`)
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
mvn -o -B -Dtest='*KernelTest' -Dsurefire.failIfNoSpecifiedTests=false test 2>&1 | tee "$out" \
    | grep -E 'Tests run:|FAIL|ERROR\]   ' >&2
status=${PIPESTATUS[0]}
# Surefire's last "Tests run: N, Failures: F, Errors: E, Skipped: S" is the total.
read -r run failures errors skipped < <(grep -E '^\[[A-Z]+\] Tests run: [0-9]+, Failures' "$out" | tail -1 \
    | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+).*/\1 \2 \3 \4/')
rm -f "$out"
failed=$(( ${failures:-0} + ${errors:-0} + ${skipped:-0} ))
[ -n "${run:-}" ] && [ "$status" -eq 0 ] || failed=$(( failed > 0 ? failed : 1 ))
echo "kernel-tests@linux-$(uname -r): $(( ${run:-0} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
