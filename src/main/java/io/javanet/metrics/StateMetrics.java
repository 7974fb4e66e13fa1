package io.javanet.metrics;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.Mode;
import io.javanet.store.NetworkRecord;
import io.javanet.store.PoolRecord;
import io.javanet.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Gauges of what our state holds: networks and endpoints per mode, the swarm's peers, and each IPAM pool's
 * allocated addresses and capacity. They are read from the store when scraped, never kept twice.
 */
public final class StateMetrics {

    private final Store store;
    private final MultiGauge networks;
    private final MultiGauge endpoints;
    private final MultiGauge poolAllocated;
    private final MultiGauge poolCapacity;
    private final AtomicInteger peers = new AtomicInteger();
    private final IntSupplier swarmPeers;

    /** @param swarmPeers how many other nodes of the swarm overlay networks flood to now */
    public StateMetrics(Store store, MeterRegistry registry, IntSupplier swarmPeers) {
        this.store = store;
        this.swarmPeers = swarmPeers;
        this.networks = MultiGauge.builder("javanet.networks").description("networks, by mode").register(registry);
        this.endpoints = MultiGauge.builder("javanet.endpoints").description("endpoints, by their network's mode")
                .register(registry);
        this.poolAllocated = MultiGauge.builder("javanet.ipam.pool.allocated")
                .description("addresses allocated in an IPAM pool, gateways and static addresses included").register(registry);
        this.poolCapacity = MultiGauge.builder("javanet.ipam.pool.capacity")
                .description("addresses an IPAM pool can hand out (its --ip-range when it has one)").register(registry);
        Gauge.builder("javanet.swarm.peers", peers, AtomicInteger::get)
                .description("the swarm's other nodes that overlay networks flood to").register(registry);
    }

    /** Reads the store once and sets every gauge to what it says now. */
    public void refresh() {
        record Snapshot(List<NetworkRecord> networks, Map<String, Integer> endpoints, List<PoolRecord> pools,
                        Map<String, Integer> allocations) {
        }
        Snapshot now = store.read(tx -> new Snapshot(tx.networks(), tx.endpointCounts(), tx.pools(), tx.allocationCounts()));
        peers.set(swarmPeers.getAsInt());
        Map<String, Integer> networksByMode = new TreeMap<>();
        Map<String, Integer> endpointsByMode = new TreeMap<>();
        Arrays.stream(Mode.values()).map(Mode::wireName).forEach(mode -> {
            networksByMode.put(mode, 0);
            endpointsByMode.put(mode, 0);
        });
        for (NetworkRecord network : now.networks()) {
            networksByMode.merge(network.mode().wireName(), 1, Integer::sum);
            endpointsByMode.merge(network.mode().wireName(), now.endpoints().getOrDefault(network.networkId(), 0),
                    Integer::sum);
        }
        networks.register(rows("mode", networksByMode), true);
        endpoints.register(rows("mode", endpointsByMode), true);

        List<MultiGauge.Row<?>> allocated = new ArrayList<>();
        List<MultiGauge.Row<?>> capacity = new ArrayList<>();
        for (PoolRecord pool : now.pools()) {
            Tags tags = Tags.of("pool", pool.pool());
            allocated.add(MultiGauge.Row.of(tags, now.allocations().getOrDefault(pool.poolId(), 0)));
            IPAddress range = Cidr.parseNetwork("pool", pool.subPool().isEmpty() ? pool.pool() : pool.subPool());
            capacity.add(MultiGauge.Row.of(tags, range.getCount().doubleValue()));
        }
        poolAllocated.register(allocated, true);
        poolCapacity.register(capacity, true);
    }

    private static List<MultiGauge.Row<?>> rows(String tag, Map<String, Integer> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((key, value) -> rows.add(MultiGauge.Row.of(Tags.of(tag, key), value)));
        return rows;
    }
}
