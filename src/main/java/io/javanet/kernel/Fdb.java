package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/** The forwarding database of the host's VXLAN devices, shaped like {@code bridge fdb}. */
public interface Fdb {

    /**
     * Equivalent to: {@code bridge fdb append 00:00:00:00:00:00 dev LINK dst PEER self permanent}: what LINK
     * floods (broadcast, unknown unicast) goes to PEER too. Appending one already there is fine.
     */
    void appendFlood(String link, IPAddress peer);

    /** Equivalent to: {@code bridge fdb del 00:00:00:00:00:00 dev LINK dst PEER self}; one already gone is fine. */
    void removeFlood(String link, IPAddress peer);
}
