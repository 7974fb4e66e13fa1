package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.List;

/** The destinations the host already routes, so that new networks keep clear of them. */
public interface RouteTable {

    /** Every destination prefix of the main routing tables, IPv4 and IPv6, default routes excluded. */
    List<IPAddress> destinations();
}
