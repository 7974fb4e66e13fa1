package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.Optional;

/**
 * A route of a table: {@code ip route add DESTINATION [via GATEWAY] [dev LINK] table TABLE}.
 *
 * @param destination a prefix block; 0.0.0.0/0 or ::/0 for a default route
 * @param linkIndex   the outgoing link, 0 for none
 */
public record Route(IPAddress destination, Optional<IPAddress> gateway, int linkIndex, int table) {

    public static final int MAIN_TABLE = 254;

    /** {@code ip route add DESTINATION dev LINK}: on-link, e.g. a /32 to a container's veth. */
    public static Route onLink(IPAddress destination, int linkIndex) {
        return new Route(destination.toPrefixBlock(), Optional.empty(), linkIndex, MAIN_TABLE);
    }

    /** {@code ip route add DESTINATION via GATEWAY}, e.g. a default route. */
    public static Route via(IPAddress destination, IPAddress gateway) {
        return new Route(destination.toPrefixBlock(), Optional.of(gateway), 0, MAIN_TABLE);
    }
}
