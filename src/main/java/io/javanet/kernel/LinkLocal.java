package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/** An IPv6 link-local address reached through one link, as {@code fe80::1%jnwg0} names it. */
public record LinkLocal(IPAddress address, String link) {

    public LinkLocal {
        if (!address.isIPv6() || !address.isLinkLocal()) {
            throw new IllegalArgumentException(address + " is not an IPv6 link-local address");
        }
        address = address.withoutPrefixLength();
    }

    @Override
    public String toString() {
        return address + "%" + link;
    }
}
