package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exact nft text of each change. */
class NftScriptTest {

    private static List<IPAddress> pools(String... cidrs) {
        return Arrays.stream(cidrs).map(c -> Cidr.parseNetwork("test", c)).toList();
    }

    private final NftScript script = new NftScript("javanet");

    private static final FirewallNetwork NET = new FirewallNetwork("jn-a", false, pools("10.150.0.0/24", "fd00:15::/64"));

    @Test
    void addingANetworkIsElementsOnly() {
        assertThat(script.addNetwork(NET)).isEqualTo("""
                add element inet javanet bridges { "jn-a" }
                add element inet javanet same { "jn-a" . "jn-a" }
                add element inet javanet subnets4 { 10.150.0.0/24 }
                add element inet javanet masq4 { 10.150.0.0/24 }
                add element inet javanet protected4 { 10.150.0.0/24 }
                add element inet javanet direct4 { "jn-a" . 10.150.0.0/24 }
                add element inet javanet subnets6 { fd00:15::/64 }
                add element inet javanet masq6 { fd00:15::/64 }
                add element inet javanet protected6 { fd00:15::/64 }
                add element inet javanet direct6 { "jn-a" . fd00:15::/64 }
                """);
        assertThat(script.addNetwork(new FirewallNetwork("jn-i", true, pools("10.151.0.0/24")))).isEqualTo("""
                add element inet javanet bridges { "jn-i" }
                add element inet javanet same { "jn-i" . "jn-i" }
                add element inet javanet internal { "jn-i" }
                """);
    }

    @Test
    void removalAddsFirstSoItSucceedsWhenTheElementsAreGone() {
        assertThat(script.removeNetwork(NET)).isEqualTo(script.addNetwork(NET) + """
                delete element inet javanet bridges { "jn-a" }
                delete element inet javanet same { "jn-a" . "jn-a" }
                delete element inet javanet subnets4 { 10.150.0.0/24 }
                delete element inet javanet masq4 { 10.150.0.0/24 }
                delete element inet javanet protected4 { 10.150.0.0/24 }
                delete element inet javanet direct4 { "jn-a" . 10.150.0.0/24 }
                delete element inet javanet subnets6 { fd00:15::/64 }
                delete element inet javanet masq6 { fd00:15::/64 }
                delete element inet javanet protected6 { fd00:15::/64 }
                delete element inet javanet direct6 { "jn-a" . fd00:15::/64 }
                """);
    }

    @Test
    void anSnatAddressIsAMapElementAddedWithItsValueAndDeletedByItsKey() {
        FirewallNetwork snat = new FirewallNetwork("jn-s", false, pools("10.156.0.0/24"), new FirewallNetwork.Policy(true,
                true, new FirewallNetwork.Family(GatewayMode.NAT, true, Optional.of(Cidr.parseHost("to", "192.0.2.7"))),
                FirewallNetwork.Family.NAT, List.of()));
        assertThat(script.removeNetwork(snat))
                .contains("add element inet javanet snat4 { 10.156.0.0/24 : 192.0.2.7 }\n")
                .contains("delete element inet javanet snat4 { 10.156.0.0/24 }\n");
    }

    @Test
    void anAttachedBridgeIsOneElementThatKeepsOurTables() {
        assertThat(script.addNetwork(FirewallNetwork.attached("br-lan"))).isEqualTo("""
                add element inet javanet attached { "br-lan" }
                """);
        assertThat(script.listInUse()).contains("list set inet javanet attached");
    }

    @Test
    void aRoutedNetworkIsItsMasqueradeAndEachEndpointItsVethAndReach() {
        assertThat(script.addNetwork(new FirewallNetwork("", false, pools("10.152.0.0/24")))).isEqualTo("""
                add element inet javanet subnets4 { 10.152.0.0/24 }
                add element inet javanet masq4 { 10.152.0.0/24 }
                add element inet javanet protected4 { 10.152.0.0/24 }
                """);
        RoutedLink link = new RoutedLink("jnv1", false, pools("10.152.0.0/24", "fd00:16::/64"));
        assertThat(script.addRoutedLink(link)).isEqualTo("""
                add element inet javanet bridges { "jnv1" }
                add element inet javanet routed4 { "jnv1" . 10.152.0.0/24 }
                add element inet javanet direct4 { "jnv1" . 10.152.0.0/24 }
                add element inet javanet routed6 { "jnv1" . fd00:16::/64 }
                add element inet javanet direct6 { "jnv1" . fd00:16::/64 }
                """);
        assertThat(script.removeRoutedLink(new RoutedLink("jnv2", true, pools("10.153.0.0/24")))).isEqualTo("""
                add element inet javanet bridges { "jnv2" }
                add element inet javanet internal { "jnv2" }
                add element inet javanet routed4 { "jnv2" . 10.153.0.0/24 }
                add element inet javanet direct4 { "jnv2" . 10.153.0.0/24 }
                delete element inet javanet bridges { "jnv2" }
                delete element inet javanet internal { "jnv2" }
                delete element inet javanet routed4 { "jnv2" . 10.153.0.0/24 }
                delete element inet javanet direct4 { "jnv2" . 10.153.0.0/24 }
                """);
    }

