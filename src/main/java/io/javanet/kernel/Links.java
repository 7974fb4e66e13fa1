package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/** Network links of the host namespace, shaped like {@code ip link}. */
public interface Links {

    /**
     * Equivalent to: {@code ip link add NAME [mtu MTU] [address MAC] [master BRIDGE] [up] [link PARENT] type KIND
     * …}, in one request: the kernel makes the link with all it was given, or makes nothing (a full bridge fails
     * with EXFULL, an unknown kind with EOPNOTSUPP). The link is marked as ours.
     */
    void add(Link link);

    /**
     * Equivalent to: {@code bridge fdb append 00:00:00:00:00:00 dev LINK dst PEER self permanent}: what the
     * VXLAN device LINK floods (broadcast, unknown unicast) goes to PEER too. Appending one already there is fine.
     */
    void appendFlood(String link, IPAddress peer);

    /** Equivalent to: {@code bridge fdb del 00:00:00:00:00:00 dev LINK dst PEER self}; one already gone is fine. */
    void removeFlood(String link, IPAddress peer);

    /** As {@link #appendFlood(String, IPAddress)}, to a link-local PEER: {@code … dst ADDRESS via ITS LINK}. */
    void appendFlood(String link, LinkLocal peer);

    /** As {@link #removeFlood(String, IPAddress)}, to a link-local PEER. */
    void removeFlood(String link, LinkLocal peer);

    /** Equivalent to: {@code bridge fdb show dev LINK}'s flood entries: where the VXLAN device LINK floods to. */
    List<IPAddress> floodDestinations(String link);

    /** Equivalent to: {@code ip link set NAME master MASTER}. */
    void setMaster(String name, String master);

    /**
     * Equivalent to: {@code ip link set NAME type bridge_slave isolated on}: the bridge port NAME forwards to no
     * other isolated port of its bridge, only to the bridge itself and to ports that are not isolated.
     */
    void setPortIsolated(String name);

    /** Equivalent to: {@code ip link set NAME up}. */
    void setUp(String name);

    /**
     * Equivalent to: {@code sysctl net.ipv4.conf.NAME.route_localnet=1}, which lets traffic to 127.0.0.1 be
     * routed out of NAME (a port published on 127.0.0.1); done over netlink, so it works where /proc/sys is
     * read-only, as in a managed plugin.
     */
    void setRouteLocalnet(String name);

    /**
     * Equivalent to: {@code sysctl net.ipv4.conf.NAME.proxy_arp=1 net.ipv4.neigh.NAME.proxy_delay=0}: NAME answers
     * ARP requests for addresses the host routes through another link, at once; over netlink, like
     * {@link #setRouteLocalnet}.
     */
    void setProxyArp(String name);

    /** Equivalent to: {@code ip link del NAME}; a veth takes its peer with it. */
    void delete(String name);

    /** Whether a link of that name exists. */
    boolean exists(String name);

    /** Equivalent to: {@code ip -d link show NAME}'s kind (bridge, veth, …; empty for a plain device); none if absent. */
    Optional<String> kind(String name);

    /** The link's master's name, empty when it has none; the link must exist. */
    Optional<String> master(String name);

    /**
     * The links of the namespace that this javanet created (marked so at creation, by alias), whether or not
     * its state still knows them: what start-up reconciliation may remove.
     */
    List<String> owned();
}
