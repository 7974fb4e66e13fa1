package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import io.javanet.netlink.NamespaceLab;
import io.javanet.netlink.ThrowawayNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

    private final NamespaceLab lab = new NamespaceLab();
    private ThrowawayNamespace host;
    private ThrowawayNamespace container;
    private ThrowawayNamespace lan;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() throws IOException {
        host = lab.namespace();
        container = lab.namespace();
        lan = lab.namespace();
        host.exec("ip", "link", "add", "jn-t", "type", "bridge");
        host.exec("ip", "addr", "add", "10.157.0.1/24", "dev", "jn-t");
        host.exec("ip", "link", "set", "jn-t", "up");
        host.exec("ip", "link", "add", "jnv1", "type", "veth", "peer", "name", "eth0", "netns", container.name);
        host.exec("ip", "link", "set", "jnv1", "master", "jn-t", "up");
        container.exec("ip", "addr", "add", CONTAINER + "/24", "dev", "eth0");
        container.exec("ip", "link", "set", "eth0", "up");
        container.exec("ip", "route", "add", "default", "via", "10.157.0.1");
        host.exec("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", lan.name);
        host.exec("ip", "addr", "add", HOST_ON_LAN + "/24", "dev", "lan0");
        host.exec("ip", "link", "set", "lan0", "up");
        lan.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        lan.exec("ip", "link", "set", "eth0", "up");
        lan.exec("ip", "route", "add", SUBNET, "via", HOST_ON_LAN);
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        serve(80, "web");
        serve(81, "unpublished");
        Nftables nft = lab.owned(Nftables.openIn(host.path));
        firewall = new NftFirewall(nft, "javanet");
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    /** A server in the container answering every connection on {@code port} with {@code word}. */
    private void serve(int port, String word) throws IOException {
        Process server = new ProcessBuilder("ip", "netns", "exec", container.name, "busybox", "nc", "-ll", "-p",
                String.valueOf(port), "-e", "echo", word).redirectErrorStream(true).start();
        lab.owned(server::destroyForcibly);
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
        host.exec("iptables", "-P", "FORWARD", "DROP");
        host.exec("iptables", "-N", "DOCKER-USER");
        host.exec("iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        host.exec("iptables", "-A", "FORWARD", "-j", "DOCKER-USER");
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
