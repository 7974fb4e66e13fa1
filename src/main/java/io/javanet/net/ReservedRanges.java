package io.javanet.net;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import java.util.List;

/**
 * Address ranges no container network may take: a bridge given an address there would break the host (a
 * default-route-wide or loopback subnet) or carry traffic nothing can route (multicast, reserved, link-local).
 * IPv4 link-local stays usable: routed networks keep their gateway there.
 */
public final class ReservedRanges {

    private record Range(IPAddress block, String what) {
    }

    private static final List<Range> RANGES = List.of(
            range("0.0.0.0/8", "unspecified (\"this network\")"),
            range("127.0.0.0/8", "loopback"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "reserved, with the broadcast address"),
            range("::/128", "unspecified"),
            range("::1/128", "loopback"),
            range("fe80::/10", "link-local"),
            range("ff00::/8", "multicast"));

    private ReservedRanges() {
    }

    private static Range range(String block, String what) {
        return new Range(Cidr.parseNetwork("range", block), what);
    }

    /** Refuses a pool that is default-route-wide or overlaps a reserved range, naming the field and the range. */
    public static void refuseReserved(String field, IPAddress pool) {
        if (pool.getNetworkPrefixLength() == 0) {
            throw PluginException.invalid("%s: %s covers every address (the default route's range): no network may"
                    + " take it", field, pool.toCanonicalString());
        }
        for (Range range : RANGES) {
            if (range.block().getIPVersion() == pool.getIPVersion() && range.block().overlaps(pool)) {
                throw PluginException.invalid("%s: %s overlaps %s, %s addresses: no network may take them", field,
                        pool.toCanonicalString(), range.block().toCanonicalString(), range.what());
            }
        }
    }
}
