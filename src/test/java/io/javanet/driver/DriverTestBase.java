package io.javanet.driver;

import static io.javanet.failure.PluginFailures.failure;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.IpamData;
import io.javanet.firewall.Firewall;
import io.javanet.firewall.RecordingBalancer;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.kernel.Errno;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.Links;
import io.javanet.kernel.MemoryKernel;
import io.javanet.kernel.UdpProbe;
import io.javanet.net.MacAddress;
import io.javanet.net.Scope;
import io.javanet.net.SubMode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the driver tests share: a store in a temporary directory, the memory kernel behind links that fail on demand, a recording firewall. */
abstract class DriverTestBase {

    static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";
    static final String EP = "0caf3d83e0f0aa1f0c6a8e6ad2b2d5b5d0b2f6a39f2b0cfa7ce1f4bd1b0a1b2c";

    @TempDir
    Path dir;
    Store store;
    MemoryKernel kernel;
    FlakyLinks links;
    RecordingFirewall firewall;
    RecordingBalancer balancer;
    NetworkDriver driver;

    /** Passes calls to the memory kernel, failing the one named in {@code failOn}. */
    static final class FlakyLinks implements Links {
        final MemoryKernel kernel;
        String failOn = "";
        Errno failWith = Errno.EBUSY;
        /** A link whose making waits for {@link #release}, after counting down {@link #holding}. */
        volatile String holdLink = "";
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        FlakyLinks(MemoryKernel kernel) {
            this.kernel = kernel;
        }

        void maybeFail(String op) {
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
        public void addVethOnBridge(String name, String peerName, int mtu, Optional<MacAddress> peerMac, String bridge) {
            maybeFail("addVethOnBridge");
            if (name.equals(holdLink)) {
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            kernel.addVethOnBridge(name, peerName, mtu, peerMac, bridge);
        }

        @Override
        public void addVxlan(String name, int vni, int port, int mtu) {
            maybeFail("addVxlan");
            kernel.addVxlan(name, vni, port, mtu);
        }

        @Override
        public void appendFlood(String link, IPAddress peer) {
            maybeFail("appendFlood");
            kernel.appendFlood(link, peer);
        }

        @Override
        public void removeFlood(String link, IPAddress peer) {
            kernel.removeFlood(link, peer);
        }

        @Override
        public void addVxlan(String name, int vni, int port, int mtu, LinkLocal local) {
            maybeFail("addVxlan");
            kernel.addVxlan(name, vni, port, mtu, local);
        }

        @Override
        public void addWireGuard(String name, int mtu) {
            maybeFail("addWireGuard");
            kernel.addWireGuard(name, mtu);
        }

        @Override
        public void appendFlood(String link, LinkLocal peer) {
            maybeFail("appendFlood");
            kernel.appendFlood(link, peer);
        }

        @Override
        public void removeFlood(String link, LinkLocal peer) {
            kernel.removeFlood(link, peer);
        }

        @Override
        public List<IPAddress> floodDestinations(String link) {
            return kernel.floodDestinations(link);
        }

        @Override
        public void addMacvlan(String name, String parent, int mtu, SubMode mode, Optional<MacAddress> mac) {
            maybeFail("addMacvlan");
            kernel.addMacvlan(name, parent, mtu, mode, mac);
        }

        @Override
        public void addIpvlan(String name, String parent, int mtu, SubMode mode) {
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
        public Optional<String> kind(String name) {
            return kernel.kind(name);
        }

        @Override
        public Optional<String> master(String name) {
            maybeFail("master");
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
        balancer = new RecordingBalancer();
        driver = localDriver(store, firewall);
    }

    /** No node answers or refuses UDP here: no datagram leaves a unit test. */
    static final UdpProbe NO_UDP = (address, port, datagram) -> Optional.empty();

    /** The test's kernel as the driver reaches it, its links through the flaky ones. */
    HostKernel host() {
        return HostKernel.of(kernel, kernel, NO_UDP).withLinks(links);
    }

    /** A local-scope driver on this test's kernel and balancer, as a plugin started on {@code on}'s state would be. */
    NetworkDriver localDriver(Store on, Firewall with) {
        return new NetworkDriver(on, host(), with, LinkRemoval.inline(links), Scope.LOCAL, balancer, dir.resolve("no-secret"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static CreateNetworkRequest network(String id, Map<String, Object> options, String pool, String gateway) {
        return new CreateNetworkRequest(id, options, List.of(new IpamData("javanet-local", pool, gateway, Map.of())), List.of());
    }

    static Map<String, Object> options(boolean internal, Map<String, String> generic) {
        Map<String, Object> options = new HashMap<>();
        options.put("com.docker.network.enable_ipv6", false);
        options.put("com.docker.network.generic", generic);
        if (internal) {
            options.put("com.docker.network.internal", true);
        }
        return options;
    }

    void createDefaultNetwork() {
        driver.createNetwork(network(NET, options(false, Map.of("foo", "bar")), "10.123.0.0/24", "10.123.0.1/24"));
    }

    CreateEndpointResponse endpoint(String id, String address, String mac, Map<String, Object> options) {
        return driver.createEndpoint(new CreateEndpointRequest(NET, id, new EndpointInterface(address, "", mac), options));
    }

    Optional<EndpointRecord> storedEndpoint(String id) {
        return store.read(tx -> tx.endpoint(id));
    }

    Optional<NetworkRecord> storedNetwork(String id) {
        return store.read(tx -> tx.network(id));
    }

    static Map<String, Object> port(int proto, String hostIp, int hostPort, int hostPortEnd, int port) {
        return Map.of("Proto", proto, "IP", "", "Port", port, "HostIP", hostIp, "HostPort", hostPort, "HostPortEnd", hostPortEnd);
    }

    void program(String endpoint, List<Map<String, Object>> ports) {
        driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, endpoint,
                Map.of("com.docker.network.portmap", ports)));
    }

    static final Map<String, String> ROUTED = Map.of("javanet.mode", "routed");
    static final String ROUTED_VETH = "jnv0caf3d83e0f0";}
