package io.javanet.ipam;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where networks created without {@code --subnet} get their pool: each base block is cut into subnets of one
 * size, handed out in order, skipping any that overlap a pool in use or a route of the host.
 */
public record DefaultPools(List<IPAddress> ipv4Bases, int ipv4Size, List<IPAddress> ipv6Bases, int ipv6Size) {

    /** 10.200.0.0/14 in /24s (1024 networks) and fd6a:6e65:7400::/40 in /64s. */
    public static DefaultPools standard() {
        return new DefaultPools(List.of(Cidr.parseNetwork("default pool", "10.200.0.0/14")), 24,
                List.of(Cidr.parseNetwork("default pool", "fd6a:6e65:7400::/40")), 64);
    }

    public DefaultPools {
        ipv4Bases = List.copyOf(ipv4Bases);
        ipv6Bases = List.copyOf(ipv6Bases);
        check(ipv4Bases, ipv4Size, true);
        check(ipv6Bases, ipv6Size, false);
    }

    /** The first candidate of the family for which {@code inUse} is false. */
    public Optional<IPAddress> first(boolean v6, Predicate<IPAddress> inUse) {
        for (IPAddress base : v6 ? ipv6Bases : ipv4Bases) {
            Iterator<? extends IPAddress> it = base.setPrefixLength(v6 ? ipv6Size : ipv4Size, false)
                    .prefixBlockIterator();
            while (it.hasNext()) {
                IPAddress candidate = it.next();
                if (!inUse.test(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void check(List<IPAddress> bases, int size, boolean ipv4) {
        for (IPAddress base : bases) {
            if (base.isIPv4() != ipv4) {
                throw new IllegalArgumentException("default pool " + base + " is not " + (ipv4 ? "IPv4" : "IPv6"));
            }
            if (size < base.getNetworkPrefixLength() || size > (ipv4 ? 30 : 124)) {
                throw new IllegalArgumentException("default pool size /" + size + " does not fit in " + base);
            }
        }
    }
}
