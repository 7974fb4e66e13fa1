package io.javanet.driver;

import static io.javanet.api.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.api.PluginException;
import io.javanet.api.PluginException.Kind;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.GwAllocCheckResponse;
import io.javanet.api.network.IpamData;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.network.StaticRoute;
import io.javanet.firewall.FirewallException;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.ipam.Cidr;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.kernel.MacAddress;
import io.javanet.kernel.MemoryKernel;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.PortBinding;
import io.javanet.store.Store;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkDriverTest {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";
    private static final String EP = "0caf3d83e0f0aa1f0c6a8e6ad2b2d5b5d0b2f6a39f2b0cfa7ce1f4bd1b0a1b2c";

    @TempDir
    Path dir;
    private Store store;
    private MemoryKernel kernel;
    private FlakyLinks links;
    private RecordingFirewall firewall;
    private NetworkDriver driver;

    /** Passes calls to the memory kernel, failing the one named in {@code failOn}. */
    private static final class FlakyLinks implements Links {
        private final MemoryKernel kernel;
        String failOn = "";
        String failWith = "EBUSY";

        FlakyLinks(MemoryKernel kernel) {
            this.kernel = kernel;
        }

        private void maybeFail(String op) {
            if (op.equals(failOn)) {
                throw new KernelException("injected " + op, failWith, "injected failure");
            }
        }

        @Override
        public void addBridge(String name, int mtu) {
            maybeFail("addBridge");
            kernel.addBridge(name, mtu);
        }

        @Override
        public void addVeth(String name, String peerName, int mtu, Optional<MacAddress> peerMac) {
            maybeFail("addVeth");
            kernel.addVeth(name, peerName, mtu, peerMac);
        }

        @Override
        public void addMacvlan(String name, String parent, int mtu, String mode, Optional<MacAddress> mac) {
            maybeFail("addMacvlan");
            kernel.addMacvlan(name, parent, mtu, mode, mac);
        }

        @Override
        public void addIpvlan(String name, String parent, int mtu, String mode) {
            maybeFail("addIpvlan");
            kernel.addIpvlan(name, parent, mtu, mode);
        }

        @Override
        public void addVlan(String name, String parent, int vlanId) {
            maybeFail("addVlan");
            kernel.addVlan(name, parent, vlanId);
        }

        @Override
        public void setMaster(String name, String master) {
            maybeFail("setMaster");
            kernel.setMaster(name, master);
        }

        @Override
        public void setUp(String name) {
            maybeFail("setUp");
            kernel.setUp(name);
        }

        @Override
        public void delete(String name) {
            maybeFail("delete");
            kernel.delete(name);
        }

        @Override
        public boolean exists(String name) {
            return kernel.exists(name);
        }

        @Override
        public Optional<String> master(String name) {
            return kernel.master(name);
        }

        @Override
        public void setRouteLocalnet(String name) {
            kernel.setRouteLocalnet(name);
        }

        @Override
        public void setProxyArp(String name) {
            maybeFail("setProxyArp");
            kernel.setProxyArp(name);
        }

        @Override
        public java.util.List<String> owned() {
            return kernel.owned();
        }
    }

    @BeforeEach
    void setUp() {
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        links = new FlakyLinks(kernel);
        firewall = new RecordingFirewall();
        driver = new NetworkDriver(store, links, kernel, kernel, kernel, firewall);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static CreateNetworkRequest network(String id, Map<String, Object> options, String pool, String gateway) {
        return new CreateNetworkRequest(id, options, List.of(new IpamData("javanet-local", pool, gateway, Map.of())), List.of());
    }

    private static Map<String, Object> options(boolean internal, Map<String, String> generic) {
        Map<String, Object> options = new HashMap<>();
        options.put("com.docker.network.enable_ipv6", false);
        options.put("com.docker.network.generic", generic);
        if (internal) {
            options.put("com.docker.network.internal", true);
        }
        return options;
    }

    private void createDefaultNetwork() {
        driver.createNetwork(network(NET, options(false, Map.of("foo", "bar")), "10.123.0.0/24", "10.123.0.1/24"));
    }

    private CreateEndpointResponse endpoint(String id, String address, String mac, Map<String, Object> options) {
        return driver.createEndpoint(new CreateEndpointRequest(NET, id, new EndpointInterface(address, "", mac), options));
    }

    private Optional<EndpointRecord> storedEndpoint(String id) {
        return store.read(tx -> tx.endpoint(id));
    }

    private Optional<NetworkRecord> storedNetwork(String id) {
        return store.read(tx -> tx.network(id));
    }


    @Test
    void createNetworkMakesAnUpBridgeWithTheGatewayAndRemembersIt() {
        createDefaultNetwork();
        MemoryKernel.Link bridge = kernel.link("jn-3db071b3a55c").orElseThrow();
        assertThat(bridge.kind()).isEqualTo("bridge");
        assertThat(bridge.up()).isTrue();
        assertThat(bridge.mtu()).isEqualTo(1500);
        assertThat(bridge.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "10.123.0.1/24"));
        assertThat(firewall.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(firewall.networks().get("jn-3db071b3a55c").subnets()).containsExactly("10.123.0.0/24");
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/ip_forward", "1")
                .containsEntry("net/ipv4/conf/jn-3db071b3a55c/route_localnet", "1");
        NetworkRecord stored = storedNetwork(NET).orElseThrow();
        assertThat(stored.subnets()).containsExactly(new NetworkRecord.Subnet("10.123.0.0/24", "10.123.0.1/24"));
        assertThat(stored.generic()).containsEntry("foo", "bar");
    }

    @Test
    void aReadOnlyProcSysIsAWarningNotAFailure() {
        io.javanet.kernel.Sysctls readOnly = new io.javanet.kernel.Sysctls() {
            @Override
            public void setSysctl(String key, String value) {
                throw new KernelException("sysctl " + key + "=" + value, "EIO", "Read-only file system");
            }

            @Override
            public String sysctl(String key) {
                return "0";
            }
        };
        new NetworkDriver(store, links, kernel, kernel, readOnly, firewall)
                .createNetwork(network(NET, options(false, Map.of()), "10.123.0.0/24", "10.123.0.1/24"));
        assertThat(storedNetwork(NET)).isPresent();
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/conf/jn-3db071b3a55c/route_localnet", "1");
    }

    @Test
    void bridgeNameAndMtuOptionsAreHonoured() {
        driver.createNetwork(network(NET, options(false, Map.of("com.docker.network.bridge.name", "xx0",
                "com.docker.network.driver.mtu", "1400")), "10.1.0.0/24", "10.1.0.1/24"));
        assertThat(kernel.link("xx0")).map(MemoryKernel.Link::mtu).contains(1400);
        endpoint(EP, "10.1.0.2/24", "", Map.of());
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.Link::mtu).contains(1400);
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.Link::master).contains("xx0");
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndCreateNothing() {
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.driver.mtu", "jumbo")), "10.1.0.0/24", "10.1.0.1/24"))))
                .hasMessage("-o com.docker.network.driver.mtu: \"jumbo\" is not an MTU (68 to 65535)");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.bridge.name", "a-name-that-is-too-long")), "10.1.0.0/24", "10.1.0.1/24"))))
                .hasMessage("-o com.docker.network.bridge.name: \"a-name-that-is-too-long\" must be 1 to 15 bytes long");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.bridge.name", "br;rm -rf")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .contains("may hold only letters");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("javanet.mdoe", "routed")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .startsWith("-o javanet.mdoe: unknown javanet option");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("javanet.mode", "warp")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .startsWith("-o javanet.mode: unknown mode \"warp\"");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of()), "10.1.0.0/24", "10.2.0.1/24"))))
                .hasMessage("IPv4Data[0].Gateway: 10.2.0.1/24 is not inside pool 10.1.0.0/24");
        assertThat(failure(() -> driver.createNetwork(network(NET, Map.of("com.docker.network.enable_ipv6", "yes"),
                "10.1.0.0/24", "10.1.0.1/24"))).getMessage()).startsWith("Options.com.docker.network.enable_ipv6");
        assertThat(failure(() -> driver.createNetwork(network("", options(false, Map.of()), "10.1.0.0/24", ""))))
                .hasMessage("NetworkID: missing");
        assertThat(failure(() -> driver.createNetwork(new CreateNetworkRequest(NET, options(false, Map.of()), List.of(), null))))
                .hasMessage("IPv4Data: missing; a network needs at least one IPv4 or IPv6 pool");
        assertThat(failure(() -> driver.createNetwork(network("../../etc", options(false, Map.of()), "10.1.0.0/24", ""))).getMessage())
                .startsWith("NetworkID: \"../../etc\" is not a Docker ID");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(store.read(Store.Tx::networks)).isEmpty();
    }

    @Test
    void conflictsWithOtherNetworksAndForeignLinksAreRefused() {
        createDefaultNetwork();
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of()), "10.9.0.0/24", ""))))
                .hasMessage("NetworkID: network " + NET + " already exists");
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of()), "10.123.0.0/16", ""))))
                .hasMessage("subnet 10.123.0.0/16 overlaps subnet 10.123.0.0/24 of network " + NET);
        assertThat(failure(() -> driver.createNetwork(network("n3", options(false,
                Map.of("com.docker.network.bridge.name", "jn-3db071b3a55c")), "10.9.0.0/24", ""))).getMessage())
                .contains("bridge jn-3db071b3a55c is already used by network " + NET);
        kernel.addForeignBridge("docker0");
        assertThat(failure(() -> driver.createNetwork(network("n4", options(false,
                Map.of("com.docker.network.bridge.name", "docker0")), "10.9.0.0/24", ""))).getMessage())
                .contains("a link named docker0 already exists on the host");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "docker0");
    }

    @Test
    void createNetworkFailingHalfWayRemovesTheBridge() {
        links.failOn = "setUp";
        assertThatThrownBy(this::createDefaultNetwork).isInstanceOf(KernelException.class).hasMessageContaining("EBUSY");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(store.read(Store.Tx::networks)).isEmpty();
        links.failOn = "";
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
        MemoryKernel.Link host = kernel.link("jnv0caf3d83e0f0").orElseThrow();
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
    void badEndpointsAreRefusedAndLeaveNoLink() {
        createDefaultNetwork();
        assertThat(failure(() -> endpoint(EP, "10.124.0.2/24", "", Map.of())))
                .hasMessage("Interface.Address: 10.124.0.2/24 is not inside any subnet of network " + NET);
        assertThat(failure(() -> endpoint(EP, "10.123.0.2", "", Map.of())).getMessage()).contains("has no prefix length");
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "zz:zz", Map.of())).getMessage())
                .startsWith("Interface.MacAddress: \"zz:zz\" is not a MAC address");
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of("com.docker.network.endpoint.macaddress", "!!"))).getMessage())
                .startsWith("Options.com.docker.network.endpoint.macaddress: \"!!\" is not a base64 MAC address");
        assertThat(failure(() -> driver.createEndpoint(new CreateEndpointRequest(NET, EP, null, Map.of()))))
                .hasMessage("Interface: missing");
        assertThat(failure(() -> driver.createEndpoint(new CreateEndpointRequest("nope", EP,
                new EndpointInterface("10.123.0.2/24", "", ""), Map.of()))))
                .hasMessage("NetworkID: unknown network nope");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
    }

    @Test
    void createEndpointFailingHalfWayRemovesTheVeth() {
        createDefaultNetwork();
        links.failOn = "setMaster";
        assertThatThrownBy(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())).isInstanceOf(KernelException.class);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        assertThat(storedEndpoint(EP)).isEmpty();
    }

    @Test
    void aFullBridgeIsSaidToBeFullAndTheVethUndone() {
        createDefaultNetwork();
        links.failOn = "setMaster";
        links.failWith = "EXFULL";
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())))
                .hasMessage("network " + NET + " is full: its bridge jn-3db071b3a55c has the 1024 ports the kernel allows"
                        + " a bridge (a routed network has no such limit)");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        assertThat(storedEndpoint(EP)).isEmpty();
    }

    @Test
    void joinReturnsTheVethAndGatewayAndLeaveForgetsTheSandbox() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        JoinResponse join = driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/d58f63c0e4ef", Map.of()));
        assertThat(join.interfaceName().srcName()).isEqualTo("jnc0caf3d83e0f0");
        assertThat(join.interfaceName().dstPrefix()).isEqualTo("eth");
        assertThat(join.gateway()).isEqualTo("10.123.0.1");
        assertThat(join.disableGatewayService()).isFalse();
        assertThat(storedEndpoint(EP)).map(EndpointRecord::sandboxKey)
                .contains("/var/run/docker/netns/d58f63c0e4ef");
        driver.leave(new EndpointRequest(NET, EP));
        assertThat(storedEndpoint(EP).orElseThrow().sandboxKey()).isNull();
        assertThat(failure(() -> driver.join(new JoinRequest(NET, EP, "", Map.of())))).hasMessage("SandboxKey: missing");
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

    private static Map<String, Object> port(int proto, String hostIp, int hostPort, int hostPortEnd, int port) {
        return Map.of("Proto", proto, "IP", "", "Port", port, "HostIP", hostIp, "HostPort", hostPort, "HostPortEnd", hostPortEnd);
    }

    private void program(String endpoint, List<Map<String, Object>> ports) {
        driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, endpoint,
                Map.of("com.docker.network.portmap", ports)));
    }

    @Test
    void publishedPortsAreProgrammedRememberedAndRevoked() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 8080, 8080, 80), port(17, "127.0.0.1", 5353, 5353, 53)));
        List<PortBinding> expected = List.of(new PortBinding("tcp", "", 8080, "10.123.0.2", 80),
                new PortBinding("udp", "127.0.0.1", 5353, "10.123.0.2", 53));
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
        assertThat(storedEndpoint("ep2").orElseThrow().portMap()).extracting(PortBinding::proto).containsExactly("udp");
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
        assertThat(firewall.ports()).containsExactly(new PortBinding("tcp", "", 8080, "10.126.0.2", 80),
                new PortBinding("tcp", "", 8080, "fd00:2::2", 80));
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
    void restoreGivesTheFirewallExactlyTheStoredState() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 8080, 8080, 80)));
        RecordingFirewall fresh = new RecordingFirewall();
        new NetworkDriver(store, links, kernel, kernel, kernel, fresh).restoreFirewall();
        assertThat(fresh.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(fresh.ports()).containsExactly(new PortBinding("tcp", "", 8080, "10.123.0.2", 80));
    }

    @Test
    void deleteRemovesLinksAndStateAndToleratesLinksAlreadyGone() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        assertThat(driver.endpointOperInfo(new EndpointRequest(NET, EP)).value())
                .containsEntry("javanet.host_interface", "jnv0caf3d83e0f0");
        program("ep2", List.of(port(6, "", 8080, 8080, 80)));
        driver.deleteEndpoint(new EndpointRequest(NET, EP));
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnvep2", "jncep2");
        assertThat(failure(() -> driver.deleteEndpoint(new EndpointRequest(NET, EP))))
                .hasMessage("EndpointID: unknown endpoint " + EP);
        kernel.delete("jnvep2");
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).isEmpty();
        assertThat(firewall.ports()).isEmpty();
        assertThat(store.read(Store.Tx::networks)).isEmpty();
        assertThat(storedEndpoint("ep2")).isEmpty();
        assertThat(failure(() -> driver.deleteNetwork(new NetworkRequest(NET))).kind()).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void aFailedKernelDeleteLeavesTheLinkToReconciliation() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        links.failOn = "delete";
        assertThatThrownBy(() -> driver.deleteNetwork(new NetworkRequest(NET))).isInstanceOf(KernelException.class);
        // Docker forgets the network whatever we answer, so our state goes first; the link waits for start-up.
        assertThat(storedNetwork(NET)).isEmpty();
        assertThat(kernel.exists("jn-3db071b3a55c")).isTrue();
        links.failOn = "";
        assertThat(new NetworkDriver(store, links, kernel, kernel, kernel, firewall).reconcile()).isEqualTo(2);
        assertThat(kernel.linkNames()).isEmpty();
        List<String> intents = store.read(Store.Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    @Test
    void endpointLinksRemovedInTheBackgroundAreGoneOnceDrainedAndTheirIntentWithThem() {
        LinkRemoval removal = LinkRemoval.background(links);
        NetworkDriver background = new NetworkDriver(store, links, kernel, kernel, kernel, firewall, removal);
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        background.deleteEndpoint(new EndpointRequest(NET, EP));
        assertThat(storedEndpoint(EP)).isEmpty();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (kernel.exists("jnv0caf3d83e0f0") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        links.failOn = "delete";
        background.deleteEndpoint(new EndpointRequest(NET, "ep2"));
        removal.close();
        links.failOn = "";
        assertThat(kernel.exists("jnv0caf3d83e0f0")).isFalse();
        assertThat(kernel.exists("jnvep2")).as("its deletion failed").isTrue();
        assertThat(store.read(Store.Tx::linkIntents)).as("kept for the next start").containsExactly("jnvep2");
        assertThat(new NetworkDriver(store, links, kernel, kernel, kernel, firewall).reconcile()).isEqualTo(1);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
    }

    @Test
    void aLinkMadeJustBeforeACrashIsRemovedAtStartEvenUnmarked() {
        createDefaultNetwork();
        // The crash came after the intent was committed and the veth made, before it was marked or recorded.
        store.write(tx -> tx.putLinkIntent("jnv0caf3d83e0f0"));
        kernel.addForeignBridge("jnv0caf3d83e0f0");
        store.write(tx -> tx.putLinkIntent("jnvneverbuilt1"));
        assertThat(new NetworkDriver(store, links, kernel, kernel, kernel, firewall).reconcile()).isEqualTo(1);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        List<String> intents = store.read(Store.Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    @Test
    void aFailedCommitOfAnEndpointLeavesNoLinkAndNoIntent() throws Exception {
        createDefaultNetwork();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("javanet.db"));
             var st = c.createStatement()) {
            st.execute("CREATE TRIGGER fail BEFORE INSERT ON endpoints BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
        }
        assertThatThrownBy(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())).hasMessageContaining("disk on fire");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        List<String> intents = store.read(Store.Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    @Test
    void reconcileRebuildsWhatWentMissingAndRemovesOrphansButNotForeignLinks() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        driver.join(new JoinRequest(NET, "ep2", "/var/run/docker/netns/x", Map.of()));
        // A host reboot, a crash and an admin all at once:
        kernel.delete("jn-3db071b3a55c");
        kernel.delete("jnvep2");
        kernel.addVeth("jnvorphan", "jncorphan", 1500, Optional.empty());
        kernel.addForeignBridge("docker0");
        firewall.restore(List.of(), List.of(), List.of());

        int repairs = new NetworkDriver(store, links, kernel, kernel, kernel, firewall).reconcile();

        assertThat(repairs).isEqualTo(4);
        MemoryKernel.Link bridge = kernel.link("jn-3db071b3a55c").orElseThrow();
        assertThat(bridge.up()).isTrue();
        assertThat(bridge.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "10.123.0.1/24"));
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.Link::master).contains("jn-3db071b3a55c");
        assertThat(kernel.exists("jnvep2")).as("a joined endpoint's veth went with its sandbox").isFalse();
        assertThat(kernel.exists("jnvorphan")).isFalse();
        assertThat(kernel.exists("docker0")).isTrue();
        assertThat(firewall.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(new NetworkDriver(store, links, kernel, kernel, kernel, firewall).reconcile()).isZero();
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

    @Test
    void aRepeatedIdenticalCreateIsAnsweredAsTheFirstWas() {
        createDefaultNetwork();
        createDefaultNetwork();
        CreateEndpointResponse first = endpoint(EP, "10.123.0.2/24", "", Map.of());
        CreateEndpointResponse again = endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(again).isEqualTo(first);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnv0caf3d83e0f0", "jnc0caf3d83e0f0");
        assertThat(failure(() -> endpoint(EP, "10.123.0.9/24", "", Map.of())).kind()).isEqualTo(Kind.CONFLICT);
    }

    @Test
    void macvlanNetworksHaveNoBridgeAndGiveEachEndpointASubInterfaceOfTheParent() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")),
                "10.210.50.0/24", "10.210.50.1/24"));
        assertThat(kernel.linkNames()).containsExactly("lan0");
        assertThat(firewall.networks()).isEmpty();
        CreateEndpointResponse created = endpoint(EP, "10.210.50.2/24", "", Map.of());
        assertThat(created.endpointInterface().macAddress()).isEqualTo("02:42:0a:d2:32:02");
        MemoryKernel.Link link = kernel.link("jnm0caf3d83e0f0").orElseThrow();
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
        assertThat(store.read(Store.Tx::networks)).isEmpty();
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
                "10.210.50.0/24", "")))).hasMessage("-o parent: only for -o javanet.mode=macvlan or ipvlan, not bridge");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")), "10.210.50.0/24", ""));
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0", "macvlan_mode", "private")), "10.210.51.0/24", ""))).getMessage())
                .startsWith("-o parent: lan0 already carries network " + NET + " in macvlan mode bridge, not macvlan mode private");
        driver.createNetwork(network("n3", options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")), "10.210.52.0/24", ""));
        assertThat(store.read(Store.Tx::networks)).hasSize(2);
    }

    private static final Map<String, String> ROUTED = Map.of("javanet.mode", "routed");
    private static final String ROUTED_VETH = "jnv0caf3d83e0f0";

    @Test
    void routedNetworksGiveEachEndpointAVethWithProxyArpTheLinkLocalGatewayAndARoute() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.60.0/24", "10.210.60.1/24"));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).containsOnlyKeys("");
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/ip_forward", "1");

        endpoint(EP, "10.210.60.2/24", "", Map.of());
        MemoryKernel.Link veth = kernel.link(ROUTED_VETH).orElseThrow();
        assertThat(veth.kind()).isEqualTo("veth");
        assertThat(veth.master()).isNull();
        assertThat(veth.up()).isTrue();
        assertThat(veth.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "169.254.1.1/32"));
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/conf/" + ROUTED_VETH + "/proxy_arp", "1")
                .containsEntry("net/ipv4/neigh/" + ROUTED_VETH + "/proxy_delay", "0")
                .containsEntry("net/ipv4/conf/" + ROUTED_VETH + "/route_localnet", "1");
        assertThat(kernel.onLinkRoutes()).containsExactly(Map.entry(Cidr.parseInterfaceAddress("t", "10.210.60.2/32"), ROUTED_VETH));
        assertThat(firewall.routedLinks().get(ROUTED_VETH).subnets()).containsExactly("10.210.60.0/24");

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
        assertThat(store.read(Store.Tx::networks)).isEmpty();
    }

    @Test
    void eachRoutedNetworkHasItsOwnLinkLocalGatewaySoAContainerCanJoinSeveral() {
        driver.createNetwork(network(NET, options(false, ROUTED), "10.210.65.0/24", "10.210.65.1/24"));
        driver.createNetwork(network("n2", options(false, ROUTED), "10.210.66.0/24", "10.210.66.1/24"));
        assertThat(storedNetwork(NET).orElseThrow().routedGateway()).isEqualTo("169.254.1.1");
        assertThat(storedNetwork("n2").orElseThrow().routedGateway()).isEqualTo("169.254.2.1");
        driver.createNetwork(network("n2", options(false, ROUTED), "10.210.66.0/24", "10.210.66.1/24"));
        assertThat(storedNetwork("n2").orElseThrow().routedGateway()).as("a repeated create changes nothing")
                .isEqualTo("169.254.2.1");
        driver.createEndpoint(new CreateEndpointRequest("n2", "ep2", new EndpointInterface("10.210.66.2/24", "", ""), Map.of()));
        assertThat(kernel.link("jnvep2").orElseThrow().addresses())
                .containsExactly(Cidr.parseInterfaceAddress("t", "169.254.2.1/32"));
        JoinResponse join = driver.join(new JoinRequest("n2", "ep2", "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isEqualTo("169.254.2.1");
        assertThat(join.staticRoutes()).containsExactly(new StaticRoute("169.254.2.1/32", StaticRoute.CONNECTED, null));
        driver.deleteNetwork(new NetworkRequest(NET));
        driver.createNetwork(network("n3", options(false, ROUTED), "10.210.67.0/24", ""));
        assertThat(storedNetwork("n3").orElseThrow().routedGateway()).as("freed and taken again").isEqualTo("169.254.1.1");
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
    void dockerReservesNoGatewayWhereTheNetworkUsesNone() {
        Map<String, GwAllocCheckResponse> answers = new java.util.LinkedHashMap<>();
        answers.put("bridge", driver.gwAllocCheck(new GwAllocCheckRequest(options(false, Map.of()))));
        answers.put("internal bridge", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, Map.of()))));
        answers.put("routed", driver.gwAllocCheck(new GwAllocCheckRequest(options(false, ROUTED))));
        answers.put("internal routed", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, ROUTED))));
        answers.put("macvlan", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "macvlan", "parent", "eth0")))));
        answers.put("ipvlan l2", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan", "parent", "eth0")))));
        answers.put("ipvlan l3", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan", "parent", "eth0", "ipvlan_mode", "l3")))));
        answers.put("no options", driver.gwAllocCheck(new GwAllocCheckRequest(null)));
        assertThat(answers).containsExactly(
                Map.entry("bridge", new GwAllocCheckResponse(false, false)),
                Map.entry("internal bridge", new GwAllocCheckResponse(false, false)),
                Map.entry("routed", new GwAllocCheckResponse(true, true)),
                Map.entry("internal routed", new GwAllocCheckResponse(true, true)),
                Map.entry("macvlan", new GwAllocCheckResponse(false, false)),
                Map.entry("ipvlan l2", new GwAllocCheckResponse(false, false)),
                Map.entry("ipvlan l3", new GwAllocCheckResponse(true, true)),
                Map.entry("no options", new GwAllocCheckResponse(false, false)));
        assertThat(driver.getCapabilities().gwAllocChecker()).isTrue();
    }

    @Test
    void aGatewayCheckWithBadOptionsFailsAsCreateWouldAndChangesNothing() {
        assertThat(failure(() -> driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "tunnel"))))))
                .hasMessage("-o javanet.mode: unknown mode \"tunnel\" (supported: bridge, ipvlan, macvlan, routed)");
        assertThat(failure(() -> driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan"))))))
                .hasMessage("-o parent: required with -o javanet.mode=ipvlan (the host link the network sits on)");
        assertThat(store.read(Store.Tx::networks)).isEmpty();
        assertThat(kernel.linkNames()).isEmpty();
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
        assertThat(store.read(Store.Tx::networks)).isEmpty();
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
        assertThat(new NetworkDriver(store, links, kernel, kernel, kernel, fresh).reconcile()).isEqualTo(2);
        assertThat(kernel.onLinkRoutes()).containsOnlyKeys(Cidr.parseInterfaceAddress("t", "10.210.64.2/32"),
                Cidr.parseInterfaceAddress("t", "10.210.64.3/32"));
        assertThat(fresh.routedLinks()).containsOnlyKeys(ROUTED_VETH, "jnvep2");
        assertThat(fresh.networks()).containsOnlyKeys("");
    }

    @Test
    void ipvlanNetworksGiveEachEndpointAnIpvlanWithoutAMac() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan", "parent", "lan0")),
                "10.210.70.0/24", "10.210.70.1/24"));
        assertThat(kernel.linkNames()).containsExactly("lan0");
        CreateEndpointResponse created = endpoint(EP, "10.210.70.2/24", "", Map.of());
        assertThat(created.endpointInterface().macAddress()).isNull();
        MemoryKernel.Link link = kernel.link("jnm0caf3d83e0f0").orElseThrow();
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
        assertThat(store.read(Store.Tx::networks)).hasSize(1);
    }

    @Test
    void aVlanParentIsMadeForTheFirstNetworkOnItAndRemovedWithTheLast() {
        kernel.addForeignBridge("lan0");
        Map<String, String> onVlan = Map.of("javanet.mode", "macvlan", "parent", "lan0.20");
        driver.createNetwork(network(NET, options(false, onVlan), "10.210.74.0/24", ""));
        MemoryKernel.Link vlan = kernel.link("lan0.20").orElseThrow();
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
        links.failOn = "addVlan";
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan",
                "parent", "lan0.30")), "10.210.76.0/24", ""))).getMessage())
                .startsWith("-o parent: cannot make lan0.30, VLAN 30 on lan0 (injected addVlan");
        links.failOn = "";
        kernel.ipvlanSupported = false;
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "ipvlan",
                "parent", "lan0.30")), "10.210.76.0/24", ""))).getMessage()).contains("cannot make an ipvlan on lan0.30");
        assertThat(kernel.linkNames()).as("the VLAN made for the refused network is gone").containsExactly("lan0");
        assertThat(store.read(Store.Tx::networks)).isEmpty();
        assertThat(store.read(Store.Tx::linkIntents)).isEmpty();
    }

    @Test
    void reconcileRecreatesAMissingMacvlanOfAnUnjoinedEndpoint() {
        kernel.addForeignBridge("lan0");
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "macvlan", "parent", "lan0")),
                "10.210.50.0/24", "10.210.50.1/24"));
        endpoint(EP, "10.210.50.2/24", "", Map.of());
        kernel.delete("jnm0caf3d83e0f0");
        assertThat(driver.reconcile()).isEqualTo(1);
        assertThat(kernel.link("jnm0caf3d83e0f0")).map(MemoryKernel.Link::kind).contains("macvlan");
        assertThat(kernel.exists("lan0")).isTrue();
    }

    @Test
    void endpointsStillUnjoinedAfterTheGracePeriodAreRemoved() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        endpoint("ep3", "10.123.0.4/24", "", Map.of());
        driver.join(new JoinRequest(NET, "ep3", "/var/run/docker/netns/x", Map.of()));
        kernel.moveToContainer("jncep3");
        List<String> candidates = driver.leftoverEndpoints();
        assertThat(candidates).containsExactlyInAnyOrder(EP, "ep2");
        // ep2 is joined within the grace period after all:
        driver.join(new JoinRequest(NET, "ep2", "/var/run/docker/netns/y", Map.of()));
        kernel.moveToContainer("jncep2");
        assertThat(driver.reapLeftovers(candidates)).isEqualTo(1);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(kernel.exists("jnv0caf3d83e0f0")).isFalse();
        assertThat(storedEndpoint("ep2")).isPresent();
    }

    @Test
    void joinedEndpointsWhoseContainerWentWhileWeWereDownAreRemovedAfterTheGracePeriod() {
        createDefaultNetwork();
        for (String id : List.of(EP, "ep2", "ep3")) {
            endpoint(id, "10.123.0." + (2 + List.of(EP, "ep2", "ep3").indexOf(id)) + "/24", "", Map.of());
            driver.join(new JoinRequest(NET, id, "/var/run/docker/netns/" + id, Map.of()));
        }
        kernel.moveToContainer("jnc0caf3d83e0f0");
        kernel.moveToContainer("jncep2");
        // While we are down, EP's container is removed with its namespace, which takes the veth pair with it;
        // ep3's container leaves, and Docker moves its end back to us under its own name.
        kernel.delete("jnv0caf3d83e0f0");
        NetworkDriver restarted = new NetworkDriver(store, links, kernel, kernel, kernel, firewall);
        assertThat(restarted.reconcile()).isZero();
        List<String> candidates = restarted.leftoverEndpoints();
        assertThat(candidates).containsExactlyInAnyOrder(EP, "ep3");
        assertThat(restarted.reapLeftovers(candidates)).isEqualTo(2);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(storedEndpoint("ep3")).isEmpty();
        assertThat(kernel.exists("jnvep3")).isFalse();
        assertThat(storedEndpoint("ep2")).as("its container lives").isPresent();
    }

    @Test
    void endpointOfAnotherNetworkIsNotFoundThroughThisOne() {
        createDefaultNetwork();
        driver.createNetwork(network("other", options(false, Map.of()), "10.9.0.0/24", "10.9.0.1/24"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(failure(() -> driver.leave(new EndpointRequest("other", EP))))
                .hasMessage("NetworkID: endpoint " + EP + " belongs to network " + NET + ", not other");
    }

    @Test
    void stateIsReadBackByANewDriverAfterARestart() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        NetworkDriver restarted = new NetworkDriver(store, links, kernel, kernel, kernel, firewall);
        JoinResponse join = restarted.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isEqualTo("10.123.0.1");
        restarted.deleteEndpoint(new EndpointRequest(NET, EP));
        restarted.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
    }
}
