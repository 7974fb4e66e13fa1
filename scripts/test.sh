#!/usr/bin/env bash
# The whole test suite: unit and contract tests (Maven), then the integration suite against a real dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."
test-integration/setup.sh
mvn -B package
test-integration/run.sh
