#!/usr/bin/env bash
# Metrics: the plugin here serves them on $WORK/metrics.sock (--metrics-socket); a scrape after real use.

scrape() { curl -sf --unix-socket "$WORK/metrics.sock" http://p/metrics; }
# metric LINE_PREFIX: the value of the first sample line that starts with it
metric() { scrape | grep -F "$1" | head -1 | awk '{print $NF}'; }

test_metrics_count_calls_and_state() {
    local joins_before; joins_before=$(metric 'javanet_calls_seconds_count{call="NetworkDriver.Join",outcome="ok"}')
    joins_before=${joins_before:-0}
    check "network" net it-m1 --ipam-driver "$PLUGIN" --subnet 10.210.90.0/24
    check "routed network" net it-m2 -o javanet.mode=routed --subnet 10.210.91.0/24
    check "c1" ctr it-mc1 --net it-m1
    check "c2" ctr it-mc2 --net it-m1
    check "c3" ctr it-mc3 --net it-m2
    check "served as Prometheus text" bash -c "curl -sfi --unix-socket $WORK/metrics.sock http://p/metrics | grep -qi '^content-type: text/plain; version=0.0.4'"
    check "the socket is private" test "$(stat -c %a "$WORK/metrics.sock")" = 600
    local joins_after; joins_after=$(metric 'javanet_calls_seconds_count{call="NetworkDriver.Join",outcome="ok"}')
    check "three more joins" test "$(( ${joins_before%.*} + 3 ))" = "${joins_after%.*}"
    check "latency histogram" bash -c "curl -sf --unix-socket $WORK/metrics.sock http://p/metrics | grep -q 'javanet_calls_seconds_bucket{call=\"NetworkDriver.CreateEndpoint\",outcome=\"ok\",le='"
    check "bridge endpoints" test "$(metric 'javanet_endpoints{mode="bridge"}')" = 2.0
    check "routed endpoints" test "$(metric 'javanet_endpoints{mode="routed"}')" = 1.0
    check "routed networks" test "$(metric 'javanet_networks{mode="routed"}')" = 1.0
    check "pool usage: gateway and two containers" test "$(metric 'javanet_ipam_pool_allocated{pool="10.210.90.0/24"}')" = 3.0
    check "pool capacity" test "$(metric 'javanet_ipam_pool_capacity{pool="10.210.90.0/24"}')" = 256.0
    check "repairs counted" bash -c "curl -sf --unix-socket $WORK/metrics.sock http://p/metrics | grep -q '^javanet_reconcile_repairs_total'"
}
