package io.javanet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.kernel.MemoryKernel;
import io.javanet.server.PluginServer;
import io.javanet.server.TestServers;
import io.javanet.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** docker javanet's commands against a served plugin (no engine here: IDs stand for Docker's names). */
class CliTest {

    @TempDir
    Path dir;
    private Store store;
    private PluginServer server;
    private Path socket;
    private MemoryKernel kernel;

    @BeforeEach
    void setUp() throws Exception {
        socket = dir.resolve("javanet.sock");
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        server = TestServers.server(socket, store, kernel, new SimpleMeterRegistry()).start();
        call("NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1n1n1n1n1n1n1n1\",\"Options\":{\"com.docker.network.generic\":{}},"
                + "\"IPv4Data\":[{\"AddressSpace\":\"x\",\"Pool\":\"10.150.0.0/24\",\"Gateway\":\"10.150.0.1/24\"}],\"IPv6Data\":[]}");
        call("NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"n1n1n1n1n1n1n1n1\",\"EndpointID\":\"e1e1e1e1e1e1e1e1\","
                + "\"Interface\":{\"Address\":\"10.150.0.2/24\"},\"Options\":{}}");
        call("NetworkDriver.ProgramExternalConnectivity", "{\"NetworkID\":\"n1n1n1n1n1n1n1n1\",\"EndpointID\":\"e1e1e1e1e1e1e1e1\","
                + "\"Options\":{\"com.docker.network.portmap\":[{\"Proto\":6,\"IP\":\"\",\"Port\":80,\"HostIP\":\"\","
                + "\"HostPort\":18081,\"HostPortEnd\":18081}]}}");
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        store.close();
    }

    /** One call over the plugin's socket, as dockerd makes it. */
    private void call(String method, String body) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String request = "POST /" + method + " HTTP/1.1\r\nHost: p\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n" + body;
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(8192);
            while (channel.read(reply) >= 0) {
                if (!reply.hasRemaining()) {
                    break;
                }
            }
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
        }
    }

    private record Run(int status, String out, String err) {
    }

    private Run cli(String... args) {
        return new Runner(socket, dir).run(args);
    }

    @Test
    void portsListEveryPublishedPortAndTheHostPortJavanetChose() throws Exception {
        Run table = cli("ports");
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("CONTAINER").contains("e1e1e1e1e1e1").contains("80/tcp").contains("0.0.0.0:18081");
        Run json = cli("ports", "--format", "json");
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("hostPort").asInt()).isEqualTo(18081);
        assertThat(rows.get(0).get("containerPort").asText()).isEqualTo("80/tcp");
    }

    @Test
    void lsAndInspectShowTheNetworkAndItsEndpoint() throws Exception {
        assertThat(cli("ls").out()).contains("n1n1n1n1n1n1").contains("bridge").contains("10.150.0.0/24 gateway 10.150.0.1");
        Run inspect = cli("--format", "json", "inspect", "n1n1n1n1n1n1n1n1");
        JsonNode detail = new ObjectMapper().readTree(inspect.out());
        assertThat(detail.at("/network/mode").asText()).isEqualTo("bridge");
        assertThat(detail.at("/endpoints/0/address").asText()).isEqualTo("10.150.0.2/24");
        assertThat(detail.at("/endpoints/0/ports/0").asText()).isEqualTo("80/tcp -> 0.0.0.0:18081");
        Run missing = cli("inspect", "nope");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("no javanet network nope");
    }

    @Test
    void aPluginThatDoesNotAnswerIsNamedWithItsSocket() {
        Run run = new Runner(dir.resolve("gone.sock"), dir).run("ls");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("docker javanet: no javanet answers on " + dir.resolve("gone.sock"));
        assertThat(cli("--format", "yaml", "ls").err()).contains("--format: \"yaml\" is not table or json");
    }

    /** A managed plugin's socket seen through another engine's root is longer than a unix socket address holds. */
    @Test
    void aSocketPathTooLongForAUnixAddressIsStillReached() throws Exception {
        Path longer = Files.createSymbolicLink(dir.resolve("r".repeat(120)), dir).resolve("javanet.sock");
        assertThat(longer.toString()).hasSizeGreaterThan(108);
        Run run = new Runner(longer, dir).run("ls");
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("n1n1n1n1n1n1");
    }

    /** No engine answers here, which doctor counts as a fault of its own; the host's faults come from the plugin. */
    @Test
    void doctorChecksTheHostThroughThePluginAndExitsOneOnAFault() throws Exception {
        Run run = cli("doctor");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).containsPattern("ok +javanet +firewall +our table is there")
                .containsPattern("ok +n1n1n1n1n1n1 +bridge +jn-n1n1n1n1n1n1")
                .containsPattern("FAIL +engine +engine +the engine does not answer")
                .contains("1 problem:");
        kernel.delete("jn-n1n1n1n1n1n1");
        Run broken = cli("doctor", "--format", "json");
        assertThat(broken.status()).isEqualTo(1);
        JsonNode failed = new ObjectMapper().readTree(broken.out());
        assertThat(failed.findValuesAsText("detail")).contains("jn-n1n1n1n1n1n1 is missing: the network's containers are cut off");
        assertThat(failed.findValuesAsText("fix")).contains("restart the plugin, whose start-up repairs it: docker plugin"
                + " disable -f javanet && docker plugin enable javanet");
    }

    private record Runner(Path socket, Path dir) {
        Run run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] all = new String[args.length + 4];
            System.arraycopy(new String[] {"--socket", socket.toString(), "--engine-socket", dir.resolve("no-engine").toString()},
                    0, all, 0, 4);
            System.arraycopy(args, 0, all, 4, args.length);
            int status = new CommandLine(new Cli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
            return new Run(status, out.toString(), err.toString());
        }
    }
}
