package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import io.javanet.netlink.ThrowawayNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What our firewall lets through, sent for real: a host namespace with a bridge network of ours and a container
 * on it, and a LAN namespace whose router sends the network's subnet to the host, as a neighbour of a Docker host
 * may. The container answers on port 80 (published as the host's 18080) and on 81 (never published).
 */
@Tag("kernel")
class FirewallTrafficKernelTest {

    private static final String SUBNET = "10.157.0.0/24";
    private static final String CONTAINER = "10.157.0.2";
    private static final String HOST_ON_LAN = "192.0.2.1";
    private static final PortBinding WEB = PortBinding.parse("tcp", "", 18080, CONTAINER, 80);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private ThrowawayNamespace host;
    private ThrowawayNamespace container;
    private ThrowawayNamespace lan;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() throws IOException {
        host = namespace();
        container = namespace();
        lan = namespace();
        in(host, "ip", "link", "add", "jn-t", "type", "bridge");
        in(host, "ip", "addr", "add", "10.157.0.1/24", "dev", "jn-t");
        in(host, "ip", "link", "set", "jn-t", "up");
        in(host, "ip", "link", "add", "jnv1", "type", "veth", "peer", "name", "eth0", "netns", container.name);
        in(host, "ip", "link", "set", "jnv1", "master", "jn-t", "up");
        in(container, "ip", "addr", "add", CONTAINER + "/24", "dev", "eth0");
        in(container, "ip", "link", "set", "eth0", "up");
        in(container, "ip", "route", "add", "default", "via", "10.157.0.1");
        in(host, "ip", "link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", lan.name);
        in(host, "ip", "addr", "add", HOST_ON_LAN + "/24", "dev", "lan0");
        in(host, "ip", "link", "set", "lan0", "up");
        in(lan, "ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        in(lan, "ip", "link", "set", "eth0", "up");
        in(lan, "ip", "route", "add", SUBNET, "via", HOST_ON_LAN);
        in(host, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        serve(80, "web");
        serve(81, "unpublished");
        Nftables nft = Nftables.openIn(host.path);
        cleanup.add(nft::close);
        firewall = new NftFirewall(nft, "javanet");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private ThrowawayNamespace namespace() {
        ThrowawayNamespace ns = new ThrowawayNamespace();
        cleanup.add(ns);
        return ns;
    }

    private static String in(ThrowawayNamespace ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
        full.addAll(List.of(command));
        return ThrowawayNamespace.run(full.toArray(String[]::new));
    }

    /** A server in the container answering every connection on {@code port} with {@code word}. */
    private void serve(int port, String word) throws IOException {
        Process server = new ProcessBuilder("ip", "netns", "exec", container.name, "busybox", "nc", "-ll", "-p",
                String.valueOf(port), "-e", "echo", word).redirectErrorStream(true).start();
        cleanup.add(server::destroyForcibly);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!answer(container, "127.0.0.1", port).equals(word) && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(answer(container, "127.0.0.1", port)).as("the container's server on " + port).isEqualTo(word);
    }

    /** What a connection from {@code from} to {@code address:port} is answered with; empty if none is made. */
    private static String answer(ThrowawayNamespace from, String address, int port) {
        try {
            Process nc = new ProcessBuilder("ip", "netns", "exec", from.name, "busybox", "nc", "-w", "2", address,
                    String.valueOf(port)).redirectErrorStream(true).start();
            nc.getOutputStream().close();
            String out = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return nc.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bridge network in our firewall, its IPv4 gateway in {@code mode}. */
    private FirewallNetwork network(GatewayMode mode, List<String> trusted) {
        FirewallNetwork network = new FirewallNetwork("jn-t", false, List.of(Cidr.parseNetwork("t", SUBNET)),
                new FirewallNetwork.Policy(true, true, new FirewallNetwork.Family(mode, mode != GatewayMode.ROUTED,
                        Optional.empty()), FirewallNetwork.Family.NAT, trusted));
        firewall.addNetwork(network);
        return network;
    }

    @Test
    void withoutOurRulesTheLanReachesEveryPortOfTheContainer() {
        assertThat(answer(lan, CONTAINER, 81)).as("the hole Docker 28 closed").isEqualTo("unpublished");
    }

    @Test
    void inNatModeTheLanReachesOnlyWhatIsPublishedThroughTheHost() {
        network(GatewayMode.NAT, List.of());
        firewall.publish(List.of(WEB));
        assertThat(answer(lan, HOST_ON_LAN, 18080)).as("published, through the host's port").isEqualTo("web");
        assertThat(answer(host, CONTAINER, 81)).as("the host reaches its containers").isEqualTo("unpublished");
        assertThat(answer(lan, CONTAINER, 81)).as("unpublished, directly").isEmpty();
        assertThat(answer(lan, CONTAINER, 80)).as("published, but directly from an untrusted link").isEmpty();
    }

    @Test
    void underDockersDropPolicyWhatWeAllowStillPasses() {
        in(host, "iptables", "-P", "FORWARD", "DROP");
        in(host, "iptables", "-N", "DOCKER-USER");
        in(host, "iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        in(host, "iptables", "-A", "FORWARD", "-j", "DOCKER-USER");
        FirewallNetwork open = network(GatewayMode.NAT_UNPROTECTED, List.of());
        firewall.publish(List.of(WEB));
        assertThat(answer(lan, HOST_ON_LAN, 18080)).isEqualTo("web");
        assertThat(answer(lan, CONTAINER, 81)).isEqualTo("unpublished");
        firewall.unpublish(List.of(WEB));
        firewall.removeNetwork(open);
        assertThat(answer(lan, CONTAINER, 81)).as("Docker's policy, once our rule is gone").isEmpty();
    }

    @Test
    void aTrustedLinkReachesPublishedContainerPortsDirectlyAndNoOthers() {
        network(GatewayMode.NAT, List.of("lan0"));
        firewall.publish(List.of(WEB));
        assertThat(answer(lan, CONTAINER, 80)).isEqualTo("web");
        assertThat(answer(lan, CONTAINER, 81)).isEmpty();
    }

    @Test
    void natUnprotectedLeavesEveryPortOpen() {
        network(GatewayMode.NAT_UNPROTECTED, List.of());
        assertThat(answer(lan, CONTAINER, 81)).isEqualTo("unpublished");
    }

    @Test
    void aRoutedGatewayOpensThePublishedContainerPortOnly() {
        network(GatewayMode.ROUTED, List.of());
        firewall.publish(List.of(PortBinding.parse("tcp", "", 0, CONTAINER, 80)));
        assertThat(answer(lan, CONTAINER, 80)).isEqualTo("web");
        assertThat(answer(lan, CONTAINER, 81)).isEmpty();
        assertThat(answer(lan, HOST_ON_LAN, 18080)).as("no host port").isEmpty();
    }
}
