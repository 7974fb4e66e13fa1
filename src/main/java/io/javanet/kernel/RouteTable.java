package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.List;

/** The host's main routing table: what it already routes, so that new networks keep clear of it, and our routes. */
public interface RouteTable {

    /** Equivalent to: {@code ip route add DESTINATION dev LINK}, e.g. a container's /32 through its veth. */
    void addOnLinkRoute(IPAddress destination, String link);

    /** Every destination prefix of the main routing tables, IPv4 and IPv6, default routes excluded. */
    List<IPAddress> destinations();
}
