package io.javanet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javanet.driver.NetworkDriver;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.MemoryKernel;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the requests real Docker engines sent to a plugin (test resources {@code fixtures/docker-20.10}, a
 * recording plugin under 20.10; {@code fixtures/docker-29.7}, javanet behind a logging proxy under 29.7.2, which
 * CI cannot run) through our server on its unix socket, and holds our replies to what Docker needed: the same
 * success or failure, the same addresses where Docker asked for one, the same gateway on Join. Where the
 * recording plugin restarted, ours restarts too, on the same state. Faults the recorder injected are not
 * replayed, nor the IPAM replays Docker sent because the recorder asked for them (we do not:
 * RequiresRequestReplay false).
 */
class FixtureContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One captured call. */
    private record Call(String file, double ts, long pid, String path, JsonNode body, int status, JsonNode response,
                        boolean injected) {
        String name() {
            return path.substring(1);
        }

        boolean succeeded() {
            return status == 200 && (response == null || !response.has("Err"));
        }
    }

    private static Path fixtures(String engine) throws URISyntaxException {
        URL folder = FixtureContractTest.class.getResource("/fixtures/" + engine);
        assertThat(folder).as("test resource fixtures/" + engine).isNotNull();
        return Path.of(folder.toURI());
    }

    private static List<Call> load(String engine, boolean managed) throws IOException, URISyntaxException {
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixtures(engine))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d\\d.*\\.jsonl")).sorted().toList()) {
                // 90 is the managed plugin's whole life; 91 goes on with a network whose creation was not
                // captured, so it cannot be replayed from an empty state.
                String name = file.getFileName().toString();
                if (managed ? !name.startsWith("90") : name.startsWith("9")) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode c = JSON.readTree(line);
                    calls.add(new Call(name, c.get("ts").asDouble(), c.path("plugin_pid").asLong(0), c.get("path").asText(),
                            c.get("body"), c.get("status").asInt(), c.get("response"),
                            c.path("injected_fault").asBoolean(false)));
                }
            }
        }
        // File names do not always sort in time order (…-start before …-stop); the capture's clock does.
        calls.sort(java.util.Comparator.comparingDouble(Call::ts));
        return calls;
    }

    @Test
    void legacyPluginSessionReplaysAsDockerExpects() throws Exception {
        List<Call> calls = load("docker-20.10", false);
        assertThat(calls).hasSizeGreaterThan(300);
        Replay replay = new Replay(dir);
        replay.run(calls);
        assertThat(replay.sent).isGreaterThan(300);
        assertThat(replay.restarts).isGreaterThanOrEqualTo(5);
        assertThat(replay.skippedReplays).isGreaterThan(0);
        replay.checkFinalState(calls);
    }

    @Test
    void docker29SessionReplaysAsDockerExpects() throws Exception {
        List<Call> calls = load("docker-29.7", false);
        assertThat(calls).extracting(Call::name).contains("NetworkDriver.GwAllocCheck");
        Replay replay = new Replay(dir);
        replay.run(calls);
        assertThat(replay.sent).isEqualTo(calls.size());
        replay.checkFinalState(calls);
    }

    @Test
    void managedPluginSessionReplaysAsDockerExpects() throws Exception {
        List<Call> calls = load("docker-20.10", true);
        assertThat(calls).hasSizeGreaterThan(20);
        Replay replay = new Replay(dir);
        replay.run(calls);
        assertThat(replay.sent).isEqualTo(calls.stream().filter(c -> !c.injected()).count() - replay.skippedReplays);
        replay.checkFinalState(calls);
    }

    /** Drives our server with a captured session, translating the recorder's pool IDs and addresses to ours. */
    private static final class Replay {
        private final Path dir;
        private final MemoryKernel kernel = new MemoryKernel();
        private final Map<String, String> poolIds = new HashMap<>();
        private final Map<String, String> addresses = new HashMap<>();
        private final Set<String> replayedPools = new HashSet<>();
        private Store store;
        private PluginServer server;
        private PluginClient client;
        private long pid = -1;
        private boolean afterActivate;
        int sent;
        int restarts;
        int skippedReplays;

        Replay(Path dir) {
            this.dir = dir;
        }

        void run(List<Call> calls) throws Exception {
            try {
                for (Call call : calls) {
                    if (call.pid() != pid) {
                        restart();
                        pid = call.pid();
                    }
                    if (!call.injected()) {
                        replay(call);
                    }
                }
            } finally {
                stop();
            }
        }

        private void restart() throws Exception {
            if (server != null) {
                stop();
                restarts++;
            }
            Path socket = dir.resolve("javanet.sock");
            store = Store.open(dir.resolve("state/javanet.db"));
            server = TestServers.server(socket, store, kernel, new SimpleMeterRegistry()).start();
            client = new PluginClient(socket);
        }

        private void stop() throws Exception {
            client.close();
            server.close();
            store.close();
        }

        private boolean isReplay(Call call) {
            if (call.name().equals("Plugin.Activate")) {
                afterActivate = true;
                replayedPools.clear();
            } else if (call.name().startsWith("NetworkDriver.") && !call.name().endsWith("GetCapabilities")) {
                afterActivate = false;
            }
            if (!afterActivate) {
                return false;
            }
            if (call.name().equals("IpamDriver.RequestPool") && poolIds.containsKey(theirPoolId(call))) {
                replayedPools.add(theirPoolId(call));
                return true;
            }
            // A replay names the address it re-reserves; an empty one is a new container starting.
            return call.name().equals("IpamDriver.RequestAddress") && !call.body().path("Address").asText().isEmpty()
                    && replayedPools.contains(call.body().path("PoolID").asText());
        }

        /** The recorder's PoolID for a RequestPool, as it named pools: space/pool/subpool. */
        private static String theirPoolId(Call call) {
            JsonNode b = call.body();
            return b.path("AddressSpace").asText() + "/" + b.path("Pool").asText() + "/" + b.path("SubPool").asText();
        }

        private void replay(Call call) throws Exception {
            if (isReplay(call)) {
                skippedReplays++;
                return;
            }
            JsonNode body = translate(call);
            PluginClient.Reply reply = client.post(call.name(), body);
            sent++;
            String where = call.file() + " " + call.name() + " " + body + " -> " + reply.body();
            if (call.succeeded()) {
                assertThat(reply.status()).as(where).isEqualTo(200);
            } else {
                assertThat(reply.status()).as(where).isEqualTo(500);
                assertThat(reply.json().get("Err").asText()).as(where).isNotBlank();
                return;
            }
            JsonNode ours = reply.json();
            switch (call.name()) {
                case "IpamDriver.RequestPool" -> {
                    poolIds.put(call.response().get("PoolID").asText(), ours.get("PoolID").asText());
                    if (!call.body().path("Pool").asText().isEmpty()) {
                        assertThat(ours.get("Pool").asText()).as(where).isEqualTo(call.body().get("Pool").asText());
                    }
                }
                case "IpamDriver.RequestAddress" -> {
                    String theirs = call.response().get("Address").asText();
                    String mine = ours.get("Address").asText();
                    assertThat(prefix(mine)).as(where).isEqualTo(prefix(theirs));
                    if (call.body().path("Address").asText().isEmpty()) {
                        addresses.put(call.body().get("PoolID").asText() + "|" + host(theirs), host(mine));
                    } else {
                        assertThat(mine).as(where).isEqualTo(theirs);
                    }
                }
                case "NetworkDriver.Join" -> {
                    assertThat(ours.at("/InterfaceName/DstPrefix").asText()).as(where).isEqualTo("eth");
                    assertThat(kernel.exists(ours.at("/InterfaceName/SrcName").asText())).as(where).isTrue();
                    if (call.response().has("Gateway")) {
                        assertThat(ours.path("Gateway").asText()).as(where).isEqualTo(call.response().get("Gateway").asText());
                    }
                }
                case "NetworkDriver.GetCapabilities" -> {
                    // 20.10 knows only the scopes; GwAllocChecker (28+) is a field it ignores.
                    assertThat(ours.get("Scope")).as(where).isEqualTo(call.response().get("Scope"));
                    assertThat(ours.get("ConnectivityScope")).as(where).isEqualTo(call.response().get("ConnectivityScope"));
                }
                case "NetworkDriver.GwAllocCheck" -> assertThat(ours).as(where).isEqualTo(call.response());
                case "NetworkDriver.EndpointOperInfo" -> assertThat(ours.get("Value").isObject()).as(where).isTrue();
                case "NetworkDriver.CreateNetwork", "NetworkDriver.DeleteNetwork", "NetworkDriver.DeleteEndpoint",
                        "NetworkDriver.Leave", "NetworkDriver.ProgramExternalConnectivity",
                        "NetworkDriver.RevokeExternalConnectivity", "IpamDriver.ReleasePool", "IpamDriver.ReleaseAddress" ->
                        assertThat(reply.body()).as(where).isEqualTo("{}");
                default -> {
                }
            }
        }

        private JsonNode translate(Call call) {
            if (call.body() == null || !call.body().isObject()) {
                return call.body();
            }
            ObjectNode body = call.body().deepCopy();
            String theirPool = body.path("PoolID").asText();
            if (body.has("PoolID")) {
                body.put("PoolID", poolIds.getOrDefault(theirPool, theirPool));
            }
            if (body.has("Address") && call.name().startsWith("IpamDriver.")) {
                String address = body.get("Address").asText();
                body.put("Address", addresses.getOrDefault(theirPool + "|" + address, address));
            }
            if (body.has("AddressSpace")) {
                body.put("AddressSpace", IpamDriver.LOCAL_ADDRESS_SPACE);
            }
            return body;
        }

        /** What the capture says should still exist at its end, against what we hold in the store and "kernel". */
        void checkFinalState(List<Call> calls) {
            Set<String> networks = new HashSet<>();
            Map<String, String> endpoints = new HashMap<>();
            for (Call c : calls) {
                if (c.injected() || !c.succeeded()) {
                    continue;
                }
                switch (c.name()) {
                    case "NetworkDriver.CreateNetwork" -> networks.add(c.body().get("NetworkID").asText());
                    case "NetworkDriver.DeleteNetwork" -> {
                        // Endpoints Docker failed to delete go with their network.
                        String id = c.body().get("NetworkID").asText();
                        networks.remove(id);
                        endpoints.values().removeIf(id::equals);
                    }
                    case "NetworkDriver.CreateEndpoint" ->
                            endpoints.put(c.body().get("EndpointID").asText(), c.body().get("NetworkID").asText());
                    case "NetworkDriver.DeleteEndpoint" -> endpoints.remove(c.body().get("EndpointID").asText());
                    default -> {
                    }
                }
            }
            try (Store s = Store.open(dir.resolve("state/javanet.db"))) {
                List<NetworkRecord> stored = s.read(Tx::networks);
                assertThat(stored).extracting(NetworkRecord::networkId).containsExactlyInAnyOrderElementsOf(networks);
                List<String> links = new ArrayList<>();
                List<String> storedEndpoints = new ArrayList<>();
                for (NetworkRecord n : stored) {
                    links.add(n.section().get("bridgeName"));
                    for (EndpointRecord e : s.read(tx -> tx.endpoints(n.networkId()))) {
                        storedEndpoints.add(e.endpointId());
                        links.add(e.hostIfName());
                        links.add(e.containerIfName());
                    }
                }
                assertThat(storedEndpoints).containsExactlyInAnyOrderElementsOf(endpoints.keySet());
                assertThat(kernel.linkNames()).containsExactlyInAnyOrderElementsOf(links);
            }
        }

        private static String host(String cidr) {
            return cidr.substring(0, cidr.indexOf('/'));
        }

        private static String prefix(String cidr) {
            return cidr.substring(cidr.indexOf('/'));
        }
    }
}
