package io.javanet.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.kernel.Errno;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.Cidr;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@code docker javanet doctor}'s plugin half: a healthy host passes every check; each fault someone can make by
 * hand is named, with its fix, and reconciliation (a plugin restart) clears it. Each fault's check is first seen
 * passing, so that a check that is never made cannot pass for a fault that is never found.
 */
class DoctorTest extends DriverTestBase {

    private static final String BRIDGE = LinkNames.bridge(NET);
    private static final String VETH = LinkNames.hostVeth(EP);

    private void bridgeNetworkWithAContainer() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/d58f63c0e4ef", Map.of()));
    }

    private static List<Check> faults(Diagnosis diagnosis) {
        return diagnosis.checks().stream().filter(c -> !c.ok()).toList();
    }

    private static Check passed(Diagnosis diagnosis, String check) {
        return diagnosis.checks().stream().filter(c -> c.ok() && c.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no passed check " + check + " in " + diagnosis.checks()));
    }

    @Test
    void aHealthyBridgeNetworkPassesEveryCheckAndEachIsMade() {
        bridgeNetworkWithAContainer();
        Diagnosis diagnosis = driver.diagnose();
        assertThat(faults(diagnosis)).isEmpty();
        assertThat(diagnosis.healthy()).isTrue();
        assertThat(diagnosis.scope()).isEqualTo("local");
        assertThat(passed(diagnosis, "bridge").network()).isEqualTo(NET);
        assertThat(passed(diagnosis, "gateway").detail()).isEqualTo("10.123.0.1/24 on " + BRIDGE);
        assertThat(passed(diagnosis, "forwarding").detail()).isEqualTo("net.ipv4.ip_forward = 1");
        assertThat(passed(diagnosis, "link").endpoint()).isEqualTo(EP);
        assertThat(passed(diagnosis, "on the bridge").detail()).isEqualTo(VETH + " on " + BRIDGE);
        assertThat(passed(diagnosis, "firewall").detail()).isEqualTo("our table is there");
        assertThat(passed(diagnosis, "docker hook").detail()).isEqualTo("our rule in ip filter DOCKER-USER");
    }

    @Test
    void aDeletedBridgeIsNamedWithItsFixAndARestartClearsIt() {
        bridgeNetworkWithAContainer();
        kernel.delete(BRIDGE);
        Diagnosis diagnosis = driver.diagnose();
        assertThat(faults(diagnosis)).extracting(Check::check).contains("bridge");
        Check bridge = faults(diagnosis).getFirst();
        assertThat(bridge.network()).isEqualTo(NET);
        assertThat(bridge.detail()).isEqualTo(BRIDGE + " is missing: the network's containers are cut off");
        assertThat(bridge.fix()).contains("docker plugin disable -f PLUGIN && docker plugin enable PLUGIN");
        driver.reconcile();
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void aVethOffItsBridgeIsNamedAndARestartPutsItBack() {
        bridgeNetworkWithAContainer();
        kernel.add(new Link.Bridge(LinkAttrs.of("elsewhere", 1500)));
        kernel.setMaster(VETH, "elsewhere");
        assertThat(faults(driver.diagnose())).singleElement().satisfies(c -> {
            assertThat(c.check()).isEqualTo("on the bridge");
            assertThat(c.endpoint()).isEqualTo(EP);
            assertThat(c.detail()).isEqualTo(VETH + " is on elsewhere, not on " + BRIDGE);
        });
        driver.reconcile();
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void aDeletedVethIsNamedAndGoesWithTheEndpointARestartReaps() {
        bridgeNetworkWithAContainer();
        assertThat(passed(driver.diagnose(), "link").detail()).isEqualTo(VETH);
        kernel.delete(VETH);
        assertThat(faults(driver.diagnose())).singleElement().satisfies(c -> {
            assertThat(c.check()).isEqualTo("link");
            assertThat(c.detail()).isEqualTo(VETH + " is missing: the container is cut off from the network");
            assertThat(c.fix()).startsWith("restart the container");
        });
        driver.reconcile();
        driver.reapLeftovers(driver.leftoverEndpoints());
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void forwardingTurnedOffIsNamedWithTheSysctlThatTurnsItOn() {
        bridgeNetworkWithAContainer();
        kernel.setSysctl("net/ipv4/ip_forward", "0");
        assertThat(faults(driver.diagnose())).singleElement().satisfies(c -> {
            assertThat(c.check()).isEqualTo("forwarding");
            assertThat(c.detail()).startsWith("net.ipv4.ip_forward = 0");
            assertThat(c.fix()).isEqualTo("sysctl -w net.ipv4.ip_forward=1");
        });
        driver.reconcile();
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void anInternalNetworkNeedsNoForwarding() {
        driver.createNetwork(network(NET, options(true, Map.of()), "10.123.0.0/24", "10.123.0.1/24"));
        kernel.setSysctl("net/ipv4/ip_forward", "0");
        Diagnosis diagnosis = driver.diagnose();
        assertThat(passed(diagnosis, "bridge").network()).isEqualTo(NET);
        assertThat(diagnosis.checks()).extracting(Check::check).doesNotContain("forwarding");
    }

    @Test
    void ourRuleGoneFromDockerUserAndOurTableGoneAreNamed() {
        bridgeNetworkWithAContainer();
        firewall.dockerUserRuleDeleted = true;
        firewall.tableDeleted = true;
        assertThat(faults(driver.diagnose())).extracting(Check::check, Check::detail).containsExactly(
                Tuple.tuple("firewall", "our nftables table is missing: no isolation, NAT or"
                        + " published ports for our networks"),
                Tuple.tuple("docker hook", "ip filter DOCKER-USER has no rule of ours: Docker's"
                        + " forward policy drops our containers' traffic"));
        driver.reconcile();
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void withoutNetworksTheFirewallIsNotNeeded() {
        Diagnosis diagnosis = driver.diagnose();
        assertThat(diagnosis.healthy()).isTrue();
        assertThat(passed(diagnosis, "firewall").detail()).isEqualTo("no network of ours needs it");
    }

    @Test
    void aRoutedContainersMissingRouteIsNamed() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.60.0/24", "10.210.60.1/24"));
        endpoint(EP, "10.210.60.2/24", "", Map.of());
        assertThat(passed(driver.diagnose(), "route").detail()).isEqualTo("10.210.60.2/32 via " + ROUTED_VETH);
        kernel.removeOnLinkRoute(Cidr.parseInterfaceAddress("r", "10.210.60.2/32"));
        assertThat(faults(driver.diagnose())).singleElement().satisfies(c -> {
            assertThat(c.check()).isEqualTo("route");
            assertThat(c.detail()).isEqualTo("no route to 10.210.60.2/32 via " + ROUTED_VETH + ": the host cannot reach the container");
        });
        driver.reconcile();
        assertThat(faults(driver.diagnose())).isEmpty();
    }

    @Test
    void aCheckThatCannotReadTheHostFailsAndTheOthersStillRun() {
        bridgeNetworkWithAContainer();
        kernel.failOn("master", Errno.EBUSY);
        Diagnosis diagnosis = driver.diagnose();
        assertThat(faults(diagnosis)).singleElement().satisfies(c -> {
            assertThat(c.endpoint()).isEqualTo(EP);
            assertThat(c.detail()).startsWith("could not be checked: ");
        });
        assertThat(passed(diagnosis, "bridge").network()).isEqualTo(NET);
    }
}
