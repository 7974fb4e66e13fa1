package io.javanet.driver.bandwidth;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddressString;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.NetworkDriver;
import io.javanet.kernel.BandwidthLimits;
import io.javanet.net.Rate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Per-container bandwidth limits, the first endpoint feature: on the host's end of the container's veth, from
 * driver-opts or the network's defaults, kept with the endpoint, repaired at start and checked by doctor.
 */
class BandwidthLimitTest extends DriverTestBase {

    private static final String VETH = "jnv0caf3d83e0f0";

    private static BandwidthLimits hostEnd(String sends, String receives) {
        return new BandwidthLimits(Optional.ofNullable(receives).map(Rate::parse), Optional.ofNullable(sends).map(Rate::parse));
    }

    @Test
    void driverOptsLimitWhatTheContainerSendsAndReceivesOnTheHostEndOfItsVeth() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of("javanet.egress_rate", "10mbit", "javanet.ingress_rate", "50Mbit"));
        assertThat(kernel.limits(VETH)).as("sent: policed as it arrives on the host end; received: shaped as it leaves")
                .isEqualTo(hostEnd("10mbit", "50mbit"));
        assertThat(storedEndpoint(EP).orElseThrow().features())
                .isEqualTo(Map.of("javanet.egress_rate", "10mbit", "javanet.ingress_rate", "50mbit"));
    }

    @Test
    void theNetworksOptionIsEveryEndpointsDefaultAndAnEndpointsOwnWins() {
        driver.createNetwork(network(NET, options(false, Map.of("javanet.ingress_rate", "20mbit")), "10.123.0.0/24",
                "10.123.0.1/24"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(kernel.limits(VETH)).isEqualTo(hostEnd(null, "20mbit"));
        String other = "1b" + EP.substring(2);
        endpoint(other, "10.123.0.3/24", "", Map.of("javanet.ingress_rate", "5mbit"));
        assertThat(kernel.limits("jnv1baf3d83e0f0")).isEqualTo(hostEnd(null, "5mbit"));
    }

    @Test
    void badValuesAreRefusedNamingTheOptionAndNothingIsMade() {
        createDefaultNetwork();
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of("javanet.egress_rate", "fast"))))
                .hasMessageStartingWith("javanet.egress_rate: ");
        assertThat(kernel.linkNames()).doesNotContain(VETH);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of("javanet.egress_rate", "0mbit"))))
                .hasMessageStartingWith("javanet.egress_rate: ");
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of("javanet.burst", "1mb"))))
                .hasMessage("driver-opt javanet.burst: unknown javanet endpoint option (known: javanet.egress_rate,"
                        + " javanet.ingress_rate)");

        assertThat(failure(() -> driver.createNetwork(network("3b" + NET.substring(2), options(false,
                Map.of("javanet.ingress_rate", "lots")), "10.124.0.0/24", "10.124.0.1/24"))))
                .hasMessageStartingWith("javanet.ingress_rate: ");
    }

    @Test
    void limitsTheKernelLostAreMadeAgainAtStartAndDoctorNamesThemMeanwhile() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of("javanet.egress_rate", "10mbit"));
        assertThat(driver.diagnose().checks()).filteredOn(c -> c.check().equals("bandwidth")).extracting(Check::ok)
                .containsExactly(true);
        kernel.clear(VETH);
        assertThat(driver.diagnose().checks()).filteredOn(c -> !c.ok()).extracting(Check::check, Check::detail)
                .containsExactly(tuple("bandwidth", VETH + " holds sends unlimited, receives unlimited, not sends 10mbit,"
                        + " receives unlimited as asked"));

        NetworkDriver restarted = localDriver(store, firewall);
        assertThat(restarted.reconcile()).isEqualTo(1);
        assertThat(kernel.limits(VETH)).isEqualTo(hostEnd("10mbit", null));
        assertThat(restarted.diagnose().checks()).filteredOn(c -> !c.ok()).isEmpty();
    }

    private static final String MACVLAN = "jnm0caf3d83e0f0";
    private static final Path CONTAINER = Path.of("/var/run/docker/netns/c0ffee");

    private static BandwidthLimits containerEnd(String sends, String receives) {
        return new BandwidthLimits(Optional.ofNullable(sends).map(Rate::parse), Optional.ofNullable(receives).map(Rate::parse));
    }

    private void macvlanNetwork(Map<String, String> generic) {
        kernel.addForeignBridge("lan0");
        Map<String, String> options = new java.util.HashMap<>(Map.of("javanet.mode", "macvlan", "parent", "lan0"));
        options.putAll(generic);
        driver.createNetwork(network(NET, options(false, options), "10.210.50.0/24", "10.210.50.1/24"));
    }

    /** As Docker does once Join has answered: the link goes into the container, renamed, then is addressed. */
    private void dockerMovesTheLink() {
        kernel.moveToContainer(MACVLAN, CONTAINER, "eth0");
        kernel.namespace(CONTAINER).add("eth0", new IPAddressString("10.210.50.2/24").getAddress());
    }

    @Test
    void onAMacvlanTheLimitsAreMadeInTheContainerOnceDockerHasMovedItsLinkAndRepairedThere() {
        macvlanNetwork(Map.of("javanet.egress_rate", "10mbit"));
        endpoint(EP, "10.210.50.2/24", "", Map.of("javanet.ingress_rate", "50mbit"));
        kernel.namespace(CONTAINER);
        driver.join(new JoinRequest(NET, EP, CONTAINER.toString(), Map.of()));
        assertThat(kernel.namespace(CONTAINER).linkNames()).as("Docker has not moved it yet").isEmpty();
        dockerMovesTheLink();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(kernel.namespace(CONTAINER).limits("eth0"))
                .as("sent: shaped as it leaves; received: policed as it arrives").isEqualTo(containerEnd("10mbit", "50mbit")));
        assertThat(driver.diagnose().checks()).filteredOn(c -> c.check().equals("bandwidth")).extracting(Check::ok)
                .containsExactly(true);

        kernel.namespace(CONTAINER).clear("eth0");
        assertThat(driver.diagnose().checks()).filteredOn(c -> !c.ok()).extracting(Check::check, Check::detail)
                .containsExactly(tuple("bandwidth", CONTAINER + " eth0 holds sends unlimited, receives unlimited, not"
                        + " sends 10mbit, receives 50mbit as asked"));
        NetworkDriver restarted = localDriver(store, firewall);
        assertThat(restarted.reconcile()).isEqualTo(1);
        assertThat(kernel.namespace(CONTAINER).limits("eth0")).isEqualTo(containerEnd("10mbit", "50mbit"));
        assertThat(restarted.diagnose().checks()).filteredOn(c -> !c.ok()).isEmpty();
    }

    @Test
    void onAKernelThatCannotPoliceAnIngressLimitOnAMacvlanIsRefusedAtCreateEndpointAndNothingIsMade() {
        kernel.policingSupported = false;
        macvlanNetwork(Map.of());
        assertThat(failure(() -> endpoint(EP, "10.210.50.2/24", "", Map.of("javanet.ingress_rate", "50mbit"))))
                .hasMessageStartingWith("javanet.ingress_rate: ");
        assertThat(kernel.linkNames()).containsExactly("lan0");
        assertThat(storedEndpoint(EP)).isEmpty();
        endpoint(EP, "10.210.50.2/24", "", Map.of("javanet.egress_rate", "10mbit"));
        assertThat(kernel.limits(MACVLAN)).as("made on its way, to be asked of the kernel while Docker can be told")
                .isEqualTo(containerEnd("10mbit", null));
    }
}
