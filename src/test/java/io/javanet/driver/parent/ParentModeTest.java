package io.javanet.driver.parent;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.network.StaticRoute;
import io.javanet.driver.DriverTestBase;
import io.javanet.kernel.Errno;
import io.javanet.kernel.MemoryKernel;
import io.javanet.net.MacAddress;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Macvlan and ipvlan networks: sub-interfaces of a parent, and VLAN parents javanet makes. */
class ParentModeTest extends DriverTestBase {

    @Test
    void macvlanNetworksHaveNoBridgeAndGiveEachEndpointASubInterfaceOfTheParent() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")),
                "10.210.50.0/24", "10.210.50.1/24"));
        assertThat(kernel.linkNames()).containsExactly("lan0");
        assertThat(firewall.networks()).isEmpty();
        CreateEndpointResponse created = endpoint(EP, "10.210.50.2/24", "", Map.of());
        assertThat(created.endpointInterface().macAddress()).isEqualTo("02:42:0a:d2:32:02");
        MemoryKernel.HeldLink link = kernel.link("jnm0caf3d83e0f0").orElseThrow();
        assertThat(link.kind()).isEqualTo("macvlan");
        assertThat(link.peer()).isEqualTo("lan0");
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.interfaceName().srcName()).isEqualTo("jnm0caf3d83e0f0");
        assertThat(join.gateway()).isEqualTo("10.210.50.1");
        driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, EP,
                Map.of("com.docker.network.portmap", List.of(port(6, "", 8080, 8080, 80)))));
        assertThat(firewall.ports()).isEmpty();
        driver.leave(new EndpointRequest(NET, EP));
        driver.deleteEndpoint(new EndpointRequest(NET, EP));
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).containsExactly("lan0");
        assertThat(store.read(Tx::networks)).isEmpty();
    }

    @Test
    void macvlanOptionsAreCheckedAndConflictsRefused() {
        kernel.addForeignBridge("lan0");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan")),
                "10.210.50.0/24", "")))).hasMessageStartingWith("-o parent: required with -o javanet.mode=macvlan");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "nosuch0")), "10.210.50.0/24", "")))).hasMessage("-o parent: there is no link named nosuch0 on the host");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0", "macvlan_mode", "turbo")), "10.210.50.0/24", ""))))
                .hasMessageStartingWith("-o macvlan_mode: unknown mode \"turbo\"");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("parent", "lan0")),
                "10.210.50.0/24", "")))).hasMessage("-o parent: only for -o javanet.mode=macvlan or ipvlan or attach, not bridge");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")), "10.210.50.0/24", ""));
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0", "macvlan_mode", "private")), "10.210.51.0/24", ""))).getMessage())
                .startsWith("-o parent: lan0 already carries network " + NET + " in macvlan mode bridge, not macvlan mode private");
        driver.createNetwork(network("n3", options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")), "10.210.52.0/24", ""));
        assertThat(store.read(Tx::networks)).hasSize(2);
    }

    @Test
    void ipvlanNetworksGiveEachEndpointAnIpvlanWithoutAMac() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan", "parent", "lan0")),
                "10.210.70.0/24", "10.210.70.1/24"));
        assertThat(kernel.linkNames()).containsExactly("lan0");
        CreateEndpointResponse created = endpoint(EP, "10.210.70.2/24", "", Map.of());
        assertThat(created.endpointInterface().macAddress()).isNull();
        MemoryKernel.HeldLink link = kernel.link("jnm0caf3d83e0f0").orElseThrow();
        assertThat(link.kind()).isEqualTo("ipvlan");
        assertThat(link.peer()).isEqualTo("lan0");
        assertThat(driver.join(new JoinRequest(NET, EP, "/x", Map.of())).gateway()).isEqualTo("10.210.70.1");
        assertThat(failure(() -> endpoint("ep2", "10.210.70.3/24", "02:00:00:00:00:01", Map.of())))
                .hasMessageStartingWith("Interface.MacAddress: 02:00:00:00:00:01 cannot be set");
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).containsExactly("lan0");
    }

    @Test
    void ipvlanL3RoutesEverythingOutOfTheParentWithoutAGateway() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan", "parent", "lan0",
                "ipvlan_mode", "l3")), "10.210.71.0/24", "10.210.71.1/24"));
        endpoint(EP, "10.210.71.2/24", "", Map.of());
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/x", Map.of()));
        assertThat(join.gateway()).isNull();
        assertThat(join.staticRoutes()).containsExactly(new StaticRoute("0.0.0.0/0", StaticRoute.CONNECTED, null));
        assertThat(join.disableGatewayService()).isTrue();
    }

    @Test
    void dockersIpvlanFlagIsHonouredAsBridgeAndRefusedByNameOtherwise() {
        kernel.addForeignBridge("lan0");
        for (String flag : List.of("private", "vepa")) {
            assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan",
                    "parent", "lan0", "ipvlan_flag", flag)), "10.210.73.0/24", "10.210.73.1/24"))))
                    .hasMessageStartingWith("-o ipvlan_flag=" + flag + ": ");
        }
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0", "ipvlan_flag", "bridge")), "10.210.73.0/24", "10.210.73.1/24"))))
                .hasMessage("-o ipvlan_flag: only for -o javanet.mode=ipvlan, not macvlan");
        assertThat(kernel.linkNames()).containsExactly("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan", "parent", "lan0",
                "ipvlan_flag", "bridge")), "10.210.73.0/24", "10.210.73.1/24"));
        assertThat(storedNetwork(NET)).isPresent();
    }

    @Test
    void ipvlanIsRefusedAtCreateWhereTheKernelCannotMakeOneAndConflictsWithMacvlan() {
        kernel.addForeignBridge("lan0");
        kernel.ipvlanSupported = false;
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan",
                "parent", "lan0")), "10.210.72.0/24", ""))).getMessage())
                .startsWith("-o javanet.mode=ipvlan: this host cannot make an ipvlan on lan0 (RTM_NEWLINK ipvlan");
        assertThat(kernel.linkNames()).containsExactly("lan0");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan",
                "parent", "lan0", "ipvlan_mode", "l4")), "10.210.72.0/24", ""))))
                .hasMessage("-o ipvlan_mode: unknown mode \"l4\" (supported: l2, l3)");
        kernel.ipvlanSupported = true;
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")),
                "10.210.72.0/24", ""));
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of("javanet.mode", "ipvlan",
                "parent", "lan0")), "10.210.73.0/24", ""))).getMessage())
                .startsWith("-o parent: lan0 already carries network " + NET + " in macvlan mode bridge, not ipvlan mode l2");
        assertThat(store.read(Tx::networks)).hasSize(1);
    }

    @Test
    void aVlanParentIsMadeForTheFirstNetworkOnItAndRemovedWithTheLast() {
        kernel.addForeignBridge("lan0");
        Map<String, String> onVlan = Map.of("javanet.mode", "macvlan", "parent", "lan0.20");
        driver.createNetwork(network(NET, options(false, onVlan), "10.210.74.0/24", ""));
        MemoryKernel.HeldLink vlan = kernel.link("lan0.20").orElseThrow();
        assertThat(vlan.kind()).isEqualTo("vlan");
        assertThat(vlan.peer()).isEqualTo("lan0");
        assertThat(vlan.up()).isTrue();
        assertThat(vlan.owned()).isTrue();
        driver.createNetwork(network("n2", options(false, onVlan), "10.210.75.0/24", ""));
        endpoint(EP, "10.210.74.2/24", "", Map.of());
        assertThat(kernel.link("jnm0caf3d83e0f0").orElseThrow().peer()).isEqualTo("lan0.20");

        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.exists("lan0.20")).as("still carries n2").isTrue();
        assertThat(driver.reconcile()).isZero();
        assertThat(kernel.exists("lan0.20")).as("reconcile keeps a parent in use").isTrue();
        kernel.delete("lan0.20");
        assertThat(driver.reconcile()).isEqualTo(1);
        assertThat(kernel.link("lan0.20").orElseThrow().kind()).isEqualTo("vlan");
        driver.deleteNetwork(new NetworkRequest("n2"));
        assertThat(kernel.linkNames()).containsExactly("lan0");
    }

    @Test
    void aParentThatIsNeitherALinkNorAVlanOfOneIsRefused() {
        kernel.addForeignBridge("lan0");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan9.20")), "10.210.76.0/24", ""))))
                .hasMessage("-o parent: there is no link named lan9.20 on the host, nor lan9 to make it a VLAN of");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0.4095")), "10.210.76.0/24", ""))))
                .hasMessage("-o parent: there is no link named lan0.4095 on the host");
        kernel.failOn("add vlan", Errno.EBUSY);
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0.30")), "10.210.76.0/24", ""))).getMessage())
                .startsWith("-o parent: cannot make lan0.30, VLAN 30 on lan0 (injected add vlan");
        kernel.stopFailing();
        kernel.ipvlanSupported = false;
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan",
                "parent", "lan0.30")), "10.210.76.0/24", ""))).getMessage()).contains("cannot make an ipvlan on lan0.30");
        assertThat(kernel.linkNames()).as("the VLAN made for the refused network is gone").containsExactly("lan0");
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(store.read(Tx::linkIntents)).isEmpty();
    }

    @Test
    void reconcileRecreatesAMissingMacvlanOfAnUnjoinedEndpoint() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")),
                "10.210.50.0/24", "10.210.50.1/24"));
        endpoint(EP, "10.210.50.2/24", "", Map.of());
        kernel.delete("jnm0caf3d83e0f0");
        assertThat(driver.reconcile()).isEqualTo(1);
        assertThat(kernel.link("jnm0caf3d83e0f0")).map(MemoryKernel.HeldLink::kind).contains("macvlan");
        assertThat(kernel.exists("lan0")).isTrue();
    }
}
