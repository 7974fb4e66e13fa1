package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.netlink.NamespaceLab;
import io.javanet.netlink.ThrowawayNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** br_netfilter's settings, there once it is loaded. */
    private static final Path BR_NETFILTER = Path.of("/proc/sys/net/bridge");

    private final NamespaceLab lab = new NamespaceLab();
    private ThrowawayNamespace host;
    private ThrowawayNamespace first;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() {
        host = lab.namespace();
        if (!Files.isDirectory(BR_NETFILTER)) {
            // br_netfilter built as a module (Debian's kernel, in the guest) is not loaded yet: the kernel loads it
            // for a physdev match, as for Docker's rules, through its own modprobe.
            lab.namespace().exec("iptables", "-A", "FORWARD", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT");
            assertThat(BR_NETFILTER).as("br_netfilter loaded").isDirectory();
        }
        first = lab.namespace();
        ThrowawayNamespace second = lab.namespace();
        host.exec("ip", "link", "add", "br-lan", "type", "bridge");
        host.exec("ip", "link", "set", "br-lan", "up");
        int n = 1;
        for (ThrowawayNamespace container : List.of(first, second)) {
            host.exec("ip", "link", "add", "jnv" + n, "type", "veth", "peer", "name", "eth0", "netns", container.name);
            host.exec("ip", "link", "set", "jnv" + n, "master", "br-lan", "up");
            container.exec("ip", "addr", "add", "192.0.2." + (10 + n) + "/24", "dev", "eth0");
            container.exec("ip", "link", "set", "eth0", "up");
            n++;
        }
        host.exec("iptables", "-P", "FORWARD", "DROP");
        host.exec("iptables", "-N", "DOCKER-USER");
        host.exec("iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        host.exec("iptables", "-A", "FORWARD", "-j", "DOCKER-USER");
        Nftables nft = lab.owned(Nftables.openIn(host.path));
        firewall = new NftFirewall(nft, "javanet");
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
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
        host.exec("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=" + brNetfilter);
        assertThat(pingPasses()).as("without our tables: Docker's policy decides, where br_netfilter shows it the frames")
                .isEqualTo(brNetfilter == 0);
        firewall.addNetwork(FirewallNetwork.attached("br-lan"));
        assertThat(pingPasses()).as("with them").isTrue();
        firewall.removeNetwork(FirewallNetwork.attached("br-lan"));
        assertThat(host.exec("nft", "list", "tables")).as("nothing of ours left, Docker's still there")
                .contains("table ip filter").doesNotContain("javanet");
    }
}
