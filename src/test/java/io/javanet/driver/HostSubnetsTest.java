package io.javanet.driver;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.IpamData;
import io.javanet.net.Cidr;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No network may cut the host off: reserved ranges, the host's own addresses and next hops are refused. */
class HostSubnetsTest extends DriverTestBase {

    @BeforeEach
    void hostOnItsLan() {
        kernel.addForeignBridge("eth0");
        kernel.add("eth0", Cidr.parseInterfaceAddress("a", "192.168.50.10/24"));
        kernel.addNextHop("eth0", Cidr.parseHost("g", "192.168.50.1"));
        kernel.addNextHop("eth0", Cidr.parseHost("g", "172.31.0.1"));
    }

    private String refusal(Map<String, String> generic, String pool, String gateway) {
        return failure(() -> driver.createNetwork(network(NET, options(false, generic), pool, gateway))).getMessage();
    }

    private void assertNothingMade() {
        assertThat(kernel.linkNames()).containsExactly("eth0");
        assertThat(store.read(Tx::networks)).isEmpty();
    }

    @Test
    void reservedRangesAreRefusedNamingThePoolAndWhy() {
        assertThat(refusal(Map.of(), "0.0.0.0/0", "")).isEqualTo("IPv4Data[0].Pool: 0.0.0.0/0 covers every address"
                + " (the default route's range): no network may take it");
        assertThat(refusal(Map.of(), "127.0.0.0/24", "")).isEqualTo("IPv4Data[0].Pool: 127.0.0.0/24 overlaps"
                + " 127.0.0.0/8, loopback addresses: no network may take them");
        assertThat(refusal(Map.of(), "224.0.0.0/24", "")).contains("224.0.0.0/4, multicast");
        assertThat(refusal(Map.of(), "240.0.0.0/24", "")).contains("240.0.0.0/4, reserved");
        assertThat(refusal(Map.of(), "0.0.0.0/1", "")).contains("0.0.0.0/8, unspecified");
        for (String v6 : List.of("::1/128", "fe80::/64", "ff02::/64", "::/0")) {
            CreateNetworkRequest request = new CreateNetworkRequest(NET, options(false, Map.of()),
                    List.of(new IpamData("javanet-local", "10.1.0.0/24", "", Map.of())),
                    List.of(new IpamData("javanet-local", v6, "", Map.of())));
            assertThat(failure(() -> driver.createNetwork(request))).hasMessageStartingWith("IPv6Data[0].Pool: " + v6);
        }
        assertNothingMade();
    }

    @Test
    void aBridgeOnTheHostsLanOrOverItsNextHopIsRefusedUnlessAllowed() {
        assertThat(refusal(Map.of(), "192.168.50.0/24", "192.168.50.1/24")).isEqualTo("subnet 192.168.50.0/24 holds"
                + " 192.168.50.10, an address of this host on eth0: the network would cut the host off its own network"
                + " (-o javanet.allow_host_subnet=true if that is meant)");
        assertThat(refusal(Map.of(), "172.31.0.0/24", "")).startsWith("subnet 172.31.0.0/24 holds 172.31.0.1, the"
                + " next hop of a route of this host on eth0");
        assertThat(refusal(Map.of("javanet.mode", "routed"), "192.168.0.0/16", "")).contains("on eth0");
        assertThat(refusal(Map.of("javanet.allow_host_subnet", "yes"), "10.1.0.0/24", ""))
                .isEqualTo("-o javanet.allow_host_subnet: expected true or false, got \"yes\"");
        assertNothingMade();
        driver.createNetwork(network(NET, options(false, Map.of("javanet.allow_host_subnet", "true")), "172.31.0.0/24",
                "172.31.0.2/24"));
        assertThat(storedNetwork(NET)).isPresent();
    }

    @Test
    void aMacvlanNetworkSharesItsParentsLanButItsGatewayIsNotTheHost() {
        Map<String, String> macvlan = Map.of("javanet.mode", "macvlan", "parent", "eth0");
        assertThat(refusal(macvlan, "192.168.50.0/24", "192.168.50.10/24")).isEqualTo("gateway 192.168.50.10 of subnet"
                + " 192.168.50.0/24 is this host's own address on eth0: the gateway of a network on a parent's LAN is the"
                + " LAN's router");
        assertNothingMade();
        driver.createNetwork(network(NET, options(false, macvlan), "192.168.50.0/24", "192.168.50.1/24"));
        assertThat(storedNetwork(NET)).isPresent();
    }
}
