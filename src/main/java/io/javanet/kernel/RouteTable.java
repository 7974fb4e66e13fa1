package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.OptionalInt;

/** The host's main routing table: what it already routes, so that new networks keep clear of it, and our routes. */
public interface RouteTable {

    /** Equivalent to: {@code ip route add DESTINATION dev LINK}, e.g. a container's /32 through its veth. */
    void addOnLinkRoute(IPAddress destination, String link);

    /** Equivalent to: {@code ip route show dev LINK}'s destinations, in the main table. */
    List<IPAddress> routesVia(String link);

    /** Every destination prefix of the main routing tables, IPv4 and IPv6, default routes excluded. */
    List<IPAddress> destinations();

    /**
     * The MTU of the link the main table's IPv4 default route leaves by (the lowest, if there are several), as
     * {@code ip route show default} then {@code ip link show DEV} would tell; empty without such a route.
     */
    OptionalInt uplinkMtu();

    /** The gateways of the main table's routes ({@code ip route show}'s {@code via}), each with its link. */
    List<LinkAddress> nextHops();
}
