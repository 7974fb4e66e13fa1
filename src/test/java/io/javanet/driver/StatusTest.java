package io.javanet.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.network.JoinRequest;
import io.javanet.api.status.PluginStatus;
import io.javanet.api.status.PluginStatus.EndpointStatus;
import io.javanet.api.status.PluginStatus.NetworkStatus;
import io.javanet.api.status.PluginStatus.PublishedPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the status endpoint reports: networks, endpoints and the host ports chosen for them, from the state. */
class StatusTest extends DriverTestBase {

    @Test
    void aNetworkItsEndpointsAndTheHostPortsChosenForThemAreReported() {
        assertThat(driver.status()).isEqualTo(new PluginStatus("local", List.of(), List.of()));
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/c1", Map.of()));
        program(EP, List.of(port(6, "", 0, 0, 80), port(17, "127.0.0.1", 5353, 5353, 53)));
        driver.createNetwork(network("r1", options(true, ROUTED), "10.124.0.0/24", ""));

        PluginStatus status = driver.status();
        assertThat(status.networks()).extracting(NetworkStatus::networkId).containsExactlyInAnyOrder(NET, "r1");
        NetworkStatus bridge = status.networks().stream().filter(n -> n.networkId().equals(NET)).findFirst().orElseThrow();
        assertThat(bridge.mode()).isEqualTo("bridge");
        assertThat(bridge.link()).isEqualTo(LinkNames.bridge(NET));
        assertThat(bridge.subnets()).containsExactly("10.123.0.0/24 gateway 10.123.0.1");
        assertThat(bridge.internal()).isFalse();
        assertThat(bridge.encrypted()).isFalse();
        EndpointStatus endpoint = bridge.endpoints().getFirst();
        assertThat(endpoint.endpointId()).isEqualTo(EP);
        assertThat(endpoint.address()).isEqualTo("10.123.0.2/24");
        assertThat(endpoint.hostLink()).isEqualTo(LinkNames.hostVeth(EP));
        assertThat(endpoint.sandboxKey()).isEqualTo("/var/run/docker/netns/c1");
        int chosen = storedEndpoint(EP).orElseThrow().portMap().getFirst().hostPort();
        assertThat(chosen).as("javanet chose it: Docker left the choice").isPositive();
        assertThat(endpoint.ports()).containsExactly(new PublishedPort("tcp", "", chosen, 80),
                new PublishedPort("udp", "127.0.0.1", 5353, 53));
        NetworkStatus routed = status.networks().stream().filter(n -> n.networkId().equals("r1")).findFirst().orElseThrow();
        assertThat(routed.mode()).isEqualTo("routed");
        assertThat(routed.internal()).isTrue();
        assertThat(routed.endpoints()).isEmpty();
    }
}
