package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.netlink.ThrowawayNamespace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames between two containers on a bridge the user made (an attach network without NAT), sent for real, with
 * Docker's forward policy in place (FORWARD drops, after a jump to DOCKER-USER): whether they pass depends on
 * br_netfilter, which sends bridged frames through that chain, unless our tables mark them.
 */
@Tag("kernel")
class BridgedTrafficKernelTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private ThrowawayNamespace host;
    private ThrowawayNamespace first;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() {
        host = namespace();
        first = namespace();
        ThrowawayNamespace second = namespace();
        in(host, "ip", "link", "add", "br-lan", "type", "bridge");
        in(host, "ip", "link", "set", "br-lan", "up");
        int n = 1;
        for (ThrowawayNamespace container : List.of(first, second)) {
            in(host, "ip", "link", "add", "jnv" + n, "type", "veth", "peer", "name", "eth0", "netns", container.name);
            in(host, "ip", "link", "set", "jnv" + n, "master", "br-lan", "up");
            in(container, "ip", "addr", "add", "192.0.2." + (10 + n) + "/24", "dev", "eth0");
            in(container, "ip", "link", "set", "eth0", "up");
            n++;
        }
        in(host, "iptables", "-P", "FORWARD", "DROP");
        in(host, "iptables", "-N", "DOCKER-USER");
        in(host, "iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        in(host, "iptables", "-A", "FORWARD", "-j", "DOCKER-USER");
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

    /** Whether the first container's ping reaches the second: busybox ping's status, 1 when unanswered. */
    private boolean pingPasses() {
        try {
            return new ProcessBuilder("ip", "netns", "exec", first.name, "busybox", "ping", "-c1", "-W2", "192.0.2.12")
                    .redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "bridge-nf-call-iptables={0}")
    @ValueSource(ints = {0, 1})
    void framesOfOurVethsPassDockersDropPolicyWhateverBrNetfilterSays(int brNetfilter) {
        in(host, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=" + brNetfilter);
        assertThat(pingPasses()).as("without our tables: Docker's policy decides, where br_netfilter shows it the frames")
                .isEqualTo(brNetfilter == 0);
        firewall.addNetwork(FirewallNetwork.attached("br-lan"));
        assertThat(pingPasses()).as("with them").isTrue();
        firewall.removeNetwork(FirewallNetwork.attached("br-lan"));
        assertThat(in(host, "nft", "list", "tables")).as("nothing of ours left, Docker's still there")
                .contains("table ip filter").doesNotContain("javanet");
    }
}
