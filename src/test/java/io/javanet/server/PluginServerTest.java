package io.javanet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.api.status.PluginStatus;
import io.javanet.ipam.DefaultPools;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.MemoryKernel;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginServerTest {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    @TempDir
    Path dir;
    private Path socket;
    private Store store;
    private MemoryKernel kernel;
    private SimpleMeterRegistry registry;
    private PluginServer server;
    private PluginClient client;

    @BeforeEach
    void setUp() throws Exception {
        socket = dir.resolve("run/javanet.sock");
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        registry = new SimpleMeterRegistry();
        server = newServer(socket).start();
        client = new PluginClient(socket);
    }

    private PluginServer newServer(Path at) {
        return TestServers.server(at, store, kernel, registry);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        server.close();
        store.close();
    }

    @Test
    void activateAnswersBothInterfacesWithDockersContentTypeOnAPrivateSocket() throws Exception {
        PluginClient.Reply reply = client.post("Plugin.Activate", (String) null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"Implements\":[\"NetworkDriver\",\"IpamDriver\"]}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }

    @Test
    void callsThatComeBeforeStartUpReconciliationIsDoneWaitForIt() throws Exception {
        Path early = dir.resolve("run/early.sock");
        CompletableFuture<Integer> reconciled = new CompletableFuture<>();
        try (PluginServer starting = new PluginServer(early, TestServers.driver(early, store, kernel),
                     new IpamDriver(store, DefaultPools.standard(), kernel), registry,
                     reconciled).start();
             PluginClient earlyClient = new PluginClient(early)) {
            CompletableFuture<PluginClient.Reply> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return earlyClient.post("Plugin.Activate", (String) null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> reconciled.getNumberOfDependents() == 1);
            assertThat(reply).isNotDone();

            reconciled.complete(0);

            assertThat(reply.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    @Test
    void acceptsTheDaemonsOwnRequestsWithTheirBlankHostHeaderOnOneKeptAliveConnection() throws Exception {
        String activate = "POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: 0\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n";
        String body = "{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.123.0.0/24\",\"SubPool\":\"\",\"Options\":{},\"V6\":false}";
        String requestPool = "POST /IpamDriver.RequestPool HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: " + body.length() + "\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n" + body;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((activate + requestPool).getBytes(StandardCharsets.US_ASCII)));
            StringBuilder received = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!received.toString().contains("\"PoolID\"") && System.nanoTime() < deadline) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    break;
                }
                received.append(StandardCharsets.US_ASCII.decode(buffer.flip()));
            }
            assertThat(received.toString())
                    .startsWith("HTTP/1.1 200 OK")
                    .contains("{\"Implements\":[\"NetworkDriver\",\"IpamDriver\"]}")
                    .contains("{\"PoolID\":\"javanet-local/10.123.0.0/24\"")
                    .doesNotContain("400");
        }
    }

    /**
     * A misbehaving client holds 1,000 connections: silent ones, half-sent headers, bodies that never finish,
     * and pipelined calls. Docker's calls are still answered at once, the pipelined ones too, threads stay
     * within the pool's bound, the stalled connections are closed within the idle timeout, and once all are
     * gone no file descriptor is left.
     */
    @Test
    void aThousandAbusiveConnectionsLeaveDockersCallsAnsweredAndLeakNothing() throws Exception {
        server.close();
        Duration idle = Duration.ofSeconds(2);
        server = TestServers.server(socket, store, kernel, registry, idle).start();
        long fdsBefore = openFileDescriptors();
        String call = "POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nContent-Length: 0\r\n\r\n";
        String[] abuse = {"", "POST /NetworkDriver.CreateNetwork HTTP/1.1\r\nHost: \r\nContent-Le",
            "POST /NetworkDriver.CreateNetwork HTTP/1.1\r\nHost: \r\nContent-Length: 100\r\n\r\n{\"Netw", call + call};
        List<SocketChannel> held = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap(abuse[i % abuse.length].getBytes(StandardCharsets.US_ASCII)));
                held.add(c);
            }
            try (PluginClient docker = new PluginClient(socket)) {
                assertThat(docker.post("Plugin.Activate", (String) null).status()).isEqualTo(200);
            }
            assertThat(serverThreads()).as("threads serving calls, bounded by the pool whatever the connections")
                    .isBetween(1L, (long) PluginServer.MAX_THREADS);
            assertThat(readAll(held.get(3), 2)).as("both pipelined calls answered").contains("IpamDriver");
            await().atMost(idle.plusSeconds(5)).untilAsserted(() -> assertThat(held.stream()
                    .filter(c -> !closedByServer(c)).count()).as("stalled connections still open").isZero());
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(openFileDescriptors()).as("file descriptors").isLessThanOrEqualTo(fdsBefore + 5));
        assertThat(serverThreads()).as("threads serving calls").isLessThanOrEqualTo(PluginServer.MAX_THREADS);
    }

    /** The threads of our server's pool (not the JVM's: other tests' servers and JUnit's own are not ours). */
    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(PluginServer.THREAD_NAME)).count();
    }

    private static long openFileDescriptors() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Reads what the server sends until {@code count} HTTP responses have come or 5 s have passed. */
    private static String readAll(SocketChannel channel, int count) throws java.io.IOException {
        StringBuilder received = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (received.toString().split("HTTP/1.1 200", -1).length - 1 < count && System.nanoTime() < deadline) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                break;
            }
            received.append(StandardCharsets.US_ASCII.decode(buffer.flip()));
        }
        return received.toString();
    }

    /** Whether the server has closed the connection: a read sees end of stream (without blocking). */
    private static boolean closedByServer(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(8192);
            int n;
            while ((n = channel.read(sink)) > 0) {
                sink.clear();
            }
            return n < 0;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** Our status endpoint answers a GET in plain JSON, beside Docker's protocol, and takes no other method. */
    @Test
    void theStatusEndpointAnswersAGetAndNothingElse() throws Exception {
        PluginClient.Reply status = client.get(PluginStatus.PATH);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).isEqualTo("{\"scope\":\"local\",\"networks\":[],\"peers\":[]}");
        assertThat(client.post(PluginStatus.PATH.substring(1), "{}").status()).isEqualTo(404);
    }

    @Test
    void noArgumentCallsIgnoreTheirEmptyBody() throws Exception {
        assertThat(client.post("NetworkDriver.GetCapabilities", (String) null).body())
                .isEqualTo("{\"Scope\":\"local\",\"ConnectivityScope\":\"local\",\"GwAllocChecker\":true}");
        assertThat(client.post("IpamDriver.GetCapabilities", "").body())
                .isEqualTo("{\"RequiresMACAddress\":false,\"RequiresRequestReplay\":false}");
        assertThat(client.post("IpamDriver.GetDefaultAddressSpaces", (String) null).body())
                .isEqualTo("{\"LocalDefaultAddressSpace\":\"javanet-local\",\"GlobalDefaultAddressSpace\":\"javanet-global\"}");
    }

    @Test
    void gatewayCheckAnswersInDockersShape() throws Exception {
        // As Docker 28 sends it: the options CreateNetwork will carry, before any IPAM call.
        String routed = "{\"Options\":{\"com.docker.network.enable_ipv4\":true,\"com.docker.network.enable_ipv6\":false,"
                + "\"com.docker.network.generic\":{\"javanet.mode\":\"routed\"}}}";
        assertThat(client.post("NetworkDriver.GwAllocCheck", routed).body())
                .isEqualTo("{\"SkipIPv4\":true,\"SkipIPv6\":true}");
        PluginClient.Reply bad = client.post("NetworkDriver.GwAllocCheck",
                "{\"Options\":{\"com.docker.network.generic\":{\"javanet.mode\":\"x\"}}}");
        assertThat(bad.status()).isEqualTo(500);
        assertThat(bad.json().get("Err").asText()).startsWith("-o javanet.mode: unknown mode \"x\"");
    }

    @Test
    void badInputGetsAClearErrNamingTheFieldAndChangesNothing() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"NetworkDriver.CreateNetwork", "", "request body is empty; expected a JSON object"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":", "malformed JSON at line 1 column 14"},
                new String[] {"NetworkDriver.CreateNetwork", "[1,2]", "request body must be a JSON object"},
                new String[] {"NetworkDriver.CreateNetwork", "null", "request body is null"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":5}", "field NetworkID: wrong type, expected a string"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n\",\"IPv4Data\":{}}", "field IPv4Data: wrong type, expected an array"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n\",\"IPv4Data\":[{\"Pool\":7}]}", "field IPv4Data[0].Pool: wrong type, expected a string"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n\",\"Options\":[]}", "field Options: wrong type, expected an object"},
                new String[] {"NetworkDriver.CreateNetwork", "{}", "NetworkID: missing"},
                new String[] {"NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n\"} {}", "malformed JSON"},
                new String[] {"NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"nope\",\"EndpointID\":\"e\"}", "NetworkID: unknown network nope"},
                new String[] {"NetworkDriver.Join", "{\"NetworkID\":\"" + NET + "\"}", "NetworkID: unknown network " + NET},
                new String[] {"IpamDriver.RequestPool", "{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.0.0.0/33\",\"V6\":false}", "Pool: \"10.0.0.0/33\""},
                new String[] {"IpamDriver.RequestPool", "{\"AddressSpace\":\"javanet-local\",\"V6\":\"yes\"}", "field V6: wrong type, expected true or false"},
                new String[] {"IpamDriver.RequestAddress", "{\"PoolID\":\"x\",\"Address\":\"\"}", "PoolID: unknown pool \"x\""},
                new String[] {"IpamDriver.ReleaseAddress", "{\"PoolID\":\"\"}", "PoolID: missing"});
        for (String[] c : cases) {
            PluginClient.Reply reply = client.post(c[0], c[1]);
            assertThat(reply.status()).as(c[0] + " " + c[1]).isEqualTo(500);
            assertThat(reply.json().get("Err").asText()).as(c[0] + " " + c[1]).startsWith(c[2]);
            assertThat(reply.json().size()).isEqualTo(1);
        }
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(store.read(Tx::pools)).isEmpty();
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(client.post("Plugin.Activate", (String) null).status()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAreRefusedAndTheServerKeepsServing() throws Exception {
        String huge = "{\"NetworkID\":\"" + "a".repeat(2 << 20) + "\"}";
        try {
            PluginClient.Reply reply = client.post("NetworkDriver.CreateNetwork", huge);
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.json().get("Err").asText()).isEqualTo("request body is larger than 1048576 bytes");
        } catch (java.util.concurrent.ExecutionException e) {
            // The server may answer and close before the client has written the whole body.
            assertThat(e).hasRootCauseInstanceOf(java.io.IOException.class);
        }
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(client.post("Plugin.Activate", (String) null).status()).isEqualTo(200);
    }

    @Test
    void callsTheCapturesNeverShowAreAnsweredToo() throws Exception {
        assertThat(client.post("NetworkDriver.DiscoverNew", "{\"DiscoveryType\":1,\"DiscoveryData\":{\"Address\":\"10.0.0.1\"}}").body())
                .isEqualTo("{}");
        assertThat(client.post("NetworkDriver.DiscoverDelete", "{\"DiscoveryType\":1,\"DiscoveryData\":null}").body())
                .isEqualTo("{}");
        assertThat(client.post("NetworkDriver.DiscoverNew", "{}").json().get("Err").asText()).isEqualTo("DiscoveryType: missing");
        assertThat(client.post("NetworkDriver.DiscoverNew", "{\"DiscoveryType\":7}").json().get("Err").asText())
                .startsWith("DiscoveryType: 7 is not 1 (node)");
        assertThat(client.post("NetworkDriver.DiscoverNew", "{\"DiscoveryType\":\"x\"}").json().get("Err").asText())
                .isEqualTo("field DiscoveryType: wrong type, expected an integer");
        assertThat(client.post("NetworkDriver.AllocateNetwork", "{\"NetworkID\":\"" + NET + "\",\"Options\":{}}").json()
                .get("Err").asText()).startsWith("AllocateNetwork: this javanet install is local-scope");
        assertThat(client.post("NetworkDriver.FreeNetwork", "{\"NetworkID\":\"" + NET + "\"}").json().get("Err").asText())
                .startsWith("FreeNetwork: this javanet install is local-scope");
        assertThat(client.post("NetworkDriver.FreeNetwork", "{}").json().get("Err").asText()).isEqualTo("NetworkID: missing");
    }

    @Test
    void unknownCallsGet404WithAnErr() throws Exception {
        PluginClient.Reply reply = client.post("NetworkDriver.Teleport", "{}");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("Err").asText()).isEqualTo("unknown plugin call POST /NetworkDriver.Teleport");
    }

    @Test
    void everyCallIsCountedAndTimedWithItsOutcome() throws Exception {
        client.post("Plugin.Activate", (String) null);
        client.post("NetworkDriver.CreateNetwork", "{}");
        client.post("NetworkDriver.CreateNetwork", "{}");
        assertThat(registry.get("javanet.calls").tags("call", "Plugin.Activate", "outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(registry.get("javanet.calls").tags("call", "NetworkDriver.CreateNetwork", "outcome", "invalid").timer().count())
                .isEqualTo(2);
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(Files.exists(stale)).isTrue();
        try (PluginServer second = newServer(stale).start(); PluginClient c = new PluginClient(stale)) {
            assertThat(c.post("Plugin.Activate", (String) null).status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> newServer(socket).start()).hasMessageContaining("another process is already serving on");
        assertThat(client.post("Plugin.Activate", (String) null).status()).isEqualTo(200);
    }
}
