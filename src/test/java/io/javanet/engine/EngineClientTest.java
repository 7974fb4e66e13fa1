package io.javanet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.List;
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
}
