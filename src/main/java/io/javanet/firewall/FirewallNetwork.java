package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.GatewayMode;
import java.util.List;
import java.util.Optional;

/**
 * What the firewall needs of a network: its bridge (empty for a routed network, whose endpoints come as
 * {@link RoutedLink}s), whether it is internal (no way in or out but between its own endpoints), its subnets
 * (pools), and how the host treats its traffic ({@link Policy}).
 */
public record FirewallNetwork(String bridge, boolean internal, List<IPAddress> subnets, Policy policy) {

    public FirewallNetwork {
        subnets = List.copyOf(subnets);
    }

    /** A network with Docker's bridge defaults: masqueraded, its containers reaching each other, ports protected. */
    public FirewallNetwork(String bridge, boolean internal, List<IPAddress> subnets) {
        this(bridge, internal, subnets, Policy.DEFAULT);
    }

    /**
     * A bridge of the user's that our veths are ports of, which the host does not route for (an attach network
     * without NAT): only what lets its frames past Docker's forward policy when bridged frames are filtered.
     */
    public static FirewallNetwork attached(String bridge) {
        return new FirewallNetwork(bridge, false, List.of(), Policy.BRIDGED);
    }

    /** The policy of the family of {@code subnet}. */
    Family family(IPAddress subnet) {
        return subnet.isIPv6() ? policy.ipv6() : policy.ipv4();
    }

    /**
     * @param routedByHost      whether the host routes the network's traffic (NAT, isolation, published ports); an
     *                          attach network without NAT is bridged only
     * @param icc               whether its containers may reach each other
     * @param trustedInterfaces host links whose traffic may reach the containers' addresses directly, as from the
     *                          bridge ({@code trusted_host_interfaces})
     */
    public record Policy(boolean routedByHost, boolean icc, Family ipv4, Family ipv6, List<String> trustedInterfaces) {

        public static final Policy DEFAULT = new Policy(true, true, Family.NAT, Family.NAT, List.of());
        static final Policy BRIDGED = new Policy(false, true, Family.NAT, Family.NAT, List.of());

        public Policy {
            trustedInterfaces = List.copyOf(trustedInterfaces);
        }
    }

    /**
     * How one address family leaves and enters the network.
     *
     * @param masquerade whether its traffic out of the host is masqueraded ({@code snat} given: to that address)
     */
    public record Family(GatewayMode mode, boolean masquerade, Optional<IPAddress> snat) {

        public static final Family NAT = new Family(GatewayMode.NAT, true, Optional.empty());
    }
}
