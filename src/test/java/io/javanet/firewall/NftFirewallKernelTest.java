package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.PortBinding;
import io.javanet.netlink.ThrowawayNamespace;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our firewall through libnftables, in a namespace of the test's own, checked with nft and iptables-nft. */
@Tag("kernel")
class NftFirewallKernelTest {

    private static List<IPAddress> pools(String... cidrs) {
        return Arrays.stream(cidrs).map(c -> Cidr.parseNetwork("test", c)).toList();
    }

    private static final FirewallNetwork NET_A = new FirewallNetwork("jn-a", false, pools("10.150.0.0/24", "fd00:15::/64"));
    private static final FirewallNetwork NET_B = new FirewallNetwork("jn-b", true, pools("10.151.0.0/24"));
    private static final PortBinding WEB = PortBinding.parse("tcp", "", 18080, "10.150.0.2", 80);
    private static final PortBinding DNS = PortBinding.parse("udp", "127.0.0.1", 5353, "10.150.0.2", 53);

    private ThrowawayNamespace ns;
    private Nftables nft;
    private NftFirewall firewall;

    @BeforeEach
    void setUp() {
        ns = new ThrowawayNamespace();
        nft = Nftables.openIn(ns.path);
        firewall = new NftFirewall(nft, "javanet");
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

    private String ourTable() {
        return inNs("nft", "list", "table", "inet", "javanet");
    }

    @Test
    void networksGoIntoOurSetsAndOneMarkRuleIntoDockerUserInAShapeIptablesReads() {
        dockerLikeFilterTable();
        firewall.addNetwork(NET_A);
        firewall.addNetwork(NET_B);
        firewall.addNetwork(NET_A);
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).isEqualTo(String.join("\n",
                "-N DOCKER-USER", "-A DOCKER-USER -m mark --mark 0x200000/0x200000 -m comment --comment javanet -j ACCEPT",
                "-A DOCKER-USER -j RETURN", ""));
        inNs("iptables", "-C", "DOCKER-USER", "-m", "mark", "--mark", "0x200000/0x200000", "-m", "comment", "--comment",
                "javanet", "-j", "ACCEPT");
        String table = ourTable();
        assertThat(table).contains("\"jn-a\"", "\"jn-b\"", "\"jn-a\" . \"jn-a\"", "10.150.0.0/24", "fd00:15::/64");
        assertThat(table.substring(table.indexOf("set internal"), table.indexOf("set same"))).contains("jn-b").doesNotContain("jn-a");
        assertThat(table.substring(table.indexOf("set masq4"), table.indexOf("set masq6"))).doesNotContain("10.151.0.0/24");

        firewall.removeNetwork(NET_A);
        firewall.removeNetwork(NET_A);
        assertThat(ourTable()).doesNotContain("jn-a").contains("jn-b");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).contains("--mark 0x200000/0x200000");
        firewall.removeNetwork(NET_B);
        assertThat(inNs("nft", "list", "tables")).doesNotContain("javanet");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).isEqualTo("-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n");
    }

    @Test
    void routedEndpointsComeAndGoAndTheLastTakesTheTableWithIt() {
        dockerLikeFilterTable();
        FirewallNetwork routed = new FirewallNetwork("", false, pools("10.152.0.0/24"));
        RoutedLink one = new RoutedLink("jnv1", false, pools("10.152.0.0/24"));
        RoutedLink two = new RoutedLink("jnv2", false, pools("10.152.0.0/24"));
        firewall.addNetwork(routed);
        firewall.addRoutedLink(one);
        firewall.addRoutedLink(two);
        String table = ourTable();
        assertThat(table.substring(table.indexOf("set routed4"), table.indexOf("set routed6")))
                .contains("\"jnv1\" . 10.152.0.0/24", "\"jnv2\" . 10.152.0.0/24");
        assertThat(table.substring(table.indexOf("set bridges"), table.indexOf("set internal"))).contains("jnv1", "jnv2");
        firewall.removeRoutedLink(one);
        firewall.removeRoutedLink(one);
        assertThat(ourTable()).doesNotContain("jnv1").contains("jnv2");
        firewall.removeRoutedLink(two);
        assertThat(ourTable()).as("the network's NAT keeps the table").contains("10.152.0.0/24");
        firewall.removeNetwork(routed);
        assertThat(inNs("nft", "list", "tables")).doesNotContain("javanet");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).doesNotContain("javanet");
        firewall.restore(List.of(routed), List.of(two), List.of());
        assertThat(ourTable()).contains("\"jnv2\" . 10.152.0.0/24");
    }

    @Test
    void publishedPortsAreMapElementsAndUnpublishingTwiceIsFine() {
        firewall.addNetwork(NET_A);
        firewall.publish(List.of(WEB, DNS));
        String table = ourTable();
        assertThat(table).contains("tcp . 18080 : 10.150.0.2 . 80", "127.0.0.1 . udp . 5353 : 10.150.0.2 . 53");
        firewall.unpublish(List.of(WEB));
        firewall.unpublish(List.of(WEB));
        assertThat(ourTable()).doesNotContain("18080").contains("5353");
        assertThatThrownBy(() -> firewall.publish(List.of(PortBinding.parse("tcp", "", 18081, "10.150.0.3", 80),
                PortBinding.parse("tcp", "", 18081, "10.150.0.4", 80))))
                .isInstanceOf(FirewallException.class).hasMessageContaining("nft refused");
        assertThat(ourTable()).doesNotContain("18081");
    }

    @Test
    void restoreReplacesWhateverIsThereAtomically() {
        dockerLikeFilterTable();
        firewall.addNetwork(NET_B);
        firewall.restore(List.of(NET_A), List.of(), List.of(WEB));
        assertThat(ourTable()).contains("jn-a", "18080").doesNotContain("jn-b");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).containsOnlyOnce("--mark 0x200000/0x200000");
        firewall.restore(List.of(), List.of(), List.of());
        assertThat(inNs("nft", "list", "tables")).doesNotContain("javanet");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).doesNotContain("mark");
    }

    @Test
    void whereDockerRunsIp6tablesTheIpv6ChainGetsTheSameRule() {
        dockerLikeFilterTable();
        // Docker 27+: the same chains for IPv6, with FORWARD dropping where Docker enabled IPv6 forwarding.
        inNs("ip6tables", "-P", "FORWARD", "DROP");
        inNs("ip6tables", "-N", "DOCKER-USER");
        inNs("ip6tables", "-A", "DOCKER-USER", "-j", "RETURN");
        inNs("ip6tables", "-A", "FORWARD", "-j", "DOCKER-USER");
        firewall.addNetwork(NET_A);
        firewall.addNetwork(NET_B);
        String rule = "-A DOCKER-USER -m mark --mark 0x200000/0x200000 -m comment --comment javanet -j ACCEPT";
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).containsOnlyOnce(rule);
        assertThat(inNs("ip6tables", "-S", "DOCKER-USER")).containsOnlyOnce(rule);
        assertThat(firewall.dockerFirewallFinding())
                .isEqualTo("marked traffic accepted in ip filter DOCKER-USER and ip6 filter DOCKER-USER");
        firewall.removeNetwork(NET_A);
        firewall.removeNetwork(NET_B);
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).doesNotContain("javanet");
        assertThat(inNs("ip6tables", "-S", "DOCKER-USER")).isEqualTo("-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n");
    }

    @Test
    void dockersNftablesBackendIsRecognisedAndTheWayThroughSaid() {
        // What Docker's nftables backend makes instead of DOCKER-USER (its chains are of no matter here).
        inNs("nft", "add table ip docker-bridges");
        firewall.addNetwork(NET_A);
        assertThat(firewall.dockerFirewallFinding())
                .startsWith("Docker runs its nftables firewall (table ip docker-bridges)")
                .contains("--bridge-accept-fwmark=0x200000/0x200000");
        assertThat(inNs("nft", "list", "tables")).isEqualTo("table ip docker-bridges\ntable inet javanet\ntable bridge javanet\n");
        firewall.removeNetwork(NET_A);
        assertThat(inNs("nft", "list", "tables")).isEqualTo("table ip docker-bridges\n");
    }

    @Test
    void withoutDockersChainOnlyOurTableIsMade() {
        firewall.addNetwork(NET_A);
        assertThat(inNs("nft", "list", "tables")).isEqualTo("table inet javanet\ntable bridge javanet\n");
        assertThat(firewall.dockerFirewallFinding()).contains("Docker's firewall is off");
        firewall.removeNetwork(NET_A);
        assertThat(inNs("nft", "list", "ruleset")).isBlank();
    }

    @Test
    void twoInstancesKeepToTheirOwnTableAndRule() {
        dockerLikeFilterTable();
        NftFirewall other = new NftFirewall(nft, "javanet-it");
        firewall.addNetwork(NET_A);
        other.addNetwork(NET_B);
        other.restore(List.of(), List.of(), List.of());
        assertThat(inNs("nft", "list", "tables")).contains("table inet javanet\n").doesNotContain("javanet-it");
        assertThat(inNs("iptables", "-S", "DOCKER-USER")).contains("--comment javanet ").doesNotContain("javanet-it");
        assertThat(ourTable()).contains("jn-a");
    }

    @Test
    void nftsOwnErrorTextComesBack() {
        assertThatThrownBy(() -> nft.run("test a typo", "add rule ip nosuch chain accept"))
                .isInstanceOf(FirewallException.class)
                .hasMessageStartingWith("test a typo: nft refused \"add rule ip nosuch chain accept\":");
    }

    /** Every golden script is what the kernel's nftables takes, each in a namespace where nothing of ours was. */
    @Test
    void everyGoldenScriptIsAcceptedByTheKernel() {
        NftGolden.scripts().forEach((name, script) -> {
            try (ThrowawayNamespace fresh = new ThrowawayNamespace(); Nftables there = Nftables.openIn(fresh.path)) {
                NftScript ours = new NftScript("javanet");
                Optional<String> start = NftGolden.startingPoint(name);
                if (start.isPresent()) {
                    there.run("what " + name + " changes", start.get());
                } else if (!script.startsWith("table")) {
                    there.run("table for " + name, ours.createTable());
                }
                there.run(name, script);
            }
        });
    }
}
