package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.LinkAddress;
import io.javanet.kernel.RouteTable;
import io.javanet.net.Cidr;
import io.javanet.net.Subnet;
import io.javanet.store.NetworkRecord;
import java.util.List;

/**
 * Keeps networks off the host's own addresses and next hops: a bridge on the host's LAN would take the host's
 * route to it, and a gateway equal to the host's default gateway would cut the host off. Networks on a parent's
 * LAN share it by design; there the gateway must be the LAN's router, not this host. {@code -o
 * javanet.allow_host_subnet=true} lets through a user who means it.
 */
final class HostSubnets {

    private final Addresses addresses;
    private final RouteTable routes;

    HostSubnets(Addresses addresses, RouteTable routes) {
        this.addresses = addresses;
        this.routes = routes;
    }

    /** @param link the link the network sits on, whose own addresses are the network's (an attached bridge's) */
    void refuseHostAddresses(NetworkRecord network, boolean onParentLan, String link, boolean allowed) {
        if (allowed) {
            return;
        }
        List<LinkAddress> own = addresses.hostAddresses();
        if (onParentLan) {
            network.subnets().forEach(s -> s.gateway().ifPresent(gateway -> refuseOwnGateway(s, gateway, own)));
            return;
        }
        List<LinkAddress> elsewhere = own.stream().filter(a -> !a.link().equals(link)).toList();
        List<LinkAddress> nextHops = routes.nextHops();
        for (Subnet subnet : network.subnets()) {
            refuseContained(subnet, elsewhere, "an address of this host");
            refuseContained(subnet, nextHops, "the next hop of a route of this host");
        }
    }

    private static void refuseContained(Subnet subnet, List<LinkAddress> taken, String what) {
        for (LinkAddress a : taken) {
            if (subnet.pool().contains(a.address())) {
                throw PluginException.conflict("subnet %s holds %s, %s on %s: the network would cut the host off its"
                        + " own network (-o %s=true if that is meant)", subnet.pool(), Cidr.hostText(a.address()), what,
                        a.link(), Labels.ALLOW_HOST_SUBNET);
            }
        }
    }

    private static void refuseOwnGateway(Subnet subnet, IPAddress gateway, List<LinkAddress> own) {
        for (LinkAddress a : own) {
            if (a.address().equals(gateway.withoutPrefixLength())) {
                throw PluginException.conflict("gateway %s of subnet %s is this host's own address on %s: the gateway of"
                        + " a network on a parent's LAN is the LAN's router", Cidr.hostText(gateway), subnet.pool(),
                        a.link());
            }
        }
    }
}
