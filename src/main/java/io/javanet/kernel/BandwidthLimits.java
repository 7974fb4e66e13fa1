package io.javanet.kernel;

import io.javanet.net.Rate;
import java.util.Optional;

/**
 * The bandwidth limits a link has in the kernel: what may leave it (a root TBF) and what may arrive on it (a
 * police action on its ingress); empty where there is none.
 */
public record BandwidthLimits(Optional<Rate> egress, Optional<Rate> ingress) {

    public static final BandwidthLimits NONE = new BandwidthLimits(Optional.empty(), Optional.empty());

    public BandwidthLimits withEgress(Rate rate) {
        return new BandwidthLimits(Optional.of(rate), ingress);
    }

    public BandwidthLimits withIngress(Rate rate) {
        return new BandwidthLimits(egress, Optional.of(rate));
    }
}
