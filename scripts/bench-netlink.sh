#!/usr/bin/env bash
# Netlink layer vs forking `ip`, same work, same run: create+delete of a veth pair, and of a bridge with an address.
# Needs root (it works in a namespace of its own, removed afterwards). Prints JMH's table, then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
out=$(mktemp)
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main \
    'io.javanet.bench.NetlinkBenchmark' -f 1 -wi 3 -w 1s -i 5 -r 2s -rf json -rff "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
score = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
for op in ("vethCreateDelete", "bridgeWithGateway"):
    nl, ip = score.get(op + "Netlink"), score.get(op + "ForkIp")
    if nl and ip:
        print(f"{op}: netlink {nl:.1f} us, fork ip {ip:.1f} us, ip/netlink = {ip / nl:.1f}x")
PY
rm -f "$out"
