package io.javanet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.status.PluginStatus;
import io.javanet.api.status.PluginStatus.EndpointStatus;
import io.javanet.api.status.PluginStatus.NetworkStatus;
import io.javanet.api.status.PluginStatus.PublishedPort;
import io.javanet.engine.EngineNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What docker javanet shows, from statuses and Docker's names, in docker port's words where it can. */
class StatusViewTest {

    private static final String NET = "a1b2c3d4e5f6a7b8";
    private static final EndpointStatus WEB = new EndpointStatus("e1e1e1e1e1e1e1e1", "10.1.0.2/24", "", "02:42:0a:01:00:02",
            "jnve1e1e1e1e1e1", "/var/run/docker/netns/x", List.of(new PublishedPort("tcp", "", 49153, 80),
            new PublishedPort("udp", "::1", 5353, 53)));
    private static final EndpointStatus DB = new EndpointStatus("d2d2d2d2d2d2d2d2", "10.1.0.3/24", "", "02:42:0a:01:00:03",
            "jnvd2d2d2d2d2d2", "", List.of());
    private static final PluginStatus LOCAL = new PluginStatus("local", List.of(new NetworkStatus(NET, "bridge",
            "jn-a1b2c3d4e5f6", "", 1500, false, false, List.of("10.1.0.0/24 gateway 10.1.0.1"), List.of(WEB, DB))), List.of());
    private static final PluginStatus OVERLAY = new PluginStatus("global", List.of(new NetworkStatus("f0f0f0f0f0f0f0f0",
            "overlay", "jnxf0f0f0f0f0f0", "", 1350, true, true, List.of("10.2.0.0/24 gateway 10.2.0.1"), List.of())),
            List.of("192.0.2.12"));

    private final StatusView view = new StatusView(List.of(LOCAL, OVERLAY),
            new EngineNames(Map.of("e1e1e1e1e1e1e1e1", "web"), Map.of(NET, "front")));

    @Test
    void portsReadAsDockerPortWouldShowThem() {
        List<StatusView.PortRow> web = view.ports(Set.of("e1e1e1e1e1e1e1e1"));
        assertThat(web).extracting(StatusView.PortRow::dockerPortLine)
                .containsExactly("53/udp -> [::1]:5353", "80/tcp -> 0.0.0.0:49153");
        assertThat(view.ports(Set.of("d2d2d2d2d2d2d2d2"))).as("an endpoint that publishes nothing").isEmpty();
        assertThat(view.ports(Set.of())).extracting(StatusView.PortRow::container, StatusView.PortRow::network)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("web", "front"));
    }

    @Test
    void networksOfEveryInstallAreListedWithDockersNamesOrShortIds() {
        Table table = Table.of(view.networkRows(), List.of("NETWORK", "MODE", "FLAGS"),
                r -> List.of(r.name(), r.mode(), String.join(",", r.flags())));
        assertThat(table.text()).isEqualTo(String.join(System.lineSeparator(),
                "NETWORK        MODE      FLAGS",
                "f0f0f0f0f0f0   overlay   internal,encrypted",
                "front          bridge    ", ""));
    }

    @Test
    void aNetworkInFullNamesItsEndpointsContainersOrShortIds() {
        StatusView.NetworkDetail detail = view.network(NET).orElseThrow();
        assertThat(detail.network().subnets()).containsExactly("10.1.0.0/24 gateway 10.1.0.1");
        assertThat(detail.endpoints()).extracting(StatusView.EndpointRow::container).containsExactly("web", "d2d2d2d2d2d2");
        assertThat(detail.endpoints().getFirst().ports()).containsExactly("80/tcp -> 0.0.0.0:49153", "53/udp -> [::1]:5353");
        assertThat(view.network("nope")).isEmpty();
    }
}
