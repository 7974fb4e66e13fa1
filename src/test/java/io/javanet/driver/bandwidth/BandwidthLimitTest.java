package io.javanet.driver.bandwidth;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.javanet.api.status.Diagnosis.Check;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.NetworkDriver;
import io.javanet.kernel.BandwidthLimits;
import io.javanet.net.Rate;
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
    void badValuesAndModesWithoutAHostEndAreRefusedNamingTheOptionAndNothingIsMade() {
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

        kernel.addForeignBridge("lan0");
        assertThat(failure(() -> driver.createNetwork(network("2b" + NET.substring(2), options(false,
                Map.of("javanet.mode", "macvlan", "parent", "lan0", "javanet.egress_rate", "10mbit")), "10.210.50.0/24",
                "")))).hasMessageStartingWith("javanet.egress_rate: not on a macvlan network");
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
}
