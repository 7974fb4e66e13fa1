package io.javanet.driver.bridge;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.IpamData;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.driver.DriverTestBase;
import io.javanet.firewall.FirewallException;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.MemoryKernel;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.PortBinding;
import io.javanet.net.Protocol;
import io.javanet.net.Subnet;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bridge networks: the bridge, veths on it, gateways, published ports. */
class BridgeModeTest extends DriverTestBase {


    @Test
    void createNetworkMakesAnUpBridgeWithTheGatewayAndRemembersIt() {
        createDefaultNetwork();
        MemoryKernel.HeldLink bridge = kernel.link("jn-3db071b3a55c").orElseThrow();
        assertThat(bridge.kind()).isEqualTo("bridge");
        assertThat(bridge.up()).isTrue();
        assertThat(bridge.mtu()).isEqualTo(1500);
        assertThat(bridge.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "10.123.0.1/24"));
        assertThat(firewall.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(firewall.networks().get("jn-3db071b3a55c").subnets()).map(IPAddress::toCanonicalString)
                .containsExactly("10.123.0.0/24");
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/ip_forward", "1")
                .containsEntry("net/ipv4/conf/jn-3db071b3a55c/route_localnet", "1");
        NetworkRecord stored = storedNetwork(NET).orElseThrow();
        assertThat(stored.subnets()).containsExactly(Subnet.parse("10.123.0.0/24", "10.123.0.1/24"));
        assertThat(stored.generic()).containsEntry("foo", "bar");
    }

