#!/usr/bin/env bash
# The integration suite: a real dockerd, the plugin from target/javanet.jar, the real docker CLI.
# Usage: test-integration/run.sh [PATTERN]   (as root; builds nothing, run `mvn package` first); PATTERN picks
# the tests whose names match it, e.g. routed; SUITES picks suite files by their number, e.g. SUITES="20 30".
# Tests run in the order of their suites and of their lines in each.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
require_setup integration
trap finish EXIT

for suite in "$here"/suites/*.sh; do
    number=$(basename "$suite" | cut -d- -f1)
    [ -z "${SUITES:-}" ] || [[ " $SUITES " == *" $number "* ]] || continue
    # shellcheck source=/dev/null
    . "$suite"
done

remember_host
start_plugin || { FAILED=1; FAILURES+=(start_plugin); exit 1; }
major=$(engine_version | cut -d. -f1)
for t in $(tests "${1:-.}"); do
    # test_since28_*: what Docker 28 brought (IPv6-only networks, compose v2 here); counted only where it ran.
    if [[ $t == test_since28_* ]] && [ "${major:-0}" -lt 28 ]; then
        log "--- $t: not on Docker $(engine_version), which predates it"
        continue
    fi
    run_test "$t"
done
