package io.javanet.driver.bandwidth;

import io.javanet.driver.EndpointFeature;
import io.javanet.driver.Findings;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.kernel.BandwidthLimits;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.kernel.TrafficControl;
import io.javanet.net.Rate;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-container bandwidth limits: {@code javanet.egress_rate} caps what the container sends, {@code
 * javanet.ingress_rate} what it receives, in tc's units ({@code 10mbit}, {@code 1gbit}, {@code 500kbit}). Made on
 * the host's end of the container's veth, where what the container sends arrives (policed on its ingress) and
 * what it receives leaves (shaped by a TBF): nothing inside the container, so they hold whatever it does. Modes
 * whose endpoints have no host end (a macvlan, an ipvlan, the overlay's macvlans) refuse them, by name.
 */
public final class BandwidthLimit implements EndpointFeature {

    public static final String EGRESS_RATE = "javanet.egress_rate";
    public static final String INGRESS_RATE = "javanet.ingress_rate";

    private final TrafficControl tc;
    private final Links links;

    public BandwidthLimit(TrafficControl tc, Links links) {
        this.tc = tc;
        this.links = links;
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(EGRESS_RATE, INGRESS_RATE);
    }

    @Override
    public Map<String, String> parse(Map<String, String> options, NetworkMode mode, NetworkRecord network) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String key : new TreeSet<>(options.keySet())) {
            if (!mode.vethEndpoints()) {
                throw PluginException.invalid("%s: not on a %s network, whose containers' links have no end on the host"
                        + " to limit (bridge, routed and attach networks take it)", key, network.mode());
            }
            try {
                kept.put(key, Rate.parse(options.get(key)).toString());
            } catch (IllegalArgumentException e) {
                throw PluginException.invalid("%s: %s", key, e.getMessage());
            }
        }
        return kept;
    }

    @Override
    public void setUp(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, UndoLog undo) {
        String link = endpoint.hostIfName();
        BandwidthLimits wanted = wanted(endpoint);
        new SetupSteps()
                .stepIf(wanted.ingress().isPresent(), "limit what the container sends on " + link,
                        () -> naming(EGRESS_RATE, () -> tc.limitIngress(link, wanted.ingress().orElseThrow())),
                        () -> clearIfThere(link))
                .stepIf(wanted.egress().isPresent(), "limit what the container receives on " + link,
                        () -> naming(INGRESS_RATE, () -> tc.limitEgress(link, wanted.egress().orElseThrow())),
                        () -> clearIfThere(link))
                .apply(undo);
    }

    @Override
    public int repair(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
        String link = endpoint.hostIfName();
        if (wanted(endpoint).equals(tc.limits(link))) {
            return 0;
        }
        tc.clear(link);
        setUp(network, endpoint, mode, new UndoLog());
        return 1;
    }

    @Override
    public void check(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, Findings findings) {
        String link = endpoint.hostIfName();
        if (!links.exists(link)) {
            return;  // the endpoint's own check names the missing link
        }
        BandwidthLimits wanted = wanted(endpoint);
        BandwidthLimits held = tc.limits(link);
        findings.expect(wanted.equals(held), "bandwidth", describe(wanted) + " on " + link,
                link + " holds " + describe(held) + ", not " + describe(wanted) + " as asked",
                Findings.RESTART_PLUGIN);
    }

    /**
     * The host end's limits: what the container sends is what arrives on the host end (its ingress), what it
     * receives is what leaves it (its egress).
     */
    private static BandwidthLimits wanted(EndpointRecord endpoint) {
        return new BandwidthLimits(rate(endpoint, INGRESS_RATE), rate(endpoint, EGRESS_RATE));
    }

    private static Optional<Rate> rate(EndpointRecord endpoint, String key) {
        return Optional.ofNullable(endpoint.features().get(key)).map(Rate::parse);
    }

    private static String describe(BandwidthLimits limits) {
        return "sends " + limits.ingress().map(Rate::toString).orElse("unlimited") + ", receives "
                + limits.egress().map(Rate::toString).orElse("unlimited");
    }

    /** A kernel that cannot do what the option asks (no police action, say) is the option's refusal. */
    private static void naming(String key, Runnable limit) {
        try {
            limit.run();
        } catch (KernelException e) {
            throw PluginException.invalid("%s: %s", key, e.getMessage());
        }
    }

    private void clearIfThere(String link) {
        if (links.exists(link)) {
            tc.clear(link);
        }
    }
}
