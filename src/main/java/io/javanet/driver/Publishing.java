package io.javanet.driver;

import inet.ipaddr.IPAddress;
import java.util.Optional;

/**
 * What a network does with the ports its containers publish.
 *
 * @param defaultHostIp the host address of a binding that names none ({@code host_binding_ipv4}); none is every
 *                      address
 * @param routedIpv4    whether the IPv4 gateway routes rather than NATs: a binding opens the container's own port, and
 *                      no port of the host's
 * @param routedIpv6    the same for IPv6
 */
public record Publishing(Optional<IPAddress> defaultHostIp, boolean routedIpv4, boolean routedIpv6) {

    public static final Publishing NAT = new Publishing(Optional.empty(), false, false);

    public boolean routed(IPAddress containerIp) {
        return containerIp.isIPv6() ? routedIpv6 : routedIpv4;
    }
}
