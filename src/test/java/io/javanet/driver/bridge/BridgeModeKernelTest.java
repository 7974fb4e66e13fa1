package io.javanet.driver.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.IpamData;
import io.javanet.driver.LinkRemoval;
import io.javanet.driver.NetworkDriver;
import io.javanet.firewall.RecordingBalancer;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.MemoryKernel;
import io.javanet.kernel.UdpProbe;
import io.javanet.modes.Modes;
import io.javanet.net.Scope;
import io.javanet.netlink.KernelModules;
import io.javanet.netlink.RtNetlink;
import io.javanet.netlink.TcNetlink;
import io.javanet.netlink.ThrowawayNamespace;
import io.javanet.store.Store;
import io.javanet.sys.Sandboxes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bridge network's endpoint made by the driver through our rtnetlink, in a namespace of the test's own. */
@Tag("kernel")
class BridgeModeKernelTest {

    private static final String NET = "4f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5";
    private static final String EP = "9e8d7c6b5a4938271605f4e3d2c1b0a99e8d7c6b5a4938271605f4e3d2c1b0a9";

    @TempDir
    Path dir;
    private ThrowawayNamespace ns;
    private RtNetlink nl;
    private Store store;

    @BeforeEach
    void setUp() {
        ns = new ThrowawayNamespace();
        nl = RtNetlink.openIn(ns.path, "javanet:test");
        store = Store.open(dir.resolve("javanet.db"));
    }

    @AfterEach
    void tearDown() {
        store.close();
        nl.close();
        ns.close();
    }

    @Test
    void anEndpointCostsAtMostFourRoundTripsAndItsVethIsOnTheBridgeAndUp() {
        NetworkDriver driver = new NetworkDriver(store, HostKernel.of(nl, new MemoryKernel(), new MemoryKernel(),
                UdpProbe.SOCKETS), new RecordingFirewall(), LinkRemoval.inline(nl), Scope.LOCAL,
                new Modes(new RecordingBalancer(), Sandboxes.ON_THE_HOST, dir.resolve("no-secret")));
        driver.createNetwork(new CreateNetworkRequest(NET, Map.of("com.docker.network.internal", true),
                List.of(new IpamData("javanet-local", "10.77.0.0/24", "10.77.0.1/24", Map.of())), List.of()));
        long before = nl.roundTrips();
        driver.createEndpoint(new CreateEndpointRequest(NET, EP, new EndpointInterface("10.77.0.2/24", "", ""), Map.of()));
        long cost = nl.roundTrips() - before;

        JsonNode veth = ns.link("jnv9e8d7c6b5a49");
        assertThat(veth.get("master").asText()).isEqualTo("jn-4f0c1d2e3a4b");
        assertThat(veth.get("flags").toString()).contains("\"UP\"");
        assertThat(veth.get("ifalias").asText()).isEqualTo("javanet:test");
        assertThat(ns.link("jnc9e8d7c6b5a49").get("address").asText()).isEqualTo("02:42:0a:4d:00:02");
        assertThat(cost).as("netlink round trips of one bridge endpoint").isLessThanOrEqualTo(4);
    }

    /**
     * A bandwidth limit asked with driver-opts lands on the host end of the container's veth as tc shows it; on a
     * kernel that cannot police (this VM's), a limit of what the container sends is refused with the endpoint not
     * made, and one of what it receives still works.
     */
    @Test
    void bandwidthLimitsAreOnTheHostEndOfTheVethAsTcShowsThem() {
        try (TcNetlink tc = TcNetlink.openIn(ns.path)) {
            NetworkDriver driver = new NetworkDriver(store, HostKernel.of(nl, new MemoryKernel(), tc, UdpProbe.SOCKETS),
                    new RecordingFirewall(), LinkRemoval.inline(nl), Scope.LOCAL,
                    new Modes(new RecordingBalancer(), Sandboxes.ON_THE_HOST, dir.resolve("no-secret")));
            driver.createNetwork(new CreateNetworkRequest(NET, Map.of("com.docker.network.internal", true),
                    List.of(new IpamData("javanet-local", "10.77.0.0/24", "10.77.0.1/24", Map.of())), List.of()));
            driver.createEndpoint(new CreateEndpointRequest(NET, EP, new EndpointInterface("10.77.0.2/24", "", ""),
                    Map.of("javanet.ingress_rate", "20mbit")));
            String qdiscs = ThrowawayNamespace.run("tc", "-n", ns.name, "-j", "qdisc", "show", "dev", "jnv9e8d7c6b5a49");
            assertThat(qdiscs).contains("\"kind\":\"tbf\"").contains("\"rate\":2500000");

            String other = "8e" + EP.substring(2);
            CreateEndpointRequest sending = new CreateEndpointRequest(NET, other,
                    new EndpointInterface("10.77.0.3/24", "", ""), Map.of("javanet.egress_rate", "10mbit"));
            if (KernelModules.polices()) {
                driver.createEndpoint(sending);
                assertThat(ThrowawayNamespace.run("tc", "-n", ns.name, "-j", "filter", "show", "dev", "jnv8e8d7c6b5a49",
                        "ingress")).contains("matchall").contains("police");
            } else {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> driver.createEndpoint(sending))
                        .hasMessageStartingWith("javanet.egress_rate: ").hasMessageContaining("CONFIG_NET_ACT_POLICE");
                assertThat(ThrowawayNamespace.run("ip", "-n", ns.name, "-br", "link")).doesNotContain("jnv8e8d7c6b5a49");
            }
        }
    }
}
