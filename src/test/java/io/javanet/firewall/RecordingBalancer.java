package io.javanet.firewall;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ServiceBalancer} that keeps, per container namespace and network, the VIPs it was last asked to hold,
 * as the kernel would; it refuses what the real one cannot do: programming a namespace that is gone.
 */
public final class RecordingBalancer implements ServiceBalancer {

    private final Map<String, Map<String, List<VirtualIp>>> tables = new TreeMap<>();
    private final Set<String> gone = new HashSet<>();
    private int programs;
    private int changes;
    private Optional<String> blindness = Optional.empty();

    @Override
    public synchronized void program(String sandboxKey, String networkId, List<VirtualIp> vips) {
        programs++;
        if (gone.contains(sandboxKey)) {
            throw new FirewallException("no namespace " + sandboxKey);
        }
        if (blindness.isPresent()) {
            throw new FirewallException("cannot enter " + sandboxKey + ": " + blindness.get());
        }
        Map<String, List<VirtualIp>> namespace = tables.computeIfAbsent(sandboxKey, k -> new TreeMap<>());
        if (vips.stream().allMatch(v -> v.backends().isEmpty())) {
            namespace.remove(networkId);
        } else {
            namespace.put(networkId, List.copyOf(vips));
        }
    }

    /** Fails as the kernel would where the table does not hold what the change starts from. */
    @Override
    public synchronized void change(String sandboxKey, String networkId, List<VirtualIp> before, List<VirtualIp> after) {
        changes++;
        if (gone.contains(sandboxKey) || !vips(sandboxKey, networkId).equals(before)) {
            throw new FirewallException("the table in " + sandboxKey + " does not hold " + before);
        }
        programs--;
        program(sandboxKey, networkId, after);
    }

    @Override
    public synchronized void remove(String sandboxKey, String networkId) {
        tables.getOrDefault(sandboxKey, new TreeMap<>()).remove(networkId);
    }

    /** Namespaces cannot be entered from here, for this reason. */
    public synchronized void blind(String why) {
        blindness = Optional.of(why);
    }

    @Override
    public synchronized Optional<String> blindness() {
        return blindness;
    }

    /** The container's namespace goes (its container stopped). */
    public synchronized void namespaceGone(String sandboxKey) {
        gone.add(sandboxKey);
        tables.remove(sandboxKey);
    }

    /** How many times a namespace's table was changed service by service. */
    public synchronized int changes() {
        return changes;
    }

    /** How many times a namespace's table was programmed whole. */
    public synchronized int programs() {
        return programs;
    }

    /** What the namespace's table for the network holds: empty where there is no table. */
    public synchronized List<VirtualIp> vips(String sandboxKey, String networkId) {
        return tables.getOrDefault(sandboxKey, Map.of()).getOrDefault(networkId, List.of());
    }
}
