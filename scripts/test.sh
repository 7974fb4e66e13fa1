#!/usr/bin/env bash
# The whole test suite: unit, kernel and contract tests (Maven), then the integration and reliability suites
# against a real dockerd, and the managed plugin built, used and removed.
set -euo pipefail
cd "$(dirname "$0")/.."
test-integration/setup.sh
mvn -B package
status=0
test-integration/run.sh || status=1
test-integration/reliability.sh || status=1
test-integration/managed.sh || status=1
exit $status
