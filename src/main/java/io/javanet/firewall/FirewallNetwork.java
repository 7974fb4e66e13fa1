package io.javanet.firewall;

import java.util.List;

/**
 * What the firewall needs of a network: its bridge (empty for a routed network, whose endpoints come as
 * {@link RoutedLink}s), whether it is internal (no way in or out but between its
 * own endpoints), and its subnets in CIDR form (masqueraded on the way out unless internal).
 */
public record FirewallNetwork(String bridge, boolean internal, List<String> subnets) {

    public FirewallNetwork {
        subnets = List.copyOf(subnets);
    }
}
