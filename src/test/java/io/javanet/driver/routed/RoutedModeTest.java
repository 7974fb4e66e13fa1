package io.javanet.driver.routed;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.IpamData;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.network.StaticRoute;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.ModeSection;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.kernel.MemoryKernel;
import io.javanet.net.Cidr;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routed networks: a veth per endpoint with the link-local gateway, proxy ARP, a host route and rules. */
class RoutedModeTest extends DriverTestBase {

    @Test
    void routedNetworksGiveEachEndpointAVethWithProxyArpTheLinkLocalGatewayAndARoute() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.60.0/24", "10.210.60.1/24"));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).containsOnlyKeys("routed [10.210.60.0/24]");
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/ip_forward", "1");

        endpoint(EP, "10.210.60.2/24", "", Map.of());
        MemoryKernel.HeldLink veth = kernel.link(ROUTED_VETH).orElseThrow();
        assertThat(veth.kind()).isEqualTo("veth");
        assertThat(veth.master()).isNull();
        assertThat(veth.up()).isTrue();
        assertThat(veth.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "169.254.1.1/32"));
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/conf/" + ROUTED_VETH + "/proxy_arp", "1")
                .containsEntry("net/ipv4/neigh/" + ROUTED_VETH + "/proxy_delay", "0")
                .containsEntry("net/ipv4/conf/" + ROUTED_VETH + "/route_localnet", "1");
        assertThat(kernel.onLinkRoutes()).containsExactly(Map.entry(Cidr.parseInterfaceAddress("t", "10.210.60.2/32"), ROUTED_VETH));
        assertThat(firewall.routedLinks().get(ROUTED_VETH).subnets()).map(IPAddress::toCanonicalString)
                .containsExactly("10.210.60.0/24");

        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.interfaceName().srcName()).isEqualTo("jnc0caf3d83e0f0");
        assertThat(join.gateway()).isEqualTo("169.254.1.1");
        assertThat(join.staticRoutes()).containsExactly(new StaticRoute("169.254.1.1/32", StaticRoute.CONNECTED, null));
        assertThat(join.disableGatewayService()).isFalse();
        driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, EP,
                Map.of("com.docker.network.portmap", List.of(port(6, "", 8080, 8080, 80)))));
        assertThat(firewall.ports()).hasSize(1);

        driver.leave(new EndpointRequest(NET, EP));
        driver.deleteEndpoint(new EndpointRequest(NET, EP));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(kernel.onLinkRoutes()).isEmpty();
        assertThat(firewall.routedLinks()).isEmpty();
        assertThat(firewall.ports()).isEmpty();
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(firewall.networks()).isEmpty();
        assertThat(store.read(Tx::networks)).isEmpty();
    }

    private String gateway(String network) {
        return ModeSection.read(storedNetwork(network).orElseThrow(), RoutedMode.Section.class).routedGateway();
    }

    @Test
    void eachRoutedNetworkHasItsOwnLinkLocalGatewaySoAContainerCanJoinSeveral() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.65.0/24", "10.210.65.1/24"));
        driver.createNetwork(network("n2", options(false, ROUTED), "10.210.66.0/24", "10.210.66.1/24"));
        assertThat(gateway(NET)).isEqualTo("169.254.1.1");
        assertThat(gateway("n2")).isEqualTo("169.254.2.1");
        driver.createNetwork(network("n2", options(false, ROUTED), "10.210.66.0/24", "10.210.66.1/24"));
        assertThat(gateway("n2")).as("a repeated create changes nothing")
                .isEqualTo("169.254.2.1");
        driver.createEndpoint(new CreateEndpointRequest("n2", "ep2", new EndpointInterface("10.210.66.2/24", "", ""), Map.of()));
        assertThat(kernel.link("jnvep2").orElseThrow().addresses())
                .containsExactly(Cidr.parseInterfaceAddress("t", "169.254.2.1/32"));
        JoinResponse join = driver.join(new JoinRequest("n2", "ep2", "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isEqualTo("169.254.2.1");
        assertThat(join.staticRoutes()).containsExactly(new StaticRoute("169.254.2.1/32", StaticRoute.CONNECTED, null));
        assertThat(firewall.networks()).as("each routed network's NAT, neither replacing the other")
                .containsOnlyKeys("routed [10.210.65.0/24]", "routed [10.210.66.0/24]");
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(firewall.networks()).containsOnlyKeys("routed [10.210.66.0/24]");
        driver.createNetwork(network("n3", options(false, ROUTED), "10.210.67.0/24", ""));
        assertThat(gateway("n3")).as("freed and taken again").isEqualTo("169.254.1.1");
    }

    @Test
    void internalRoutedNetworksHaveNoGatewayAndNoNat() {
        driver.createNetwork(network(NET, options(true, ROUTED), "10.210.61.0/24", ""));
        assertThat(firewall.networks()).isEmpty();
        endpoint(EP, "10.210.61.2/24", "", Map.of());
        assertThat(kernel.link(ROUTED_VETH).orElseThrow().addresses()).isEmpty();
        assertThat(firewall.routedLinks().get(ROUTED_VETH).internal()).isTrue();
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isNull();
        assertThat(join.staticRoutes()).isNull();
        assertThat(join.disableGatewayService()).isTrue();
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.routedLinks()).isEmpty();
    }

    @Test
    void aRoutedNetworkWithoutAReservedGatewayStillGetsItsLinkLocalOne() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.64.0/24", ""));
        endpoint(EP, "10.210.64.1/24", "", null);
        JoinResponse joined = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(joined.gateway()).isEqualTo("169.254.1.1");
    }

    @Test
    void routedNetworksRefuseIpv6AndBridgeOptions() {
        Map<String, Object> ipv6 = options(false, ROUTED);
        assertThat(failure(() -> driver.createNetwork(new CreateNetworkRequest(NET, ipv6,
                List.of(new IpamData("x", "10.210.62.0/24", "", Map.of())),
                List.of(new IpamData("x", "fd00:62::/64", "", Map.of()))))))
                .hasMessage("IPv6Data: routed networks are IPv4 only; use bridge mode for IPv6");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "routed",
                "com.docker.network.bridge.name", "br9")), "10.210.62.0/24", ""))))
                .hasMessage("-o com.docker.network.bridge.name: only for -o javanet.mode=bridge, not routed");
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(firewall.networks()).isEmpty();
    }

    @Test
    void aRoutedEndpointFailingHalfWayLeavesNoVethRouteOrRule() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.63.0/24", "10.210.63.1/24"));
        firewall.refuse = true;
        assertThatThrownBy(() -> endpoint(EP, "10.210.63.2/24", "", Map.of())).hasMessageContaining("injected");
        firewall.refuse = false;
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(kernel.onLinkRoutes()).isEmpty();
        assertThat(firewall.routedLinks()).isEmpty();
        assertThat(storedEndpoint(EP)).isEmpty();
    }

    @Test
    void reconcileRestoresARoutedVethRouteAndRules() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.64.0/24", "10.210.64.1/24"));
        endpoint(EP, "10.210.64.2/24", "", Map.of());
        endpoint("ep2", "10.210.64.3/24", "", Map.of());
        driver.join(new JoinRequest(NET, "ep2", "/var/run/docker/netns/x", Map.of()));
        kernel.delete(ROUTED_VETH);
        kernel.removeOnLinkRoute(Cidr.parseInterfaceAddress("t", "10.210.64.3/32"));
        RecordingFirewall fresh = new RecordingFirewall();
        assertThat(localDriver(store, fresh).reconcile()).isEqualTo(2);
        assertThat(kernel.onLinkRoutes()).containsOnlyKeys(Cidr.parseInterfaceAddress("t", "10.210.64.2/32"),
                Cidr.parseInterfaceAddress("t", "10.210.64.3/32"));
        assertThat(fresh.routedLinks()).containsOnlyKeys(ROUTED_VETH, "jnvep2");
        assertThat(fresh.networks()).containsOnlyKeys("routed [10.210.64.0/24]");
    }
}
