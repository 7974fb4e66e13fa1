#!/usr/bin/env bash
# The integration suite: a real dockerd, the plugin from target/javanet.jar, the real docker CLI.
# Usage: test-integration/run.sh [PATTERN]   (as root; builds nothing, run `mvn package` first); PATTERN picks
# the tests whose names match it, e.g. routed
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup.sh" || { echo "integration: 0 passed, 1 failed"; exit 1; }
# shellcheck source=lib.sh
. "$here/lib.sh"
trap finish EXIT

for suite in "$here"/suites/*.sh; do
    # shellcheck source=/dev/null
    . "$suite"
done

remember_host
start_plugin || { FAILED=1; FAILURES+=(start_plugin); exit 1; }
for t in $(declare -F | awk '{print $3}' | grep '^test_' | grep -E -- "${1:-.}"); do
    run_test "$t"
done
