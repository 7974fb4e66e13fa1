package io.javanet.firewall;

import io.javanet.net.PortBinding;
import java.util.List;

/**
 * What the driver asks of the host firewall. Every call is one atomic change; removing what is not there is
 * not an error, so a call can be repeated after a crash.
 */
public interface Firewall {

    /** Isolation, outbound NAT (unless internal) and forwarding past Docker's drop policy for one network. */
    void addNetwork(FirewallNetwork network);

    /** Undoes {@link #addNetwork}; with the last network gone, nothing of ours is left in the ruleset. */
    void removeNetwork(FirewallNetwork network);

    /** Isolation, NAT and reach within its network for one routed endpoint's host veth. */
    void addRoutedLink(RoutedLink link);

    /** Undoes {@link #addRoutedLink}. */
    void removeRoutedLink(RoutedLink link);

    /** Publishes ports: traffic to the host's port reaches the container's. */
    void publish(List<PortBinding> bindings);

    void unpublish(List<PortBinding> bindings);

    /** What the ruleset holds of ours and of Docker's hook for it, read without changing anything. */
    FirewallHealth health();

    /** Replaces whatever of ours the ruleset holds by exactly these networks, links and ports, in one transaction. */
    void restore(List<FirewallNetwork> networks, List<RoutedLink> routedLinks, List<PortBinding> bindings);
}
