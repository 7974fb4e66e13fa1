package io.javanet.engine;

/**
 * What {@code docker info} says of an engine that {@code docker javanet doctor} reports or compares.
 *
 * @param engineId        the daemon's own ID, which tells two sockets of one engine apart from two engines
 * @param firewallBackend iptables or nftables (Docker 28.2 and later say; before, always iptables)
 * @param nodeAddress     in a swarm, the node's address; empty outside one
 * @param clusterId       in a swarm, the swarm's ID; empty outside one
 * @param manager         whether the node is a swarm manager, which alone can list the swarm's nodes
 */
public record EngineInfo(String engineId, String name, String version, String firewallBackend, String nodeId,
                         String nodeAddress, String clusterId, boolean manager) {

    /** The engine as doctor reports it: its version and firewall backend. */
    public String describe() {
        return "Docker " + version + ", firewall backend " + firewallBackend;
    }
}
