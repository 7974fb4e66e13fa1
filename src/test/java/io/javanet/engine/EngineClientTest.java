package io.javanet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the engine's view of a swarm network: the verbose inspect's shape, and an engine that is not there. */
class EngineClientTest {

    @TempDir
    Path dir;

    private static String resource(String name) throws Exception {
        try (var in = EngineClientTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    @Test
    void peersAndTheServicesWithAVirtualIpAreReadFromTheVerboseInspect() throws Exception {
        SwarmNetwork view = EngineClient.parse(new ObjectMapper().readTree(resource("/engine/network-verbose.json")));
        assertThat(view.peers()).containsExactly(ip("192.168.77.11"), ip("192.168.77.12"));
        assertThat(view.services()).as("dnsrr services and plain containers have no VIP").containsExactly(
                new SwarmNetwork.Service("web", ip("10.92.0.2"), List.of(ip("10.92.0.3"), ip("10.92.0.4"))));
    }

    @Test
    void outsideSwarmModeTheViewIsEmpty() throws Exception {
        SwarmNetwork view = EngineClient.parse(new ObjectMapper().readTree("{\"Name\":\"bridge\",\"Scope\":\"local\"}"));
        assertThat(view.peers()).isEmpty();
        assertThat(view.services()).isEmpty();
    }

    @Test
    void theEngineIsAskedOverItsSocketAndAnEngineThatIsGoneGivesNoView() throws Exception {
        Path socket = dir.resolve("docker.sock");
        AtomicReference<String> asked = new AtomicReference<>();
        String body = resource("/engine/network-verbose.json");
        Javalin engine = Javalin.create(config -> {
            config.jetty.addConnector((server, http) -> {
                var connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
                connector.setUnixDomainPath(socket);
                return connector;
            });
            config.routes.get("/networks/{id}", ctx -> {
                asked.set(ctx.method() + " " + ctx.path() + "?" + ctx.queryString());
                if (ctx.pathParam("id").equals("ov")) {
                    ctx.contentType("application/json").result(body);
                } else {
                    ctx.status(404).result("{\"message\":\"network x not found\"}");
                }
            });
        }).start();
        try (EngineClient client = new EngineClient(socket)) {
            assertThat(client.swarmNetwork("ov")).hasValueSatisfying(v -> assertThat(v.peers()).hasSize(2));
            assertThat(asked.get()).isEqualTo("GET /networks/ov?verbose=true");
            assertThat(client.swarmNetwork("x")).as("no such network").isEmpty();
            engine.stop();
            assertThat(client.swarmNetwork("ov")).as("the engine gone").isEmpty();
        } finally {
            engine.stop();
        }
    }

    /** What docker javanet doctor reads of an engine: its version, backend and swarm, its javanet plugins, the nodes. */
    @Test
    void anEnginesVersionSwarmJavanetPluginsAndNodesAreRead() throws Exception {
        Path socket = dir.resolve("docker.sock");
        Map<String, String> bodies = new HashMap<>(Map.of("/info", resource("/engine/info-manager.json"),
                "/plugins", resource("/engine/plugins.json"), "/nodes", resource("/engine/nodes.json")));
        Javalin engine = Javalin.create(config -> {
            config.jetty.addConnector((server, http) -> {
                var connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
                connector.setUnixDomainPath(socket);
                return connector;
            });
            config.routes.get("/{what}", ctx -> ctx.contentType("application/json").result(bodies.get(ctx.path())));
        }).start();
        try (EngineClient client = new EngineClient(socket)) {
            assertThat(client.info()).contains(new EngineInfo("06db17a7-4cdc-4a11-acfe-c3b44aa640ab", "node1",
                    "28.5.2+dfsg4", "iptables", "q1w2e3r4t5y6u7i8o9p0asdfg", "192.168.77.11", List.of("q1w2e3r4t5y6u7i8o9p0asdfg"), true));
            assertThat(client.javanetPlugins()).as("enabled, running javanet's jar").containsExactly(
                    new PluginInstall("5f1e0a9c7b", "javanet-global:latest", "javanet.sock", "global"));
            assertThat(client.nodes()).containsExactly(new SwarmNode("q1w2e3r4t5y6u7i8o9p0asdfg", "node1", "192.168.77.11", "ready"),
                    new SwarmNode("h5j6k7l8z9x0c1v2b3n4m5qwe", "node2", "192.168.77.12", "down"));
            EngineInfo manager = client.info().orElseThrow();
            bodies.put("/info", resource("/engine/info-worker.json"));
            EngineInfo worker = client.info().orElseThrow();
            assertThat(worker.sameSwarm(manager)).as("a worker is told its managers, not the swarm's ID").isTrue();
            assertThat(worker.manager()).isFalse();
            bodies.put("/info", resource("/engine/info-2010.json"));
            assertThat(client.info().orElseThrow().sameSwarm(manager)).as("outside a swarm").isFalse();
            assertThat(client.info()).as("Docker 20.10: no backend named, no swarm").contains(new EngineInfo("KQ7T:3AJD:ZP2V",
                    "vm", "20.10.24+dfsg1", "iptables", "", "", List.of(), false));
        } finally {
            engine.stop();
        }
    }
}
