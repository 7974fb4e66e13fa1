package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import io.javanet.net.Rate;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Bandwidth limits of the links of one network namespace, shaped like {@code tc}. A link moved to another
 * namespace loses its qdiscs, so a container's link is limited in the container's namespace ({@link #in}).
 * Rates the kernel's clock cannot express (below a few hundred bit/s) are refused with IllegalArgumentException.
 */
public interface TrafficControl {

    /**
     * Equivalent to: {@code tc qdisc replace dev LINK root handle 1: tbf rate RATE burst BURST latency 50ms}, the
     * burst 10 ms at the rate and at least ten frames: what leaves LINK is shaped to RATE. A second call changes
     * the rate in place; whatever root qdisc LINK had is replaced.
     */
    void limitEgress(String link, Rate rate);

    /**
     * Equivalent to: {@code tc qdisc add dev LINK ingress} (if absent) and {@code tc filter add dev LINK ingress
     * pref 1 handle 1 protocol all matchall action police rate RATE burst BURST mtu 128kb drop}, the burst
     * 200 ms at the rate and at least 512 KiB, as TCP needs to reach RATE: what arrives on LINK faster than RATE
     * is dropped. A second call replaces the filter (matchall cannot be changed in place).
     * A kernel without matchall or police fails with EOPNOTSUPP and is left as it was.
     */
    void limitIngress(String link, Rate rate);

    /**
     * Equivalent to: {@code tc qdisc del dev LINK root} if that is a TBF, and {@code tc qdisc del dev LINK
     * ingress} with its filters; limits already absent are fine. The link must exist.
     */
    void clear(String link);

    /** Equivalent to: {@code tc qdisc show dev LINK} and {@code tc filter show dev LINK ingress}, read as limits. */
    BandwidthLimits limits(String link);

    /**
     * Equivalent to: {@code ip -o address show to ADDRESS}'s link: the link of this namespace holding ADDRESS
     * (prefix length ignored), as a container's link is found once Docker has moved, renamed and addressed it.
     */
    Optional<String> linkHolding(IPAddress address);

    /** Runs {@code work} with the traffic control of the namespace at {@code namespace}, e.g. a container's. */
    <T> T in(Path namespace, Function<TrafficControl, T> work);
}
