package io.javanet.net;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One of a network's pools, parsed: the pool itself (no host bits), its gateway and its {@code --aux-address}
 * reservations as interface addresses carrying the pool's prefix. Stored as text by {@link NetJson}.
 */
public record Subnet(IPAddress pool, Optional<IPAddress> gateway, List<IPAddress> auxAddresses) {

    public Subnet {
        Objects.requireNonNull(pool, "pool");
        gateway = gateway == null ? Optional.empty() : gateway;
        auxAddresses = auxAddresses == null ? List.of() : List.copyOf(auxAddresses);
    }

    /** From the text the store and the tests hold; an empty gateway means none. */
    public static Subnet parse(String pool, String gateway, List<String> auxAddresses) {
        return new Subnet(Cidr.parseNetwork("pool", pool),
                gateway == null || gateway.isEmpty() ? Optional.empty()
                        : Optional.of(Cidr.parseInterfaceAddress("gateway", gateway)),
                auxAddresses == null ? List.of()
                        : auxAddresses.stream().map(a -> Cidr.parseInterfaceAddress("aux address", a)).toList());
    }

    public static Subnet parse(String pool, String gateway) {
        return parse(pool, gateway, List.of());
    }

    public boolean isIpv6() {
        return pool.isIPv6();
    }

    /** The pool in canonical CIDR text, e.g. {@code 10.1.0.0/24} or {@code fd00:1::/64}. */
    public String poolText() {
        return pool.toCanonicalString();
    }

    @Override
    public String toString() {
        return poolText();
    }
}
