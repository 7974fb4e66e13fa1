package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * What the firewall needs of a routed endpoint: the host end of its veth, whether its network is internal, and
 * its network's subnets (pools), which the container may reach through the host.
 */
public record RoutedLink(String link, boolean internal, List<IPAddress> subnets) {

    public RoutedLink {
        subnets = List.copyOf(subnets);
    }
}
