package io.javanet.driver.bridge;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.Findings;
import io.javanet.driver.LinkNames;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.Cidr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -o javanet.mode=attach}: containers' veths on a bridge the user made and keeps, NAT where asked. */
class AttachModeTest extends DriverTestBase {

    private static final String LAN = "br-lan";
    private static final Map<String, String> ATTACH = Map.of("javanet.mode", "attach", "parent", LAN);
    private static final Map<String, String> ATTACH_NAT = Map.of("javanet.mode", "attach", "parent", LAN, "javanet.nat", "true");

    private void attachNetwork(Map<String, String> generic) {
        driver.createNetwork(network(NET, options(false, generic), "192.168.50.0/24", "192.168.50.1/24"));
    }

    @Test
    void containersVethsGoOnTheUsersBridgeWhichStaysWhenTheNetworkGoes() {
        kernel.addForeignBridge(LAN);
        attachNetwork(ATTACH);
        assertThat(kernel.linkNames()).as("nothing made for the network").containsExactly(LAN);
        assertThat(kernel.sysctls()).as("nothing changed on the bridge").doesNotContainKey("net/ipv4/conf/br-lan/route_localnet");
        assertThat(firewall.networks()).as("no NAT, no isolation unless asked: only the marks that let its frames by")
                .containsOnlyKeys(LAN).containsValue(FirewallNetwork.attached(LAN));
        endpoint(EP, "192.168.50.2/24", "", Map.of());
        String veth = LinkNames.hostVeth(EP);
        assertThat(kernel.link(veth).orElseThrow().master()).isEqualTo(LAN);
        assertThat(driver.join(new JoinRequest(NET, EP, "/x", Map.of())).gateway()).as("the LAN's router")
                .isEqualTo("192.168.50.1");
        assertThat(failure(() -> program(EP, List.of(port(6, "", 8080, 8080, 80)))))
                .hasMessageContaining("-p: network " + NET + " is attached to br-lan without NAT, where nothing is published")
                .hasMessageContaining("-o javanet.nat=true");
        assertThat(firewall.ports()).isEmpty();
        assertThat(driver.status().networks().getFirst().link()).isEqualTo(LAN);

        driver.deleteEndpoint(new io.javanet.api.network.EndpointRequest(NET, EP));
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).as("the user's bridge is never ours to delete").containsExactly(LAN);
    }

    @Test
    void withNatTheNetworkIsIsolatedMasqueradedAndPublishesPortsAsABridgeNetwork() {
        kernel.addForeignBridge(LAN);
        kernel.add(LAN, Cidr.parseInterfaceAddress("gw", "192.168.50.1/24"));
        attachNetwork(ATTACH_NAT);
        assertThat(firewall.networks()).containsOnlyKeys(LAN);
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/ip_forward", "1")
                .as("ports published on 127.0.0.1").containsEntry("net/ipv4/conf/br-lan/route_localnet", "1");
        endpoint(EP, "192.168.50.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 8080, 8080, 80)));
        assertThat(firewall.ports()).hasSize(1);
        assertThat(driver.diagnose().checks()).filteredOn(c -> !c.ok()).isEmpty();
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(firewall.networks()).isEmpty();
        assertThat(kernel.linkNames()).containsExactly(LAN);
    }

    @Test
    void whatCannotBeAttachedToIsRefusedNamingTheOptionAndNothingIsMade() {
        assertThat(failure(() -> attachNetwork(Map.of("javanet.mode", "attach"))))
                .hasMessage("-o parent: required with -o javanet.mode=attach (the bridge to attach containers to)");
        assertThat(failure(() -> attachNetwork(ATTACH))).hasMessage("-o parent: there is no link named br-lan on the"
                + " host: attach mode uses a bridge you made (ip link add br-lan type bridge)");
        kernel.add(new Link.Veth(LinkAttrs.of(LAN, 1500), "br-lan-peer", java.util.Optional.empty()));
        assertThat(failure(() -> attachNetwork(ATTACH))).hasMessage("-o parent: br-lan is a veth link, not a bridge");
        createDefaultNetwork();
        String ours = LinkNames.bridge(NET);
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of("javanet.mode", "attach",
                "parent", ours)), "192.168.51.0/24", "192.168.51.1/24"))))
                .hasMessage("-o parent: " + ours + " is a bridge javanet made for another network");
        kernel.addForeignBridge("br-other");
        assertThat(failure(() -> driver.createNetwork(network("n3", options(false, Map.of("javanet.mode", "attach",
                "parent", "br-other", "javanet.nat", "true")), "192.168.52.0/24", "192.168.52.1/24"))))
                .hasMessage("-o javanet.nat: bridge br-other does not hold the gateway 192.168.52.1/24 its containers would"
                        + " route through: add it (ip address add 192.168.52.1/24 dev br-other), or leave NAT out");
        assertThat(failure(() -> driver.createNetwork(network("n4", options(false, Map.of("javanet.nat", "true")),
                "192.168.53.0/24", "192.168.53.1/24")))).hasMessage("-o javanet.nat: only for -o javanet.mode=attach, not bridge");
        assertThat(storedNetwork("n2")).isEmpty();
        assertThat(storedNetwork("n3")).isEmpty();
        assertThat(storedNetwork("n4")).isEmpty();
    }

    @Test
    void aVethOffTheBridgeIsPutBackAndAMissingBridgeIsNamedNotMade() {
        kernel.addForeignBridge(LAN);
        attachNetwork(ATTACH);
        endpoint(EP, "192.168.50.2/24", "", Map.of());
        String veth = LinkNames.hostVeth(EP);
        kernel.addForeignBridge("elsewhere");
        kernel.setMaster(veth, "elsewhere");
        driver.reconcile();
        assertThat(kernel.link(veth).orElseThrow().master()).isEqualTo(LAN);

        kernel.delete(LAN);
        driver.reconcile();
        assertThat(kernel.link(LAN)).as("the user's to make again").isEmpty();
        assertThat(driver.diagnose().checks()).filteredOn(c -> !c.ok()).extracting(Check::check, Check::fix)
                .contains(org.assertj.core.groups.Tuple.tuple("bridge", "make the bridge again (javanet never makes it), then "
                        + Findings.RESTART_PLUGIN));
    }
}
