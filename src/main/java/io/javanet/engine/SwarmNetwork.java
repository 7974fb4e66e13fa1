package io.javanet.engine;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * What this node's engine knows of a swarm network from its own gossip ({@code GET /networks/ID?verbose=true}):
 * the nodes that have the network, and its services with their virtual IP and their tasks' addresses.
 */
public record SwarmNetwork(List<IPAddress> peers, List<Service> services) {

    public SwarmNetwork {
        peers = List.copyOf(peers);
        services = List.copyOf(services);
    }

    /** A service in the default endpoint mode: its VIP on the network, and the addresses of its running tasks. */
    public record Service(String name, IPAddress vip, List<IPAddress> tasks) {
        public Service {
            tasks = List.copyOf(tasks);
        }
    }
}
