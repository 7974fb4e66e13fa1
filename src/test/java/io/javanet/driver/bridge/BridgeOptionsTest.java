package io.javanet.driver.bridge;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.GwAllocCheckResponse;
import io.javanet.api.network.JoinRequest;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.Labels;
import io.javanet.driver.LinkNames;
import io.javanet.driver.bridge.BridgeMode;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker's bridge-driver options on a bridge network: each honoured as Docker's bridge does, or refused by name. */
class BridgeOptionsTest extends DriverTestBase {

    private static final String BRIDGE = "jn-3db071b3a55c";

    private void bridgeNetwork(boolean internal, Map<String, String> generic) {
        driver.createNetwork(network(NET, options(internal, generic), "10.123.0.0/24", "10.123.0.1/24"));
    }

    private FirewallNetwork rules() {
        return firewall.networks().values().iterator().next();
    }

    @Test
    void withoutOptionsDockersDefaultsHold() {
        bridgeNetwork(false, Map.of());
        assertThat(rules().policy()).isEqualTo(FirewallNetwork.Policy.DEFAULT);
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(kernel.isolated(LinkNames.hostVeth(EP))).isFalse();
        assertThat(driver.join(new JoinRequest(NET, EP, "/x", Map.of())).interfaceName().dstPrefix()).isEqualTo("eth");
    }

