package io.javanet.engine;

import java.util.List;

/**
 * What {@code docker info} says of an engine that {@code docker javanet doctor} reports or compares.
 *
 * @param engineId        the daemon's own ID, which tells two sockets of one engine apart from two engines
 * @param firewallBackend iptables or nftables (Docker 28.2 and later say; before, always iptables)
 * @param nodeAddress     in a swarm, the node's address; empty outside one
 * @param managers        in a swarm, its managers' node IDs, which every node knows (workers are told no swarm ID)
 * @param manager         whether the node is a swarm manager, which alone can list the swarm's nodes
 */
public record EngineInfo(String engineId, String name, String version, String firewallBackend, String nodeId,
                         String nodeAddress, List<String> managers, boolean manager) {

    public EngineInfo {
        managers = List.copyOf(managers);
    }

    /** Whether both engines are nodes of one swarm: they know a manager in common. */
    public boolean sameSwarm(EngineInfo other) {
        return !nodeId.isEmpty() && managers.stream().anyMatch(other.managers::contains);
    }

    /** The engine as doctor reports it: its version and firewall backend. */
    public String describe() {
        return "Docker " + version + ", firewall backend " + firewallBackend;
    }
}
