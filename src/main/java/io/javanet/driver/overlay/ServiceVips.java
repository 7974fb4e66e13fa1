package io.javanet.driver.overlay;

import io.javanet.driver.Findings;
import io.javanet.firewall.ServiceBalancer;
import io.javanet.firewall.VirtualIp;
import io.javanet.store.NetworkRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swarm services' virtual IPs on each overlay network, balanced in the namespace of each of the network's
 * containers on this node ({@link ServiceBalancer}): the services that changed, in all of them, whenever the
 * engine's view of the services changes; whole tables after every start, when nothing is known yet, and in a
 * container that joins, at Join.
 */
final class ServiceVips {

    private static final Logger log = LoggerFactory.getLogger(ServiceVips.class);

    private final ServiceBalancer balancer;
    /** Per overlay network, its VIPs as last programmed; read by Joins in parallel. */
    private final Map<String, List<VirtualIp>> programmed = new ConcurrentHashMap<>();

    ServiceVips(ServiceBalancer balancer) {
        this.balancer = balancer;
    }

    /**
     * The network's VIPs are now these: where they changed, every container's namespace ({@code containers}, read
     * only then) is made to hold them, changing only the services that changed; the first time after a start, when
     * what the namespaces hold is not known, their tables are made whole.
     */
    void update(NetworkRecord network, Supplier<List<String>> containers, List<VirtualIp> given) {
        List<VirtualIp> vips = inOneOrder(given);
        List<VirtualIp> before = programmed.get(network.networkId());
        if (vips.equals(before)) {
            return;
        }
        List<String> sandboxes = containers.get();
        for (String sandbox : sandboxes) {
            try {
                if (before == null) {
                    balancer.program(sandbox, network.networkId(), vips);
                } else {
                    change(sandbox, network.networkId(), before, vips);
                }
            } catch (RuntimeException e) {
                // A container stopping takes its namespace along; its Leave is on the way.
                log.warn("overlay network {}: service VIPs not programmed in {}: {}", network.networkId(), sandbox,
                        e.getMessage());
            }
        }
        programmed.put(network.networkId(), vips);
        log.info("overlay network {}: {} service VIPs ({} tasks) in {} containers", network.networkId(), vips.size(),
                vips.stream().mapToInt(v -> v.backends().size()).sum(), sandboxes.size());
    }

    /** A change; a table that does not hold what it should (a namespace programmed in vain before) is made whole. */
    private void change(String sandbox, String networkId, List<VirtualIp> before, List<VirtualIp> after) {
        try {
            balancer.change(sandbox, networkId, before, after);
        } catch (RuntimeException e) {
            log.debug("overlay network {}: changing the service VIPs in {} failed ({}): made whole", networkId, sandbox,
                    e.getMessage());
            balancer.program(sandbox, networkId, after);
        }
    }

    /**
     * VIPs and their tasks sorted: the engine lists them in another order at every answer (Go's map order), and the
     * same services in another order are no change.
     */
    private static List<VirtualIp> inOneOrder(List<VirtualIp> vips) {
        return vips.stream().map(v -> new VirtualIp(v.address(), v.backends().stream().sorted().distinct().toList()))
                .sorted(Comparator.comparing(VirtualIp::address)).toList();
    }

    /**
     * A container joined: its namespace gets the network's VIPs as they stand. Where no namespace can be entered
     * from here, the container starts without them, as it would after the next look at the engine, and the log says
     * so for each, as it said at start and doctor says; any other failure fails the Join.
     */
    void joined(NetworkRecord network, String sandbox) {
        List<VirtualIp> known = programmed.getOrDefault(network.networkId(), List.of());
        if (known.isEmpty()) {
            return;
        }
        try {
            balancer.program(sandbox, network.networkId(), known);
        } catch (RuntimeException e) {
            if (balancer.blindness().isEmpty()) {
                throw e;
            }
            log.error("overlay network {}: service VIPs not made in {}: {}", network.networkId(), sandbox, e.getMessage());
        }
    }

    /** A container left: the network's table leaves its namespace, if both are still there. */
    void left(NetworkRecord network, String sandbox) {
        try {
            balancer.remove(sandbox, network.networkId());
        } catch (RuntimeException e) {
            // The namespace is on its way out; a Leave that failed would leave Docker stuck.
            log.warn("overlay network {}: service VIPs not removed from {}: {}", network.networkId(), sandbox,
                    e.getMessage());
        }
    }

    /** Read only, for doctor: the namespaces of containers can be entered from here. */
    void check(Findings findings) {
        Optional<String> blindness = balancer.blindness();
        findings.expect(blindness.isEmpty(), "service vips", "containers' network namespaces are seen here",
                blindness.orElse(""), ServiceBalancer.PROPAGATION_FIX);
    }

    /** A network gone. */
    void forget(String networkId) {
        programmed.remove(networkId);
    }
}