    @Test
    void routedReachWithinANetworkIsAcceptedBeforeIsolationDrops() {
        String table = script.createTable();
        int reach = table.indexOf("iifname . ip daddr @routed4 oifname @bridges meta mark set");
        int isolation = table.indexOf("iifname @bridges oifname @bridges iifname . oifname != @same drop");
        int internal = table.indexOf("iifname @internal iifname . oifname != @same drop");
        assertThat(reach).isPositive().isLessThan(isolation).isLessThan(internal);
    }

    @Test
    void portsGoToTheMapOfTheirFamilyAndHostAddress() {
        List<PortBinding> ports = List.of(PortBinding.parse("tcp", "", 18080, "10.150.0.2", 80),
                PortBinding.parse("udp", "127.0.0.1", 5353, "10.150.0.2", 53),
                PortBinding.parse("tcp", "", 18080, "fd00:15::2", 80));
        assertThat(script.publish(ports)).isEqualTo("""
                add element inet javanet published4 { 10.150.0.2 . tcp . 80 }
                add element inet javanet ports4 { tcp . 18080 : 10.150.0.2 . 80 }
                add element inet javanet published4 { 10.150.0.2 . udp . 53 }
                add element inet javanet ports4host { 127.0.0.1 . udp . 5353 : 10.150.0.2 . 53 }
                add element inet javanet published6 { fd00:15::2 . tcp . 80 }
                add element inet javanet ports6 { tcp . 18080 : fd00:15::2 . 80 }
                """);
        assertThat(script.unpublish(ports.subList(0, 1))).isEqualTo("""
                add element inet javanet published4 { 10.150.0.2 . tcp . 80 }
                add element inet javanet ports4 { tcp . 18080 : 10.150.0.2 . 80 }
                delete element inet javanet published4 { 10.150.0.2 . tcp . 80 }
                delete element inet javanet ports4 { tcp . 18080 }
                """);
    }

    @Test
    void aContainerPortTwoHostPortsLeadToIsOneElementAndADirectBindingHasNoHostPort() {
        List<PortBinding> ports = List.of(PortBinding.parse("tcp", "", 18080, "10.150.0.2", 80),
                PortBinding.parse("tcp", "127.0.0.1", 18081, "10.150.0.2", 80), PortBinding.parse("tcp", "", 0, "10.150.0.3", 80));
        assertThat(script.unpublish(ports)).isEqualTo("""
                add element inet javanet published4 { 10.150.0.2 . tcp . 80 }
                add element inet javanet ports4 { tcp . 18080 : 10.150.0.2 . 80 }
                add element inet javanet ports4host { 127.0.0.1 . tcp . 18081 : 10.150.0.2 . 80 }
                add element inet javanet published4 { 10.150.0.3 . tcp . 80 }
                delete element inet javanet published4 { 10.150.0.2 . tcp . 80 }
                delete element inet javanet ports4 { tcp . 18080 }
                delete element inet javanet ports4host { 127.0.0.1 . tcp . 18081 }
                delete element inet javanet published4 { 10.150.0.3 . tcp . 80 }
                """);
    }

    @Test
    void recreateIsOneScriptThatDropsAndRebuildsOurTable() {
        String text = script.recreate(List.of(NET), List.of(), List.of(PortBinding.parse("tcp", "", 18080, "10.150.0.2", 80)));
        assertThat(text).startsWith("table inet javanet\ndelete table inet javanet\ntable bridge javanet\ndelete table bridge javanet\n"
                + "table inet javanet {\n");
        assertThat(text).endsWith(script.addNetwork(NET) + "add element inet javanet published4 { 10.150.0.2 . tcp . 80 }\n"
                + "add element inet javanet ports4 { tcp . 18080 : 10.150.0.2 . 80 }\n");
    }

    @Test
    void isolationDropsComeBeforeTheMarkThatLetsTrafficPastDocker() {
        String table = script.createTable();
        int replies = table.indexOf("ct state established,related");
        int isolation = table.indexOf("iifname @bridges oifname @bridges iifname . oifname != @same drop");
        int mark = table.indexOf("iifname @bridges meta mark set meta mark | 0x00200000");
        assertThat(replies).isPositive().isLessThan(isolation);
        assertThat(isolation).isLessThan(mark);
        assertThat(script.acceptMarked("ip6 filter DOCKER-USER"))
                .isEqualTo("insert rule ip6 filter DOCKER-USER meta mark & 0x00200000 == 0x00200000 counter accept comment \"javanet\"");
    }

    @Test
    void theInstanceNamesTheTable() {
        assertThat(new NftScript("javanet-it").addNetwork(NET)).startsWith("add element inet javanet-it bridges");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NftScript("bad name;"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
