package io.javanet.firewall;

import java.util.List;

/**
 * What the firewall needs of a routed endpoint: the host end of its veth, whether its network is internal, and
 * its network's subnets (CIDR form), which the container may reach through the host.
 */
public record RoutedLink(String link, boolean internal, List<String> subnets) {

    public RoutedLink {
        subnets = List.copyOf(subnets);
    }
}