    @Test
    void bridgeNameAndMtuOptionsAreHonoured() {
        driver.createNetwork(network(NET, options(false, Map.of("com.docker.network.bridge.name", "xx0",
                "com.docker.network.driver.mtu", "1400")), "10.1.0.0/24", "10.1.0.1/24"));
        assertThat(kernel.link("xx0")).map(MemoryKernel.HeldLink::mtu).contains(1400);
        endpoint(EP, "10.1.0.2/24", "", Map.of());
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.HeldLink::mtu).contains(1400);
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.HeldLink::master).contains("xx0");
    }

    @Test
    void createNetworkFailingHalfWayRemovesTheBridge() {
        kernel.failOn("setUp", Errno.EBUSY);
        assertThatThrownBy(this::createDefaultNetwork).isInstanceOf(KernelException.class).hasMessageContaining("EBUSY");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(store.read(Tx::networks)).isEmpty();
        kernel.stopFailing();
        createDefaultNetwork();
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
    }

    @Test
    void aFirewallRefusalUndoesTheBridge() {
        firewall.refuse = true;
        assertThatThrownBy(this::createDefaultNetwork).isInstanceOf(FirewallException.class)
                .hasMessageContaining("firewall rules of jn-3db071b3a55c");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(storedNetwork(NET)).isEmpty();
    }

    @Test
    void aFailedCommitAfterTheFirewallStepUndoesItsRulesAndTheBridge() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("javanet.db"));
             var s = c.createStatement()) {
            s.execute("CREATE TRIGGER fail BEFORE INSERT ON networks BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
        }
        assertThatThrownBy(this::createDefaultNetwork).hasMessageContaining("disk on fire");
        assertThat(firewall.networks()).isEmpty();
        assertThat(kernel.linkNames()).isEmpty();
    }

    @Test
    void endpointGetsAVethOnTheBridgeWithDockersMacOrOneDerivedFromItsAddress() {
        createDefaultNetwork();
        CreateEndpointResponse derived = endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(derived.endpointInterface().macAddress()).isEqualTo("02:42:0a:7b:00:02");
        MemoryKernel.HeldLink host = kernel.link("jnv0caf3d83e0f0").orElseThrow();
        assertThat(host.master()).isEqualTo("jn-3db071b3a55c");
        assertThat(host.up()).isTrue();
        assertThat(kernel.link("jnc0caf3d83e0f0").orElseThrow().mac()).contains(MacAddress.parse("02:42:0a:7b:00:02"));

        CreateEndpointResponse given = endpoint("ep2", "10.123.0.50/24", "02:42:0a:7b:00:32",
                Map.of("com.docker.network.endpoint.macaddress", "AkIKewAy"));
        assertThat(given.endpointInterface().macAddress()).isNull();
        assertThat(kernel.link("jncep2").orElseThrow().mac()).contains(MacAddress.parse("02:42:0a:7b:00:32"));

        endpoint("ep3", "10.123.0.51/24", "", Map.of("com.docker.network.endpoint.macaddress", "AkIKewAz"));
        assertThat(kernel.link("jncep3").orElseThrow().mac()).contains(MacAddress.parse("02:42:0a:7b:00:33"));
    }

    @Test
    void aVethTheKernelRefusesLeavesNoLinkRecordOrIntent() {
        createDefaultNetwork();
        kernel.failOn("add veth", Errno.EBUSY);
        assertThatThrownBy(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())).isInstanceOf(KernelException.class);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(store.read(Tx::linkIntents)).isEmpty();
    }

    @Test
    void anEndpointVethIsMadeOnTheBridgeAndUpInOneKernelCall() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        MemoryKernel.HeldLink veth = kernel.link("jnv0caf3d83e0f0").orElseThrow();
        assertThat(veth.master()).isEqualTo("jn-3db071b3a55c");
        assertThat(veth.up()).isTrue();
    }

    @Test
    void aFullBridgeIsSaidToBeFullAndNoVethIsLeft() {
        createDefaultNetwork();
        kernel.failOn("add veth", Errno.EXFULL);
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())))
                .hasMessage("network " + NET + " is full: its bridge jn-3db071b3a55c has the 1024 ports the kernel allows"
                        + " a bridge (a routed network has no such limit)");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        assertThat(storedEndpoint(EP)).isEmpty();
    }

    @Test
    void joinReturnsTheVethAndGatewayAndRemembersTheSandbox() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/d58f63c0e4ef", Map.of()));
        assertThat(join.interfaceName().srcName()).isEqualTo("jnc0caf3d83e0f0");
        assertThat(join.interfaceName().dstPrefix()).isEqualTo("eth");
        assertThat(join.gateway()).isEqualTo("10.123.0.1");
        assertThat(join.disableGatewayService()).isFalse();
        assertThat(storedEndpoint(EP)).map(EndpointRecord::sandboxKey)
                .contains("/var/run/docker/netns/d58f63c0e4ef");
        assertThat(failure(() -> driver.join(new JoinRequest(NET, EP, "", Map.of())))).hasMessage("SandboxKey: missing");
    }

    @Test
    void leavingAndRevokingNothingPublishedCommitNothing() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/d58f63c0e4ef", Map.of()));
        EndpointRecord joined = storedEndpoint(EP).orElseThrow();
        long commits = store.commits();
        driver.revokeExternalConnectivity(new EndpointRequest(NET, EP));
        driver.leave(new EndpointRequest(NET, EP));
        assertThat(store.commits()).isEqualTo(commits);
        assertThat(storedEndpoint(EP)).contains(joined);
        assertThat(failure(() -> driver.leave(new EndpointRequest(NET, "ep-unknown"))))
                .hasMessage("EndpointID: unknown endpoint ep-unknown");
    }

    @Test
    void internalNetworksGiveNoGatewayAndNoGatewayService() {
        driver.createNetwork(network(NET, options(true, Map.of()), "10.1.0.0/24", "10.1.0.1/24"));
        endpoint(EP, "10.1.0.2/24", "", Map.of());
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isNull();
        assertThat(join.disableGatewayService()).isTrue();
    }

    @Test
    void dualStackJoinGivesBothGateways() {
        driver.createNetwork(new CreateNetworkRequest(NET, Map.of("com.docker.network.enable_ipv6", true),
                List.of(new IpamData("s", "10.126.0.0/24", "10.126.0.1/24", null)),
                List.of(new IpamData("s", "fd00:2::/64", "fd00:2::1/64", null))));
        driver.createEndpoint(new CreateEndpointRequest(NET, EP, new EndpointInterface("10.126.0.2/24", "fd00:2::2/64", ""), null));
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", null));
        assertThat(join.gateway()).isEqualTo("10.126.0.1");
        assertThat(join.gatewayIpv6()).isEqualTo("fd00:2::1");
        assertThat(kernel.link("jn-3db071b3a55c").orElseThrow().addresses()).hasSize(2);
    }

    @Test
    void publishedPortsAreProgrammedRememberedAndRevoked() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 8080, 8080, 80), port(17, "127.0.0.1", 5353, 5353, 53)));
        List<PortBinding> expected = List.of(PortBinding.parse("tcp", "", 8080, "10.123.0.2", 80),
                PortBinding.parse("udp", "127.0.0.1", 5353, "10.123.0.2", 53));
        assertThat(firewall.ports()).isEqualTo(expected);
        assertThat(storedEndpoint(EP).orElseThrow().portMap()).isEqualTo(expected);
        program(EP, List.of(port(6, "", 8080, 8080, 80), port(17, "127.0.0.1", 5353, 5353, 53)));
        assertThat(firewall.ports()).isEqualTo(expected);
        driver.revokeExternalConnectivity(new EndpointRequest(NET, EP));
        assertThat(firewall.ports()).isEmpty();
        assertThat(storedEndpoint(EP).orElseThrow().portMap()).isEmpty();
    }

    @Test
    void hostPortsAreChosenWhereDockerLeftTheChoiceAndClashesAreRefused() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        program(EP, List.of(port(6, "", 0, 0, 80), port(6, "", 9000, 9002, 81)));
        assertThat(firewall.ports()).extracting(PortBinding::hostPort).containsExactly(49153, 9000);
        program("ep2", List.of(port(6, "", 9000, 9002, 81), port(6, "", 0, 0, 80)));
        assertThat(storedEndpoint("ep2").orElseThrow().portMap()).extracting(PortBinding::hostPort).containsExactly(9001, 49154);
        assertThat(failure(() -> program("ep2", List.of(port(6, "127.0.0.1", 9000, 9000, 82)))))
                .hasMessageStartingWith("com.docker.network.portmap[0]: host port 9000/tcp on 127.0.0.1 is already published");
        assertThat(storedEndpoint("ep2").orElseThrow().portMap()).hasSize(2);
        program("ep2", List.of(port(17, "", 9000, 9000, 82)));
        assertThat(storedEndpoint("ep2").orElseThrow().portMap()).extracting(PortBinding::proto).containsExactly(Protocol.UDP);
    }

    @Test
    void badPortMapsNameTheEntryAndField() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(failure(() -> program(EP, List.of(port(1, "", 80, 80, 80)))).getMessage())
                .startsWith("com.docker.network.portmap[0].Proto: 1 is not tcp (6), udp (17) or sctp (132)");
        assertThat(failure(() -> program(EP, List.of(port(6, "", 70000, 70000, 80)))).getMessage())
                .startsWith("com.docker.network.portmap[0].HostPort: 70000 is not a port number");
        assertThat(failure(() -> program(EP, List.of(port(6, "", 80, 80, 0)))).getMessage())
                .startsWith("com.docker.network.portmap[0].Port: 0 is not a port number");
        assertThat(failure(() -> program(EP, List.of(port(6, "::1", 80, 80, 80)))).getMessage())
                .contains("has no IPv6 address to publish to");
        assertThat(failure(() -> program(EP, List.of(port(6, "not-an-ip", 80, 80, 80)))).getMessage())
                .startsWith("com.docker.network.portmap[0].HostIP: \"not-an-ip\"");
        assertThat(failure(() -> driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, EP,
                Map.of("com.docker.network.portmap", "8080:80")))).getMessage())
                .startsWith("Options.com.docker.network.portmap: expected a list");
        assertThat(firewall.ports()).isEmpty();
    }

    @Test
    void dualStackEndpointsPublishOnBothFamilies() {
        driver.createNetwork(new CreateNetworkRequest(NET, Map.of("com.docker.network.enable_ipv6", true),
                List.of(new IpamData("s", "10.126.0.0/24", "10.126.0.1/24", null)),
                List.of(new IpamData("s", "fd00:2::/64", "fd00:2::1/64", null))));
        driver.createEndpoint(new CreateEndpointRequest(NET, EP, new EndpointInterface("10.126.0.2/24", "fd00:2::2/64", ""), null));
        program(EP, List.of(port(6, "", 8080, 8080, 80)));
        assertThat(firewall.ports()).containsExactly(PortBinding.parse("tcp", "", 8080, "10.126.0.2", 80),
                PortBinding.parse("tcp", "", 8080, "fd00:2::2", 80));
        assertThat(kernel.sysctls()).containsEntry("net/ipv6/conf/all/forwarding", "1");
    }

    @Test
    void aFirewallRefusalToPublishChangesNothing() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        firewall.refuse = true;
        assertThatThrownBy(() -> program(EP, List.of(port(6, "", 8080, 8080, 80)))).isInstanceOf(FirewallException.class);
        assertThat(storedEndpoint(EP).orElseThrow().portMap()).isEmpty();
    }

    @Test
    void reconcileGivesTheFirewallExactlyTheStoredState() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 8080, 8080, 80)));
        RecordingFirewall fresh = new RecordingFirewall();
        localDriver(store, fresh).reconcile();
        assertThat(fresh.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(fresh.ports()).containsExactly(PortBinding.parse("tcp", "", 8080, "10.123.0.2", 80));
    }

    @Test
    void reconcileRestoresAGatewayAddressAndARemovedMaster() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        kernel.removeAddress("jn-3db071b3a55c", Cidr.parseInterfaceAddress("t", "10.123.0.1/24"));
        kernel.addForeignBridge("elsewhere");
        kernel.setMaster("jnv0caf3d83e0f0", "elsewhere");
        assertThat(driver.reconcile()).isEqualTo(2);
        assertThat(kernel.link("jn-3db071b3a55c").orElseThrow().addresses()).hasSize(1);
        assertThat(kernel.master("jnv0caf3d83e0f0")).contains("jn-3db071b3a55c");
    }
}
