package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * What the firewall needs of a network: its bridge (empty for a routed network, whose endpoints come as
 * {@link RoutedLink}s), whether it is internal (no way in or out but between its
 * own endpoints), and its subnets (pools) (masqueraded on the way out unless internal).
 */
public record FirewallNetwork(String bridge, boolean internal, List<IPAddress> subnets) {

    public FirewallNetwork {
        subnets = List.copyOf(subnets);
    }
}
