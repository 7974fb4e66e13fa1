package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.firewall.sys.Nftables;
import io.javanet.netlink.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our firewall through libnftables, in a namespace of the test's own that holds a Docker-shaped filter table. */
@Tag("kernel")
class NftFirewallKernelTest {

    private ThrowawayNamespace ns;
    private Nftables nft;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() {
        ns = new ThrowawayNamespace();
        nft = Nftables.openIn(ns.path);
        firewall = new NftFirewall(nft);
    }

    @AfterEach
    void tearDown() {
        if (nft != null) {
            nft.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private String inNs(String... command) {
        String[] full = new String[command.length + 4];
        System.arraycopy(new String[] {"ip", "netns", "exec", ns.name}, 0, full, 0, 4);
        System.arraycopy(command, 0, full, 4, command.length);
        return ThrowawayNamespace.run(full);
    }

    private void dockerLikeFilterTable() {
        // What dockerd leaves through iptables-nft: FORWARD drops, after a jump to DOCKER-USER, which returns.
        inNs("iptables", "-P", "FORWARD", "DROP");
        inNs("iptables", "-N", "DOCKER-USER");
        inNs("iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        inNs("iptables", "-A", "FORWARD", "-j", "DOCKER-USER");
    }

    @Test
    void acceptGoesFirstInDockerUserInAShapeIptablesReads() {
        dockerLikeFilterTable();
        firewall.addNetwork("jn-3db071b3a55c");
        firewall.addNetwork("jn-3db071b3a55c");
        firewall.addNetwork("xx0");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).isEqualTo(String.join("\n",
                "-N DOCKER-USER",
                "-A DOCKER-USER -i xx0 -o xx0 -j ACCEPT",
                "-A DOCKER-USER -i jn-3db071b3a55c -o jn-3db071b3a55c -j ACCEPT",
                "-A DOCKER-USER -j RETURN", ""));
        inNs("iptables", "-C", "DOCKER-USER", "-i", "xx0", "-o", "xx0", "-j", "ACCEPT");

        firewall.removeNetwork("jn-3db071b3a55c");
        firewall.removeNetwork("jn-3db071b3a55c");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).isEqualTo(String.join("\n",
                "-N DOCKER-USER", "-A DOCKER-USER -i xx0 -o xx0 -j ACCEPT", "-A DOCKER-USER -j RETURN", ""));
        firewall.removeNetwork("xx0");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).isEqualTo("-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n");
    }

    @Test
    void withoutDockersChainNothingIsAddedAnywhere() {
        firewall.addNetwork("jn-1");
        firewall.removeNetwork("jn-1");
        assertThat(inNs("nft", "list", "ruleset")).isBlank();
    }

    @Test
    void nftsOwnErrorTextComesBack() {
        assertThatThrownBy(() -> nft.run("test a typo", "add rule ip nosuch chain accept"))
                .isInstanceOf(FirewallException.class)
                .hasMessageStartingWith("test a typo: nft refused \"add rule ip nosuch chain accept\":");
    }
}
