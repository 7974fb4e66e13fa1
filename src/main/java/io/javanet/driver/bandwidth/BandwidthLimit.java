package io.javanet.driver.bandwidth;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
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
import io.javanet.sys.Sandboxes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-container bandwidth limits: {@code javanet.egress_rate} caps what the container sends, {@code
 * javanet.ingress_rate} what it receives, in tc's units ({@code 10mbit}, {@code 1gbit}, {@code 500kbit}).
 * <ul>
 * <li>Where the container has a veth (bridge, routed, attach), on its host end, where what the container sends
 * arrives (policed on its ingress) and what it receives leaves (shaped by a TBF): nothing inside the container,
 * so they hold whatever it does.</li>
 * <li>Where its link is its own (a macvlan, an ipvlan, the overlay's macvlans), on that link in the container's
 * namespace: what it sends is shaped as it leaves, what it receives policed as it arrives. Docker moves the link
 * there only after Join has answered, and a move drops a link's qdiscs, so the limits are made once the link
 * turns up there, addressed: within moments of Join, before the container has had time to send much.</li>
 * </ul>
 */
public final class BandwidthLimit implements EndpointFeature {

    public static final String EGRESS_RATE = "javanet.egress_rate";
    public static final String INGRESS_RATE = "javanet.ingress_rate";

    private static final Logger log = LoggerFactory.getLogger(BandwidthLimit.class);
    private static final Duration POLL = Duration.ofMillis(20);

    /** Which option limits what arrives on a link ({@code ingress}) and what leaves it ({@code egress}). */
    private record End(String ingressOption, String egressOption) {
        static final End HOST = new End(EGRESS_RATE, INGRESS_RATE);
        static final End CONTAINER = new End(INGRESS_RATE, EGRESS_RATE);

        static End of(NetworkMode mode) {
            return mode.vethEndpoints() ? HOST : CONTAINER;
        }

        BandwidthLimits wanted(EndpointRecord endpoint) {
            return new BandwidthLimits(rate(endpoint, egressOption), rate(endpoint, ingressOption));
        }
    }

    private final TrafficControl tc;
    private final Links links;
    private final Sandboxes sandboxes;
    private final Duration patience;
    private final ExecutorService joins = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("bandwidth-join-", 0).factory());

    /** {@code patience}: how long a joined container's link may take to reach its namespace before that is an error. */
    public BandwidthLimit(TrafficControl tc, Links links, Sandboxes sandboxes, Duration patience) {
        this.tc = tc;
        this.links = links;
        this.sandboxes = sandboxes;
        this.patience = patience;
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(EGRESS_RATE, INGRESS_RATE);
    }

    @Override
    public Map<String, String> parse(Map<String, String> options, NetworkMode mode, NetworkRecord network) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String key : new TreeSet<>(options.keySet())) {
            try {
                kept.put(key, Rate.parse(options.get(key)).toString());
            } catch (IllegalArgumentException e) {
                throw PluginException.invalid("%s: %s", key, e.getMessage());
            }
        }
        return kept;
    }

    /**
     * On a veth's host end, the limits. On a container's own link, still on the host, the same limits as they will
     * be in the container: its move drops them, but a kernel that cannot make them (no police action, say) refuses
     * here, where Docker still reports it, rather than after Join, where no one would be told.
     */
    @Override
    public void setUp(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, UndoLog undo) {
        String link = endpoint.hostIfName();
        End end = End.of(mode);
        new SetupSteps()
                .step("limit " + link + " to " + describe(end, end.wanted(endpoint)),
                        () -> make(tc, link, end, end.wanted(endpoint)), () -> clearIfThere(link))
                .apply(undo);
    }

    @Override
    public void joined(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
        if (End.of(mode) == End.CONTAINER) {
            joins.execute(() -> limitOnceMoved(endpoint));
        }
    }

    @Override
    public int repair(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
        End end = End.of(mode);
        BandwidthLimits wanted = end.wanted(endpoint);
        if (end == End.HOST) {
            return repair(tc, endpoint.hostIfName(), end, wanted);
        }
        if (!joined(endpoint)) {
            return 0;  // its link is still on the host, as set up, or already gone with a stopped container
        }
        try {
            return onContainerLink(endpoint, (there, link) -> repair(there, link, end, wanted)).orElse(0);
        } catch (KernelException e) {
            if (e.isNotFound()) {
                return 0;  // the container stopped while we were down: reconciliation removes the rest
            }
            throw e;
        }
    }

    @Override
    public void check(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, Findings findings) {
        End end = End.of(mode);
        BandwidthLimits wanted = end.wanted(endpoint);
        if (end == End.HOST) {
            String link = endpoint.hostIfName();
            if (links.exists(link)) {  // else the endpoint's own check names the missing link
                expect(findings, end, link, wanted, tc.limits(link));
            }
            return;
        }
        if (!joined(endpoint)) {
            return;
        }
        try {
            Optional<String> link = onContainerLink(endpoint, (there, found) -> {
                expect(findings, end, endpoint.sandboxKey() + " " + found, wanted, there.limits(found));
                return found;
            });
            if (link.isEmpty()) {
                findings.expect(false, "bandwidth", "", "no link in " + endpoint.sandboxKey() + " holds "
                        + address(endpoint) + ", whose limits are asked", Findings.RESTART_PLUGIN);
            }
        } catch (KernelException e) {
            findings.expect(false, "bandwidth", "", "cannot look into " + endpoint.sandboxKey() + ": " + e.getMessage(),
                    Findings.RESTART_PLUGIN);
        }
    }

    /** Waits for Docker to move, rename and address the joined container's link, then limits it there. */
    private void limitOnceMoved(EndpointRecord endpoint) {
        End end = End.CONTAINER;
        BandwidthLimits wanted = end.wanted(endpoint);
        long deadline = System.nanoTime() + patience.toNanos();
        String last = "its link never arrived";
        while (System.nanoTime() < deadline) {
            try {
                Optional<String> link = onContainerLink(endpoint, (there, found) -> {
                    make(there, found, end, wanted);
                    return found;
                });
                if (link.isPresent()) {
                    log.info("endpoint {}: {} limited in its container to {}", endpoint.endpointId(), link.get(),
                            describe(end, wanted));
                    return;
                }
            } catch (KernelException | PluginException e) {
                last = e.getMessage();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        log.error("endpoint {}: bandwidth limits not made in {} within {} s of Join: {}", endpoint.endpointId(),
                endpoint.sandboxKey(), patience.toSeconds(), last);
    }

    /**
     * {@code work} on the container's own link, found in its namespace by its address (Docker names it as it
     * likes); empty where no link there holds it yet.
     */
    private <T> Optional<T> onContainerLink(EndpointRecord endpoint, BiFunction<TrafficControl, String, T> work) {
        return tc.in(sandboxes.namespace(endpoint.sandboxKey()),
                there -> there.linkHolding(address(endpoint)).map(link -> work.apply(there, link)));
    }

    private static int repair(TrafficControl where, String link, End end, BandwidthLimits wanted) {
        if (wanted.equals(where.limits(link))) {
            return 0;
        }
        where.clear(link);
        make(where, link, end, wanted);
        return 1;
    }

    private static void expect(Findings findings, End end, String link, BandwidthLimits wanted, BandwidthLimits held) {
        findings.expect(wanted.equals(held), "bandwidth", describe(end, wanted) + " on " + link,
                link + " holds " + describe(end, held) + ", not " + describe(end, wanted) + " as asked",
                Findings.RESTART_PLUGIN);
    }

    /** Makes {@code wanted} on {@code link}; a kernel that cannot (no police action, say) is the option's refusal. */
    private static void make(TrafficControl where, String link, End end, BandwidthLimits wanted) {
        try {
            wanted.ingress().ifPresent(rate -> where.limitIngress(link, rate));
        } catch (KernelException e) {
            throw PluginException.invalid("%s: %s", end.ingressOption(), e.getMessage());
        }
        try {
            wanted.egress().ifPresent(rate -> where.limitEgress(link, rate));
        } catch (KernelException e) {
            throw PluginException.invalid("%s: %s", end.egressOption(), e.getMessage());
        }
    }

    private static boolean joined(EndpointRecord endpoint) {
        return endpoint.sandboxKey() != null && !endpoint.sandboxKey().isEmpty();
    }

    /** The address Docker gives the container's link, by which it is found in the container. */
    private static IPAddress address(EndpointRecord endpoint) {
        String cidr = endpoint.address().isEmpty() ? endpoint.addressIpv6() : endpoint.address();
        return new IPAddressString(cidr).getAddress();
    }

    private static Optional<Rate> rate(EndpointRecord endpoint, String key) {
        return Optional.ofNullable(endpoint.features().get(key)).map(Rate::parse);
    }

    /** In the container's words: what it sends and receives, whichever end of which link holds the limit. */
    private static String describe(End end, BandwidthLimits limits) {
        Optional<Rate> sends = end == End.HOST ? limits.ingress() : limits.egress();
        Optional<Rate> receives = end == End.HOST ? limits.egress() : limits.ingress();
        return "sends " + sends.map(Rate::toString).orElse("unlimited") + ", receives "
                + receives.map(Rate::toString).orElse("unlimited");
    }

    private void clearIfThere(String link) {
        if (links.exists(link)) {
            tc.clear(link);
        }
    }
}