    @Test
    void iccOffIsolatesEachContainersPortAndTellsTheFirewall() {
        bridgeNetwork(false, Map.of(BridgeMode.ENABLE_ICC, "false"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        String veth = LinkNames.hostVeth(EP);
        assertThat(kernel.link(veth).orElseThrow().master()).isEqualTo(BRIDGE);
        assertThat(kernel.isolated(veth)).as("a port that reaches no other isolated port").isTrue();
        assertThat(rules().policy().icc()).isFalse();
    }

    @Test
    void anIsolatedPortPutBackOnItsBridgeAtStartIsIsolatedAgain() {
        bridgeNetwork(false, Map.of(BridgeMode.ENABLE_ICC, "0"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        String veth = LinkNames.hostVeth(EP);
        kernel.delete(BRIDGE);
        assertThat(kernel.isolated(veth)).as("a port off its bridge has no port flags").isFalse();
        driver.reconcile();
        assertThat(kernel.link(veth).orElseThrow().master()).isEqualTo(BRIDGE);
        assertThat(kernel.isolated(veth)).isTrue();
    }

    @Test
    void masqueradeOffAndASourceAddressReachTheFirewallPerFamily() {
        bridgeNetwork(false, Map.of(BridgeMode.ENABLE_IP_MASQUERADE, "false", BridgeMode.HOST_IPV4, "192.0.2.10"));
        FirewallNetwork.Family ipv4 = rules().policy().ipv4();
        assertThat(ipv4.masquerade()).isFalse();
        assertThat(ipv4.snat()).contains(Cidr.parseHost("t", "192.0.2.10"));
    }

    @Test
    void aHostBindingAddressIsWherePortsNamingNoneArePublished() {
        bridgeNetwork(false, Map.of(BridgeMode.HOST_BINDING_IPV4, "127.0.0.1"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 18080, 18080, 80), port(6, "0.0.0.0", 18081, 18081, 81)));
        assertThat(firewall.ports()).containsExactly(PortBinding.parse("tcp", "127.0.0.1", 18080, "10.123.0.2", 80),
                PortBinding.parse("tcp", "", 18081, "10.123.0.2", 81));
    }

    @Test
    void inhibitIpv4LeavesTheBridgeWithoutItsAddressButGivesContainersTheGateway() {
        bridgeNetwork(false, Map.of(BridgeMode.INHIBIT_IPV4, "true"));
        assertThat(kernel.link(BRIDGE).orElseThrow().addresses()).isEmpty();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(driver.join(new JoinRequest(NET, EP, "/x", Map.of())).gateway()).isEqualTo("10.123.0.1");
    }

    @Test
    void anIsolatedGatewayIsForInternalNetworksOnlyAndHoldsNoAddress() {
        assertThat(failure(() -> bridgeNetwork(false, Map.of(BridgeMode.GATEWAY_MODE_IPV4, "isolated"))))
                .hasMessageContaining("-o " + BridgeMode.GATEWAY_MODE_IPV4 + "=isolated: only for an internal network");
        assertThat(kernel.linkNames()).as("nothing made").isEmpty();
        bridgeNetwork(true, Map.of(BridgeMode.GATEWAY_MODE_IPV4, "isolated"));
        assertThat(kernel.link(BRIDGE).orElseThrow().addresses()).isEmpty();
    }

    @Test
    void dockerIsToldNotToReserveAGatewayNoContainerWouldUse() {
        Map<String, GwAllocCheckResponse> answers = new HashMap<>();
        answers.put("isolated v4", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, Map.of(BridgeMode.GATEWAY_MODE_IPV4, "isolated")))));
        answers.put("isolated v6", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, Map.of(BridgeMode.GATEWAY_MODE_IPV6, "isolated")))));
        answers.put("inhibited internal", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, Map.of(BridgeMode.INHIBIT_IPV4, "true")))));
        answers.put("inhibited", driver.gwAllocCheck(new GwAllocCheckRequest(options(false, Map.of(BridgeMode.INHIBIT_IPV4, "true")))));
        assertThat(answers).containsEntry("isolated v4", new GwAllocCheckResponse(true, false))
                .containsEntry("isolated v6", new GwAllocCheckResponse(false, true))
                .containsEntry("inhibited internal", new GwAllocCheckResponse(true, false))
                .containsEntry("inhibited", new GwAllocCheckResponse(false, false));
    }

    @Test
    void aRoutedGatewayPublishesTheContainersOwnPortAndNoHostPort() {
        bridgeNetwork(false, Map.of(BridgeMode.GATEWAY_MODE_IPV4, "routed", BridgeMode.TRUSTED_HOST_INTERFACES, "eth9:eth8"));
        FirewallNetwork.Policy policy = rules().policy();
        assertThat(policy.ipv4()).isEqualTo(new FirewallNetwork.Family(GatewayMode.ROUTED, false, Optional.empty()));
        assertThat(policy.ipv6()).isEqualTo(FirewallNetwork.Family.NAT);
        assertThat(policy.trustedInterfaces()).containsExactly("eth9", "eth8");
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        program(EP, List.of(port(6, "", 18080, 18080, 80)));
        assertThat(firewall.ports()).containsExactly(PortBinding.parse("tcp", "", 0, "10.123.0.2", 80));
    }

    @Test
    void theInterfacePrefixNamesTheContainersInterfaceInEveryMode() {
        driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "routed", Labels.CONTAINER_IFACE_PREFIX, "jnx")),
                "10.123.0.0/24", "10.123.0.1/24"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(driver.join(new JoinRequest(NET, EP, "/x", Map.of())).interfaceName().dstPrefix()).isEqualTo("jnx");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "com.docker.network.bridge.enable_icc|no|expected true or false",
            "com.docker.network.bridge.enable_ip_masquerade|maybe|expected true or false",
            "com.docker.network.bridge.inhibit_ipv4|2|expected true or false",
            "com.docker.network.bridge.gateway_mode_ipv4|nat-ish|unknown gateway mode \"nat-ish\" (supported: nat, nat-unprotected, routed, isolated)",
            "com.docker.network.bridge.gateway_mode_ipv6|direct|unknown gateway mode",
            "com.docker.network.bridge.host_binding_ipv4|localhost|",
            "com.docker.network.host_ipv4|fd00::1|is not an IPv4 address",
            "com.docker.network.host_ipv6|192.0.2.1|is not an IPv6 address",
            "com.docker.network.bridge.trusted_host_interfaces|eth0:bad name|may hold only letters",
            "com.docker.network.container_iface_prefix|eth/|may hold only letters",
            "com.docker.network.container_iface_prefix|abcdefghijklm|leaves no room for the number",
            "com.docker.network.bridge.default_bridge|true|an option of Docker's own drivers that javanet does not implement",
            "com.docker.network.driver.overlay.vxlanid_list|4097|an option of Docker's own drivers that javanet does not implement",
    })
    void aBadOrUnknownOptionIsRefusedByNameAndNothingIsMade(String key, String value, String why) {
        assertThat(failure(() -> bridgeNetwork(false, Map.of(key, value)))).hasMessageContaining("-o " + key)
                .hasMessageContaining(why == null ? "" : why);
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).isEmpty();
        assertThat(storedNetwork(NET)).isEmpty();
    }

    @Test
    void aBridgeOptionOnAnotherModeIsRefusedNamingTheModeThatTakesIt() {
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of("javanet.mode", "routed",
                BridgeMode.ENABLE_ICC, "false")), "10.123.0.0/24", "10.123.0.1/24"))))
                .hasMessageContaining("-o " + BridgeMode.ENABLE_ICC + ": only for -o javanet.mode=bridge, not routed");
    }

    @Test
    void theEndpointsInterfaceNameIsRefusedSinceDockerTakesNoneFromARemoteDriver() {
        bridgeNetwork(false, Map.of());
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of(Labels.ENDPOINT_IFNAME, "app0"))))
                .hasMessageContaining("driver-opt " + Labels.ENDPOINT_IFNAME).hasMessageContaining(Labels.CONTAINER_IFACE_PREFIX);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(kernel.link(LinkNames.hostVeth(EP))).isEmpty();
        endpoint(EP, "10.123.0.2/24", "", Map.of("com.docker.network.endpoint.sysctls", "net.ipv4.conf.IFNAME.log_martians=1"));
        assertThat(storedEndpoint(EP)).as("sysctls are Docker's to apply, and pass").isPresent();
    }
}
