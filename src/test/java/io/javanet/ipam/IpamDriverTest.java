package io.javanet.ipam;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.api.ipam.PoolRequest;
import io.javanet.api.ipam.ReleaseAddressRequest;
import io.javanet.api.ipam.RequestAddressRequest;
import io.javanet.api.ipam.RequestPoolRequest;
import io.javanet.api.ipam.RequestPoolResponse;
import io.javanet.failure.FailureKind;
import io.javanet.failure.PluginException;
import io.javanet.kernel.MemoryKernel;
import io.javanet.net.Cidr;
import io.javanet.store.AllocationRecord;
import io.javanet.store.PoolRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamDriverTest {

    private static final String SPACE = IpamDriver.LOCAL_ADDRESS_SPACE;
    private static final Map<String, String> GATEWAY = Map.of("RequestAddressType", "com.docker.network.gateway");

    @TempDir
    Path dir;
    private Store store;
    private MemoryKernel kernel;
    private IpamDriver ipam;

    @BeforeEach
    void setUp() {
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        ipam = new IpamDriver(store, DefaultPools.standard(), kernel);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private RequestPoolResponse pool(String cidr) {
        return ipam.requestPool(new RequestPoolRequest(SPACE, cidr, "", Map.of(), cidr.contains(":")));
    }

    @Test
    void reservedPoolsAreRefusedAndNothingIsKept() {
        assertThat(failure(() -> pool("0.0.0.0/0"))).hasMessage("Pool: 0.0.0.0/0 covers every address (the default"
                + " route's range): no network may take it");
        assertThat(failure(() -> pool("127.0.0.0/24"))).hasMessageStartingWith("Pool: 127.0.0.0/24 overlaps 127.0.0.0/8");
        assertThat(failure(() -> pool("239.1.0.0/16"))).hasMessageContaining("multicast");
        assertThat(failure(() -> pool("fe80::/64"))).hasMessageContaining("link-local");
        assertThat(store.read(Tx::pools)).isEmpty();
    }

    private String address(String poolId, String address) {
        return ipam.requestAddress(new RequestAddressRequest(poolId, address, null)).address();
    }


    @Test
    void capabilitiesAskForNoReplayAndNoMac() {
        assertThat(ipam.getCapabilities().requiresRequestReplay()).isFalse();
        assertThat(ipam.getCapabilities().requiresMacAddress()).isFalse();
        assertThat(ipam.getDefaultAddressSpaces().localDefaultAddressSpace()).isEqualTo(SPACE);
    }

    @Test
    void userPoolWithGatewayAuxAndStaticAddresses() {
        RequestPoolResponse pool = pool("10.123.0.0/24");
        assertThat(pool.pool()).isEqualTo("10.123.0.0/24");
        assertThat(pool.poolId()).isEqualTo("javanet-local/10.123.0.0/24");
        String id = pool.poolId();
        assertThat(ipam.requestAddress(new RequestAddressRequest(id, "10.123.0.1", GATEWAY)).address())
                .isEqualTo("10.123.0.1/24");
        assertThat(address(id, "10.123.0.5")).isEqualTo("10.123.0.5/24");
        assertThat(address(id, "")).isEqualTo("10.123.0.6/24");
        assertThat(address(id, "10.123.0.50")).isEqualTo("10.123.0.50/24");
        assertThat(address(id, "")).isEqualTo("10.123.0.51/24");
        List<AllocationRecord> stored = store.read(Tx::allocations);
        assertThat(stored).extracting(AllocationRecord::address)
                .containsExactlyInAnyOrder("10.123.0.1", "10.123.0.5", "10.123.0.6", "10.123.0.50", "10.123.0.51");
        assertThat(stored).filteredOn(a -> a.role() == AllocationRecord.Role.GATEWAY)
                .extracting(AllocationRecord::address).containsExactly("10.123.0.1");
    }

    @Test
    void gatewayWithoutAddressTakesTheFirstAddressOfTheRange() {
        RequestPoolResponse pool = ipam.requestPool(new RequestPoolRequest(SPACE, "10.127.0.0/24", "10.127.0.128/25",
                Map.of("po", "1"), false));
        assertThat(pool.poolId()).isEqualTo("javanet-local/10.127.0.0/24/10.127.0.128/25");
        assertThat(ipam.requestAddress(new RequestAddressRequest(pool.poolId(), "", GATEWAY)).address())
                .isEqualTo("10.127.0.128/24");
        assertThat(address(pool.poolId(), "")).isEqualTo("10.127.0.129/24");
        assertThat(address(pool.poolId(), "10.127.0.1")).isEqualTo("10.127.0.1/24");
    }

    @Test
    void defaultPoolsSkipPoolsInUseAndHostRoutes() {
        kernel.addRoute(Cidr.parseNetwork("route", "10.200.0.0/23"));
        pool("10.200.2.0/24");
        RequestPoolResponse chosen = ipam.requestPool(new RequestPoolRequest(SPACE, "", "", Map.of(), false));
        assertThat(chosen.pool()).isEqualTo("10.200.3.0/24");
        RequestPoolResponse next = ipam.requestPool(new RequestPoolRequest(SPACE, "", "", null, false));
        assertThat(next.pool()).isEqualTo("10.200.4.0/24");
        RequestPoolResponse v6 = ipam.requestPool(new RequestPoolRequest(SPACE, "", "", Map.of(), true));
        assertThat(v6.pool()).isEqualTo("fd6a:6e65:7400::/64");
        assertThat(address(v6.poolId(), "")).isEqualTo("fd6a:6e65:7400::1/64");
    }

    @Test
    void defaultPoolsRunOutWithAClearMessage() {
        IpamDriver tiny = new IpamDriver(store, new DefaultPools(List.of(Cidr.parseNetwork("p", "10.9.0.0/23")), 24,
                List.of(Cidr.parseNetwork("p", "fd00::/63")), 64), kernel);
        tiny.requestPool(new RequestPoolRequest(SPACE, "", "", Map.of(), false));
        tiny.requestPool(new RequestPoolRequest(SPACE, "", "", Map.of(), false));
        PluginException e = failure(() -> tiny.requestPool(new RequestPoolRequest(SPACE, "", "", Map.of(), false)));
        assertThat(e.kind()).isEqualTo(FailureKind.EXHAUSTED);
        assertThat(e).hasMessageContaining("no free default IPv4 pool");
    }

    @Test
    void overlappingPoolsAreRefusedNamingBoth() {
        pool("10.1.0.0/24");
        assertThat(failure(() -> pool("10.1.0.0/16")))
                .hasMessage("Pool: 10.1.0.0/16 overlaps pool 10.1.0.0/24, already allocated as PoolID javanet-local/10.1.0.0/24");
        assertThat(failure(() -> pool("10.1.0.0/24")).kind()).isEqualTo(FailureKind.CONFLICT);
        assertThat(store.read(Tx::pools)).hasSize(1);
    }

    @Test
    void exhaustionReleaseAndReuse() {
        String id = pool("10.2.0.0/29").poolId();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(address(id, ""));
        }
        assertThat(got).doesNotHaveDuplicates().hasSize(6);
        PluginException full = failure(() -> address(id, ""));
        assertThat(full.kind()).isEqualTo(FailureKind.EXHAUSTED);
        assertThat(full).hasMessage("pool 10.2.0.0/29 has no free address left (6 in use)");
        ipam.releaseAddress(new ReleaseAddressRequest(id, "10.2.0.4"));
        assertThat(address(id, "")).isEqualTo("10.2.0.4/29");
    }

    @Test
    void duplicateOutOfPoolAndReservedAddressesAreRefusedNamingAddressAndPool() {
        String id = pool("10.3.0.0/24").poolId();
        address(id, "10.3.0.9");
        assertThat(failure(() -> address(id, "10.3.0.9")))
                .hasMessage("Address: 10.3.0.9 is already allocated in pool 10.3.0.0/24");
        assertThat(failure(() -> address(id, "10.4.0.9")))
                .hasMessage("Address: 10.4.0.9 is not in pool 10.3.0.0/24");
        assertThat(failure(() -> address(id, "10.3.0.255")).getMessage()).contains("10.3.0.255 is reserved");
        assertThat(failure(() -> address(id, "10.3.0.300")).getMessage()).startsWith("Address: \"10.3.0.300\"");
        assertThat(failure(() -> address(id, "10.3.0.7/24")).getMessage()).contains("without a prefix length");
        assertThat(failure(() -> address("javanet-local/10.9.9.0/24", "")))
                .hasMessage("PoolID: unknown pool \"javanet-local/10.9.9.0/24\"");
        assertThat(failure(() -> address("", "")).getMessage()).isEqualTo("PoolID: missing");
        List<AllocationRecord> stored = store.read(Tx::allocations);
        assertThat(stored).hasSize(1);
    }

    @Test
    void badPoolRequestsNameTheField() {
        assertThat(failure(() -> pool("10.1.2.3/24")))
                .hasMessage("Pool: \"10.1.2.3/24\" has host bits set (did you mean 10.1.2.0/24?)");
        assertThat(failure(() -> pool("banana")).getMessage()).startsWith("Pool: \"banana\"");
        assertThat(failure(() -> pool("10.1.2.0")).getMessage()).contains("not in CIDR form");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest(SPACE, "fd00::/64", "", Map.of(), false))))
                .hasMessage("Pool: fd00::/64 is IPv6 but V6 is false");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest(SPACE, "10.5.0.0/24", "10.6.0.0/25", Map.of(), false))))
                .hasMessage("SubPool: 10.6.0.0/25 is not inside pool 10.5.0.0/24");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest(SPACE, "", "10.6.0.0/25", Map.of(), false))).getMessage())
                .startsWith("SubPool: given without Pool");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest("other", "10.5.0.0/24", "", Map.of(), false))).getMessage())
                .startsWith("AddressSpace: unknown address space \"other\"");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest(null, "10.5.0.0/24", "", Map.of(), false))))
                .hasMessage("AddressSpace: missing");
        assertThat(store.read(Tx::pools)).isEmpty();
    }

    @Test
    void releasingTwiceOrUnknownIsAnErrorThatChangesNothing() {
        String id = pool("10.6.0.0/24").poolId();
        address(id, "10.6.0.2");
        ipam.releaseAddress(new ReleaseAddressRequest(id, "10.6.0.2"));
        assertThat(failure(() -> ipam.releaseAddress(new ReleaseAddressRequest(id, "10.6.0.2"))))
                .hasMessage("Address: 10.6.0.2 is not allocated in pool 10.6.0.0/24");
        ipam.releasePool(new PoolRequest(id));
        assertThat(failure(() -> ipam.releasePool(new PoolRequest(id))).kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(store.read(Tx::pools)).isEmpty();
        assertThat(pool("10.6.0.0/24").poolId()).isEqualTo(id);
    }

    @Test
    void releasingAPoolDropsItsRemainingAllocations() {
        String id = pool("10.7.0.0/24").poolId();
        address(id, "10.7.0.3");
        ipam.releasePool(new PoolRequest(id));
        List<AllocationRecord> left = store.read(Tx::allocations);
        assertThat(left).isEmpty();
    }

    @Test
    void stateSurvivesARestartOfThePlugin() {
        String id = pool("10.123.0.0/24").poolId();
        ipam.requestAddress(new RequestAddressRequest(id, "10.123.0.1", GATEWAY));
        address(id, "");
        String v6 = pool("fd00:2::/64").poolId();
        address(v6, "fd00:2::1");

        IpamDriver restarted = new IpamDriver(store, DefaultPools.standard(), kernel);
        assertThat(failure(() -> restarted.requestAddress(new RequestAddressRequest(id, "10.123.0.2", null))).kind())
                .isEqualTo(FailureKind.CONFLICT);
        assertThat(restarted.requestAddress(new RequestAddressRequest(id, "", null)).address()).isEqualTo("10.123.0.3/24");
        assertThat(restarted.requestAddress(new RequestAddressRequest(v6, "", null)).address()).isEqualTo("fd00:2::2/64");
        assertThat(failure(() -> restarted.requestPool(new RequestPoolRequest(SPACE, "10.123.0.0/25", "", Map.of(), false))).kind())
                .isEqualTo(FailureKind.CONFLICT);
        List<PoolRecord> pools = store.read(Tx::pools);
        assertThat(pools).extracting(PoolRecord::pool).containsExactly("10.123.0.0/24", "fd00:2::/64");
    }

    @Test
    void addressesNothingUsesAreReclaimedOnlyIfStillUnclaimedLater() {
        String id = pool("10.5.0.0/24").poolId();
        ipam.requestAddress(new RequestAddressRequest(id, "10.5.0.1", GATEWAY));
        address(id, "10.5.0.5");
        address(id, "10.5.0.2");
        address(id, "10.5.0.3");
        address(id, "10.5.0.4");
        String other = pool("10.6.0.0/24").poolId();
        address(other, "10.6.0.9");
        store.write(tx -> {
            tx.putNetwork(new io.javanet.store.NetworkRecord("n1", 1500, false, false,
                    List.of(io.javanet.net.Subnet.parse("10.5.0.0/24", "10.5.0.1/24", List.of("10.5.0.5/24"))),
                    Map.of(), io.javanet.net.Mode.BRIDGE, Map.of("bridgeName", "jn-n1")));
            tx.putEndpoint(new io.javanet.store.EndpointRecord("e1", "n1", "jnve1", "jnce1", "10.5.0.2/24", "", "", null, List.of(), Map.of()));
        });
        List<AllocationRecord> suspects = ipam.unclaimed();
        assertThat(suspects).extracting(AllocationRecord::address).containsExactlyInAnyOrder("10.5.0.3", "10.5.0.4");
        assertThat(ipam.unclaimed(java.util.Set.of("e1"))).as("e1 about to be removed as a leftover")
                .extracting(AllocationRecord::address).containsExactlyInAnyOrder("10.5.0.2", "10.5.0.3", "10.5.0.4");
        // Docker was about to use .4 after all:
        store.write(tx -> tx.putEndpoint(new io.javanet.store.EndpointRecord("e2", "n1", "jnve2", "jnce2", "10.5.0.4/24", "",
                "", null, List.of(), Map.of())));
        assertThat(ipam.reclaim(suspects)).isEqualTo(1);
        assertThat(failure(() -> address(id, "10.5.0.4")).kind()).isEqualTo(FailureKind.CONFLICT);
        assertThat(address(id, "10.5.0.3")).isEqualTo("10.5.0.3/24");
        assertThat(failure(() -> address(other, "10.6.0.9")).kind()).as("a pool of no javanet network is left alone")
                .isEqualTo(FailureKind.CONFLICT);
    }

    @Test
    void concurrentRequestsNeverHandOutOneAddressTwice() throws Exception {
        String id = pool("10.8.0.0/22").poolId();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                futures.add(pool.submit(() -> address(id, "")));
            }
            Set<String> got = new HashSet<>();
            for (Future<String> f : futures) {
                got.add(f.get());
            }
            assertThat(got).hasSize(400);
        } finally {
            pool.shutdownNow();
        }
        List<AllocationRecord> stored = store.read(Tx::allocations);
        assertThat(stored).hasSize(400);
    }

    @Test
    void aFailedCommitChangesNothingInMemory() throws Exception {
        String id = pool("10.9.0.0/24").poolId();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("javanet.db"));
             var s = c.createStatement()) {
            s.execute("CREATE TRIGGER fail BEFORE INSERT ON allocations BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
            assertThatThrownBy(() -> address(id, "")).hasMessageContaining("disk on fire");
            assertThatThrownBy(() -> address(id, "10.9.0.5")).hasMessageContaining("disk on fire");
            s.execute("DROP TRIGGER fail");
        }
        assertThat(address(id, "10.9.0.5")).isEqualTo("10.9.0.5/24");
        assertThat(address(id, "")).isEqualTo("10.9.0.6/24");
        assertThat(address(id, "10.9.0.1")).isEqualTo("10.9.0.1/24");
    }

    @Test
    void aSwarmManagersGlobalPoolIsAskedForAgainInTheLocalSpace() {
        RequestPoolResponse global = ipam.requestPool(new RequestPoolRequest("javanet-global", "10.99.0.0/24", "", Map.of(), false));
        RequestPoolResponse local = ipam.requestPool(new RequestPoolRequest("javanet-local", "10.99.0.0/24", "", Map.of(), false));
        assertThat(local.poolId()).isNotEqualTo(global.poolId());
        assertThat(ipam.requestAddress(new RequestAddressRequest(global.poolId(), "10.99.0.2", null)).address())
                .isEqualTo("10.99.0.2/24");
        assertThat(ipam.requestAddress(new RequestAddressRequest(local.poolId(), "10.99.0.2", null)).address())
                .isEqualTo("10.99.0.2/24");
        assertThat(failure(() -> ipam.requestPool(new RequestPoolRequest("javanet-local", "10.99.0.0/25", "", Map.of(), false))))
                .hasMessageStartingWith("Pool: 10.99.0.0/25 overlaps pool 10.99.0.0/24");
    }
}
