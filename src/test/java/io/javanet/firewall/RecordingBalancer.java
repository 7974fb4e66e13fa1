package io.javanet.firewall;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ServiceBalancer} that keeps, per container namespace and network, the VIPs it was last asked to hold,
 * as the kernel would; it refuses what the real one cannot do: programming a namespace that is gone.
 */
public final class RecordingBalancer implements ServiceBalancer {

    private final Map<String, Map<String, List<VirtualIp>>> tables = new TreeMap<>();
    private final java.util.Set<String> gone = new java.util.HashSet<>();
    private int programs;

    @Override
    public synchronized void program(String sandboxKey, String networkId, List<VirtualIp> vips) {
        programs++;
        if (gone.contains(sandboxKey)) {
            throw new FirewallException("no namespace " + sandboxKey);
        }
        Map<String, List<VirtualIp>> namespace = tables.computeIfAbsent(sandboxKey, k -> new TreeMap<>());
        if (vips.stream().allMatch(v -> v.backends().isEmpty())) {
            namespace.remove(networkId);
        } else {
            namespace.put(networkId, List.copyOf(vips));
        }
    }

    @Override
    public synchronized void remove(String sandboxKey, String networkId) {
        tables.getOrDefault(sandboxKey, new TreeMap<>()).remove(networkId);
    }

    /** The container's namespace goes (its container stopped). */
    public synchronized void namespaceGone(String sandboxKey) {
        gone.add(sandboxKey);
        tables.remove(sandboxKey);
    }

    /** How many times a namespace's table was programmed. */
    public synchronized int programs() {
        return programs;
    }

    /** What the namespace's table for the network holds: empty where there is no table. */
    public synchronized List<VirtualIp> vips(String sandboxKey, String networkId) {
        return tables.getOrDefault(sandboxKey, Map.of()).getOrDefault(networkId, List.of());
    }
}
