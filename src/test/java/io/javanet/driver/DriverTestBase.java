package io.javanet.driver;

import io.javanet.modes.Modes;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.IpamData;
import io.javanet.firewall.Firewall;
import io.javanet.firewall.RecordingBalancer;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.MemoryKernel;
import io.javanet.kernel.UdpProbe;
import io.javanet.net.Scope;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.sys.Sandboxes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the driver tests share: a store in a temporary directory, the memory kernel, a recording firewall. */
public abstract class DriverTestBase {

    protected static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";
    protected static final String EP = "0caf3d83e0f0aa1f0c6a8e6ad2b2d5b5d0b2f6a39f2b0cfa7ce1f4bd1b0a1b2c";

    @TempDir
    protected Path dir;
    protected Store store;
    protected MemoryKernel kernel;
    protected RecordingFirewall firewall;
    protected RecordingBalancer balancer;
    protected NetworkDriver driver;

    @BeforeEach
    protected void setUp() {
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        firewall = new RecordingFirewall();
        balancer = new RecordingBalancer();
        driver = localDriver(store, firewall);
    }

    /** No node answers or refuses UDP here: no datagram leaves a unit test. */
    protected static final UdpProbe NO_UDP = (address, port, datagram) -> Optional.empty();

    /** The test's kernel as the driver reaches it. */
    protected HostKernel host() {
        return HostKernel.of(kernel, kernel, kernel, NO_UDP);
    }

    /** A local-scope driver on this test's kernel and balancer, as a plugin started on {@code on}'s state would be. */
    protected NetworkDriver localDriver(Store on, Firewall with) {
        return new NetworkDriver(on, host(), with, LinkRemoval.inline(kernel), Scope.LOCAL,
                new Modes(balancer, Sandboxes.ON_THE_HOST, dir.resolve("no-secret")));
    }

    @AfterEach
    protected void tearDown() {
        store.close();
    }

    protected static CreateNetworkRequest network(String id, Map<String, Object> options, String pool, String gateway) {
        return new CreateNetworkRequest(id, options, List.of(new IpamData("javanet-local", pool, gateway, Map.of())), List.of());
    }

    protected static Map<String, Object> options(boolean internal, Map<String, String> generic) {
        Map<String, Object> options = new HashMap<>();
        options.put("com.docker.network.enable_ipv6", false);
        options.put("com.docker.network.generic", generic);
        if (internal) {
            options.put("com.docker.network.internal", true);
        }
        return options;
    }

    protected void createDefaultNetwork() {
        driver.createNetwork(network(NET, options(false, Map.of("foo", "bar")), "10.123.0.0/24", "10.123.0.1/24"));
    }

    protected CreateEndpointResponse endpoint(String id, String address, String mac, Map<String, Object> options) {
        return driver.createEndpoint(new CreateEndpointRequest(NET, id, new EndpointInterface(address, "", mac), options));
    }

    protected Optional<EndpointRecord> storedEndpoint(String id) {
        return store.read(tx -> tx.endpoint(id));
    }

    protected Optional<NetworkRecord> storedNetwork(String id) {
        return store.read(tx -> tx.network(id));
    }

    protected static Map<String, Object> port(int proto, String hostIp, int hostPort, int hostPortEnd, int port) {
        return Map.of("Proto", proto, "IP", "", "Port", port, "HostIP", hostIp, "HostPort", hostPort, "HostPortEnd", hostPortEnd);
    }

    protected void program(String endpoint, List<Map<String, Object>> ports) {
        driver.programExternalConnectivity(new ExternalConnectivityRequest(NET, endpoint,
                Map.of("com.docker.network.portmap", ports)));
    }

    protected static final Map<String, String> ROUTED = Map.of("javanet.mode", "routed");
    protected static final String ROUTED_VETH = "jnv0caf3d83e0f0";
}
