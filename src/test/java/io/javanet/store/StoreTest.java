package io.javanet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.net.PortBinding;
import io.javanet.net.Mode;
import io.javanet.net.Subnet;
import io.javanet.store.AllocationRecord.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    private static NetworkRecord network(String id) {
        return new NetworkRecord(id, 1500, false, false, List.of(Subnet.parse("10.1.0.0/24", "10.1.0.1/24")),
                Map.of("foo", "bar"), Mode.BRIDGE, Map.of("bridgeName", "jn-" + id));
    }

    private static EndpointRecord endpoint(String id, String networkId) {
        return new EndpointRecord(id, networkId, "jnv" + id, "jnc" + id, "10.1.0.2/24", "", "02:42:0a:01:00:02",
                null, List.of(PortBinding.parse("tcp", "", 8080, "10.1.0.2", 80)), Map.of("javanet.egress_rate", "10mbit"));
    }

    @Test
    void publishedPortsComeFromPublishingEndpointsOnlyAndAVersion2DatabaseIsMigrated() throws Exception {
        Path file = dir.resolve("javanet.db");
        EndpointRecord quiet = new EndpointRecord("e2", "n1", "jnve2", "jnce2", "10.1.0.3/24", "", "", null, List.of(), Map.of());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            // The schema as version 2 left it, with an endpoint that publishes a port.
            s.execute("CREATE TABLE pools (pool_id TEXT PRIMARY KEY, record TEXT NOT NULL)");
            s.execute("CREATE TABLE allocations (pool_id TEXT NOT NULL, address TEXT NOT NULL, role TEXT NOT NULL,"
                    + " PRIMARY KEY (pool_id, address))");
            s.execute("CREATE TABLE networks (network_id TEXT PRIMARY KEY, record TEXT NOT NULL)");
            s.execute("CREATE TABLE endpoints (endpoint_id TEXT PRIMARY KEY, network_id TEXT NOT NULL, record TEXT NOT NULL)");
            s.execute("CREATE TABLE link_intents (link TEXT PRIMARY KEY)");
            s.execute("INSERT INTO endpoints VALUES ('e1', 'n1', '{\"endpointId\":\"e1\",\"networkId\":\"n1\","
                    + "\"portMap\":[{\"proto\":\"tcp\",\"hostIp\":\"\",\"hostPort\":8080,\"containerIp\":\"10.1.0.2\","
                    + "\"containerPort\":80}]}')");
            s.execute("PRAGMA user_version=2");
        }
        try (Store store = Store.open(file)) {
            assertThat(store.read(Tx::publishedPorts)).containsExactly(PortBinding.parse("tcp", "", 8080, "10.1.0.2", 80));
            store.write(tx -> {
                tx.putNetwork(network("n1"));
                tx.putEndpoint(quiet);
            });
            assertThat(store.read(Tx::publishedPorts)).hasSize(1);
            store.write(tx -> tx.putEndpoint(quiet.withPortMap(List.of(PortBinding.parse("udp", "", 53, "10.1.0.3", 53)))));
            assertThat(store.read(Tx::publishedPorts)).hasSize(2);
            store.write(tx -> tx.putEndpoint(quiet));
            assertThat(store.read(Tx::publishedPorts)).containsExactly(PortBinding.parse("tcp", "", 8080, "10.1.0.2", 80));
            assertThat(store.read(Tx::endpointCounts)).containsEntry("n1", 2);
            assertThat(store.read(tx -> tx.endpoint("e1")).orElseThrow().features()).as("written before features existed")
                    .isEmpty();
        }
    }

    @Test
    void recordsSurviveReopening() {
        Path file = dir.resolve("state/javanet.db");
        try (Store store = Store.open(file)) {
            store.write(tx -> {
                tx.putPool(new PoolRecord("s/10.1.0.0/24", "s", "10.1.0.0/24", "", false, Map.of("o", "1")));
                tx.putAllocation(new AllocationRecord("s/10.1.0.0/24", "10.1.0.1", Role.GATEWAY));
                tx.putNetwork(network("n1"));
                tx.putEndpoint(endpoint("e1", "n1"));
            });
        }
        try (Store store = Store.open(file)) {
            store.read(tx -> {
                assertThat(tx.pools()).containsExactly(
                        new PoolRecord("s/10.1.0.0/24", "s", "10.1.0.0/24", "", false, Map.of("o", "1")));
                assertThat(tx.allocations()).containsExactly(new AllocationRecord("s/10.1.0.0/24", "10.1.0.1", Role.GATEWAY));
                assertThat(tx.network("n1")).contains(network("n1"));
                assertThat(tx.endpoint("e1")).contains(endpoint("e1", "n1"));
                assertThat(tx.endpoints("n1")).containsExactly(endpoint("e1", "n1"));
                return null;
            });
        }
    }

    @Test
    void aFailingTransactionLeavesNothingBehind() {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            store.write(tx -> tx.putNetwork(network("n1")));
            assertThatThrownBy(() -> store.write(tx -> {
                tx.putNetwork(network("n2"));
                tx.deleteNetwork("n1");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            List<NetworkRecord> left = store.read(Tx::networks);
            assertThat(left).containsExactly(network("n1"));
        }
    }

    private static NetworkRecord withMtu(NetworkRecord network, int mtu) {
        return new NetworkRecord(network.networkId(), mtu, network.internal(), network.enableIpv6(), network.subnets(),
                network.generic(), network.mode(), network.section());
    }

    /** Networks are read from memory once read: each read still gives what was last committed. */
    @Test
    void aNetworkReadAfterAWriteIsTheOneCommitted() {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            assertThat(store.network("n1")).isEmpty();
            store.write(tx -> tx.putNetwork(network("n1")));
            assertThat(store.network("n1")).contains(network("n1"));
            store.write(tx -> tx.putNetwork(withMtu(network("n1"), 9000)));
            assertThat(store.network("n1")).contains(withMtu(network("n1"), 9000));
            assertThatThrownBy(() -> store.write(tx -> {
                tx.putNetwork(withMtu(network("n1"), 1400));
                throw new IllegalStateException("refused");
            })).hasMessage("refused");
            assertThat(store.network("n1")).contains(withMtu(network("n1"), 9000));
            store.write(tx -> tx.deleteNetwork("n1"));
            assertThat(store.network("n1")).isEmpty();
        }
    }

    /**
     * Readers filling the memory while a writer changes the network: the writer, once its write has returned,
     * and every reader after it, see that write or a later one, never an earlier.
     */
    @Test
    void readsRacingAWriteNeverKeepWhatItReplaced() throws Exception {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            store.write(tx -> tx.putNetwork(withMtu(network("n1"), 1000)));
            ExecutorService readers = Executors.newFixedThreadPool(3);
            AtomicInteger written = new AtomicInteger(1000);
            AtomicBoolean writing = new AtomicBoolean(true);
            try {
                List<Future<Integer>> stale = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    stale.add(readers.submit(() -> {
                        int staleReads = 0;
                        while (writing.get()) {
                            int floor = written.get();
                            if (store.network("n1").orElseThrow().mtu() < floor) {
                                staleReads++;
                            }
                        }
                        return staleReads;
                    }));
                }
                List<Integer> writerSaw = new ArrayList<>();
                for (int mtu = 1001; mtu <= 1300; mtu++) {
                    int next = mtu;
                    store.write(tx -> tx.putNetwork(withMtu(network("n1"), next)));
                    written.set(next);
                    writerSaw.add(store.network("n1").orElseThrow().mtu() - next);
                }
                writing.set(false);
                assertThat(writerSaw).as("the writer reads its own write").containsOnly(0);
                for (Future<Integer> f : stale) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).as("reads older than a write that had returned").isZero();
                }
            } finally {
                writing.set(false);
                readers.shutdownNow();
            }
        }
    }

    @Test
    void constraintViolationRollsBackTheWholeCallAndSaysWhy() {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            assertThatThrownBy(() -> store.write(tx -> {
                tx.putNetwork(network("n1"));
                tx.putAllocation(new AllocationRecord("no-such-pool", "10.0.0.1", Role.ADDRESS));
            })).isInstanceOf(StoreException.class).hasMessageContaining("FOREIGN KEY");
            List<NetworkRecord> left = store.read(Tx::networks);
            assertThat(left).isEmpty();
        }
    }

    /**
     * A database the previous release wrote (b794dfc, with a network, a joined endpoint publishing a port, and
     * its IPAM pool and addresses; made by scripting Docker's calls at that release's jar) opens and reads whole.
     */
    @Test
    void aDatabaseOfThePreviousReleaseIsReadWhole() throws Exception {
        Path file = dir.resolve("javanet.db");
        try (var in = StoreTest.class.getResourceAsStream("/store/javanet-b794dfc.db")) {
            Files.copy(in, file);
        }
        try (Store store = Store.open(file)) {
            NetworkRecord network = store.read(tx -> tx.network(NET_B794)).orElseThrow();
            assertThat(network.subnets()).containsExactly(Subnet.parse("10.123.0.0/24", "10.123.0.1/24"));
            assertThat(network.generic()).containsEntry("foo", "bar");
            EndpointRecord endpoint = store.read(tx -> tx.endpoint("0caf3d83e3ef7bee2b0c56c5bf96be51ec24ee5adf44dd9d0c6eca20688e7d7b"))
                    .orElseThrow();
            assertThat(endpoint.address()).isEqualTo("10.123.0.50/24");
            assertThat(endpoint.macAddress()).isEqualTo("02:42:0a:7b:00:32");
            assertThat(endpoint.sandboxKey()).isEqualTo("/var/run/docker/netns/abc");
            assertThat(store.read(Tx::publishedPorts)).containsExactly(PortBinding.parse("tcp", "", 8080, "10.123.0.50", 80));
            assertThat(store.read(Tx::allocations)).extracting(AllocationRecord::address)
                    .containsExactlyInAnyOrder("10.123.0.1", "10.123.0.50");
            store.write(tx -> tx.deleteEndpoint(endpoint.endpointId()));
            assertThat(store.read(Tx::publishedPorts)).isEmpty();
        }
    }

    private static final String NET_B794 = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    @Test
    void aFileThatIsNoDatabaseIsRefusedNamedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("javanet.db");
        byte[] garbage = "not a database, but someone's notes\n".repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, garbage);
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("state database " + file + " is not one javanet can use")
                .hasMessageContaining("move it away to start with no state");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void anotherProgramsDatabaseIsRefusedAndNotWrittenTo() throws Exception {
        Path file = dir.resolve("javanet.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("CREATE TABLE customers (name TEXT)");
            st.execute("INSERT INTO customers VALUES ('ada')");
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not javanet's: it holds tables customers and no javanet schema version");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aDamagedDatabaseIsRefusedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("javanet.db");
        try (Store store = Store.open(file)) {
            for (int i = 0; i < 50; i++) {
                String id = "n" + i;
                store.write(tx -> tx.putNetwork(network(id)));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        // Page 2 onwards: the tables' pages, scribbled over as a failing disk would.
        java.util.Arrays.fill(bytes, 4096 + 8, 4096 * 3, (byte) 0x5a);
        Files.write(file, bytes);
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("state database " + file + " is not one javanet can use");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    /**
     * Group commit: while one write holds the database, others queue, each blocked, not answered; the next
     * commit then carries them all, one of them failing alone. When a write returns, its change is committed:
     * another connection to the file sees it.
     */
    @Test
    void concurrentWritesShareOneCommitAndReturnOnlyOnceItIsDone() throws Exception {
        try (Store store = Store.open(dir.resolve("javanet.db"));
             Store other = Store.open(dir.resolve("javanet.db"))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(6);
            try {
                Future<?> first = threads.submit(() -> store.write(tx -> {
                    tx.putNetwork(network("n0"));
                    holding.countDown();
                    await(release);
                }));
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                long commitsBefore = store.commits();
                List<Thread> waiting = new CopyOnWriteArrayList<>();
                List<Future<Boolean>> queued = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    String id = "n" + i;
                    queued.add(threads.submit(() -> {
                        waiting.add(Thread.currentThread());
                        try {
                            store.write(tx -> {
                                tx.putNetwork(network(id));
                                if (id.equals("n3")) {
                                    throw new IllegalStateException("n3 refused");
                                }
                            });
                        } catch (IllegalStateException e) {
                            return false;
                        }
                        return other.read(tx -> tx.network(id)).isPresent();
                    }));
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 5
                        && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
                assertThat(queued).as("none answered before a commit holds it").noneMatch(Future::isDone);
                release.countDown();
                first.get(10, TimeUnit.SECONDS);
                List<Boolean> seen = new ArrayList<>();
                for (Future<Boolean> f : queued) {
                    seen.add(f.get(10, TimeUnit.SECONDS));
                }
                assertThat(seen).as("committed when answered; n3 failed alone").containsExactly(true, true, false, true, true);
                assertThat(store.commits() - commitsBefore).as("the first write's commit, then one for the five").isEqualTo(2);
                assertThat(other.read(Tx::networks)).extracting(NetworkRecord::networkId)
                        .containsExactly("n0", "n1", "n2", "n4", "n5");
            } finally {
                release.countDown();
                threads.shutdownNow();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void deletingAPoolDeletesItsAllocations() {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            store.write(tx -> {
                tx.putPool(new PoolRecord("p", "s", "10.1.0.0/24", "", false, Map.of()));
                tx.putAllocation(new AllocationRecord("p", "10.1.0.9", Role.ADDRESS));
            });
            store.write(tx -> tx.deletePool("p"));
            List<AllocationRecord> left = store.read(Tx::allocations);
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDatabaseFromANewerJavanetIsRefused() throws Exception {
        Path file = dir.resolve("javanet.db");
        Store.open(file).close();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement()) {
            s.execute("PRAGMA user_version=99");
        }
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("newer");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void peersAndOverlayIdsOutliveARestart(@TempDir Path dir) {
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            store.write(tx -> {
                tx.putPeer("192.0.2.12");
                tx.putPeer("192.0.2.11");
                tx.putPeer("192.0.2.12");
                tx.putVni("net-a", 4242);
                tx.putVni("net-b", 4243);
            });
            assertThatThrownBy(() -> store.write(tx -> tx.putVni("net-c", 4242)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("UNIQUE");
        }
        try (Store store = Store.open(dir.resolve("javanet.db"))) {
            assertThat(store.read(Tx::peers)).containsExactly("192.0.2.11", "192.0.2.12");
            assertThat(store.read(Tx::vnis)).containsExactly(Map.entry("net-a", 4242), Map.entry("net-b", 4243));
            store.write(tx -> {
                tx.deletePeer("192.0.2.11");
                tx.deleteVni("net-a");
            });
            assertThat(store.read(Tx::peers)).containsExactly("192.0.2.12");
            assertThat(store.read(Tx::vnis)).containsOnlyKeys("net-b");
        }
    }
}
