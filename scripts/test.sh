#!/usr/bin/env bash
# The whole test suite: unit, kernel and contract tests (Maven), then, on Docker 20.10 and on Docker 28, the
# integration, differential (javanet beside Docker's own bridge), reliability and managed-plugin suites against a
# real dockerd; on 28 also the registry install, the
# overlay across a swarm of nodes in namespaces, and the bridge and firewall suites under Docker's nftables
# firewall backend; encrypted overlays refused on this kernel; then, in a QEMU guest booting Debian's kernel, the
# kernel tests, the macvlan and ipvlan modes and encrypted overlays end to end (test-integration/guest.sh). Every suite's summary line names its engine or kernel; the last
# line adds them up. Run as root; it installs what it needs.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
summaries=()
status=0

# suite CMD...: runs one suite (or several, in one guest boot), keeping each summary line ("name@docker-VERSION:
# N passed, M failed").
suite() {
    local out lines; out=$(mktemp)
    "$@" 2>&1 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    mapfile -t lines < <(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed' "$out")
    if [ ${#lines[@]} -eq 0 ]; then
        summaries+=("$* printed no summary: 0 passed, 1 failed")
        status=1
    else
        summaries+=("${lines[@]}")
    fi
    rm -f "$out"
}

test-integration/setup.sh || exit 1
JAVA_HOME=$(scripts/java-home.sh) || exit 1
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
mvn -B package || exit 1

for engine in 20.10 28; do
    test-integration/engine.sh "$engine" || { summaries+=("engine-$engine: 0 passed, 1 failed"); status=1; continue; }
    suite test-integration/run.sh
    suite test-integration/differential.sh
    suite test-integration/reliability.sh
    suite test-integration/managed.sh
done
if test-integration/engine.sh 28; then
    suite test-integration/registry.sh
    suite test-integration/overlay.sh 3
fi
if test-integration/engine.sh 28 nftables; then
    SUITE=nftables-backend SUITES="20 30" suite test-integration/run.sh
    test-integration/engine.sh 28
else
    summaries+=("nftables-backend: 0 passed, 1 failed"); status=1
fi
# Encrypted overlays on this kernel, which has no WireGuard: refused by name (and the tools the guest run uses,
# installed here, since the guest has no network).
suite test-integration/encrypted.sh
# On Debian's kernel under QEMU, which has ipvlan, 802.1q and WireGuard: the kernel tests again, the parent modes
# and encrypted overlays end to end without Docker, in one boot.
JAVANET_GUEST_TIMEOUT=2700 suite test-integration/guest.sh test-integration/guest-suites.sh \
    test-integration/kernel-tests.sh test-integration/parent-modes.sh test-integration/encrypted.sh

echo
echo "=== summaries ($(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
passed=0 failed=0
for line in "${summaries[@]}"; do
    echo "$line"
    p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
