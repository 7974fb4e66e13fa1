package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.kernel.KernelException;
import io.javanet.net.Rate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bandwidth limits made by our rtnetlink from outside the namespace they are in, as a container's are: checked
 * with {@code tc -j}, and with real TCP traffic (iperf3) between two namespaces on a veth pair.
 */
@Tag("kernel")
class TcNetlinkKernelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Rate LIMIT = Rate.parse("20mbit");
    /**
     * iperf3 counts TCP payload, a limit counts whole frames: a full frame of MTU 1500 is 1514 bytes on the wire
     * and carries 1448 bytes of payload (IPv4 20, TCP 20 and timestamps 12).
     */
    private static final double FRAME = 1514;
    private static final double MSS = 1448;

    private NamespaceLab lab;
    /** Holds va, 10.9.0.1; its peer vb, 10.9.0.2, is in {@code far}. */
    private ThrowawayNamespace near;
    private ThrowawayNamespace far;
    private TcNetlink tc;

    @BeforeEach
    void setUp() {
        lab = new NamespaceLab();
        near = lab.namespace();
        far = lab.namespace();
        near.exec("ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", far.name);
        near.exec("ip", "address", "add", "10.9.0.1/24", "dev", "va");
        far.exec("ip", "address", "add", "10.9.0.2/24", "dev", "vb");
        near.exec("ip", "link", "set", "va", "up");
        far.exec("ip", "link", "set", "vb", "up");
        tc = lab.owned(TcNetlink.openIn(near.path));
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    private JsonNode qdisc(String kind) {
        return StreamSupport.stream(near.json("tc", "-j", "qdisc", "show", "dev", "va").spliterator(), false)
                .filter(q -> q.get("kind").asText().equals(kind)).findFirst().orElse(null);
    }

    @Test
    void theEgressLimitIsTheTbfTcWouldMakeAndIsChangedInPlaceAndCleared() {
        tc.limitEgress("va", LIMIT);
        JsonNode tbf = qdisc("tbf");
        assertThat(tbf.get("handle").asText()).isEqualTo("1:");
        assertThat(tbf.get("root").asBoolean()).isTrue();
        assertThat(tbf.at("/options/rate").asLong()).isEqualTo(2_500_000);
        assertThat(tbf.at("/options/burst").asLong()).isEqualTo(25_000);
        assertThat(tbf.at("/options/lat").asLong()).as("latency, µs").isEqualTo(50_000);

        tc.limitEgress("va", Rate.parse("50mbit"));
        assertThat(qdisc("tbf").at("/options/rate").asLong()).isEqualTo(6_250_000);
        assertThat(qdisc("tbf").get("handle").asText()).isEqualTo("1:");

        tc.clear("va");
        assertThat(qdisc("tbf")).isNull();
        assertThat(qdisc("noqueue")).as("a veth's default qdisc is back").isNotNull();
        tc.clear("va");
    }

    /**
     * Where the kernel polices, the ingress limit is a matchall filter with a police action, replaced and cleared;
     * where it cannot, the refusal leaves no ingress qdisc behind. One test for both kernels, so that neither skips
     * it: the host's has no police action, the guest's has.
     */
    @Test
    void theIngressLimitIsAMatchallFilterWithAPoliceActionOrRefusedLeavingNothing() {
        if (!KernelModules.polices()) {
            assertThatThrownBy(() -> tc.limitIngress("va", LIMIT)).isInstanceOf(KernelException.class)
                    .hasMessageContaining("EOPNOTSUPP").hasMessageContaining("CONFIG_NET_CLS_MATCHALL");
            assertThat(qdisc("ingress")).isNull();
            return;
        }
        tc.limitIngress("va", LIMIT);
        assertThat(qdisc("ingress").get("handle").asText()).isEqualTo("ffff:");
        JsonNode filters = near.json("tc", "-j", "filter", "show", "dev", "va", "ingress");
        JsonNode filter = StreamSupport.stream(filters.spliterator(), false).filter(f -> f.has("options")).findFirst().orElseThrow();
        assertThat(filter.get("kind").asText()).isEqualTo("matchall");
        assertThat(filter.get("pref").asInt()).isEqualTo(1);
        assertThat(filter.at("/options/actions/0/kind").asText()).isEqualTo("police");
        assertThat(filter.at("/options/actions/0/control_action/type").asText()).isEqualTo("drop");

        tc.limitIngress("va", Rate.parse("50mbit"));
        assertThat(tc.limits("va").ingress()).contains(Rate.parse("50mbit"));
        tc.clear("va");
        assertThat(qdisc("ingress")).isNull();
    }

    /** A limit of 20 Mbit/s holds what leaves va to within 10 %, where unlimited traffic runs far faster. */
    @Test
    void trafficLeavingALimitedLinkRunsAtTheLimit() throws Exception {
        double unlimited = megabits(false);
        assertThat(unlimited).as("unlimited, Mbit/s").isGreaterThan(100);
        tc.limitEgress("va", LIMIT);
        assertThat(megabits(false)).as("limited to 20 Mbit/s").isCloseTo(20, within(2.0));
    }

    /** A limit of 20 Mbit/s on what arrives at va holds it to within 10 %, where unlimited traffic runs far faster. */
    @Test
    void trafficArrivingOnALimitedLinkRunsAtTheLimit() throws Exception {
        assumeTrue(KernelModules.polices(), "this kernel has no matchall classifier or police action");
        double unlimited = megabits(true);
        assertThat(unlimited).as("unlimited, Mbit/s").isGreaterThan(100);
        tc.limitIngress("va", LIMIT);
        assertThat(megabits(true)).as("limited to 20 Mbit/s").isCloseTo(20, within(2.0));
    }

    /**
     * Mbit/s of a 3-second TCP transfer (after a first second left out), far to near if {@code arriving}, else near
     * to far, as iperf3 measures what its receiver got, in whole frames.
     */
    private double megabits(boolean arriving) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "no iperf3");
        Process server = new ProcessBuilder("ip", "netns", "exec", far.name, "iperf3", "-s", "-1", "-B", "10.9.0.2")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            List<String> client = new java.util.ArrayList<>(List.of("iperf3", "-c", "10.9.0.2", "-t", "3", "-O", "1", "-J"));
            if (arriving) {
                client.add("-R");
            }
            JsonNode report = null;
            for (int attempt = 0; report == null; attempt++) {
                try {
                    report = JSON.readTree(near.exec(client.toArray(String[]::new)));
                    if (report.has("error")) {
                        throw new IllegalStateException("iperf3: " + report.get("error").asText());
                    }
                } catch (IllegalStateException e) {
                    if (attempt == 30) {
                        throw e;
                    }
                    report = null;
                    Thread.sleep(100); // the server is not listening yet
                }
            }
            JsonNode received = report.at("/end/sum_received/bits_per_second");
            assertThat(received.isNumber()).as("iperf3 measured: %s", report).isTrue();
            double megabits = received.asDouble() / 1e6 * FRAME / MSS;
            System.out.printf("TcNetlinkKernelTest: %s va, %.1f Mbit/s in frames%n", arriving ? "arriving on" : "leaving", megabits);
            return megabits;
        } finally {
            server.destroy();
            server.waitFor();
        }
    }
}
