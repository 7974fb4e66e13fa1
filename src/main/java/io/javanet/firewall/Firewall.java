package io.javanet.firewall;

/** What the driver asks of the host firewall, network by network. */
public interface Firewall {

    /** Lets the endpoints of the network on {@code bridge} reach each other through the host's forwarding rules. */
    void addNetwork(String bridge);

    /** Removes every rule {@link #addNetwork} made for {@code bridge}; nothing of ours is left for it. */
    void removeNetwork(String bridge);
}
