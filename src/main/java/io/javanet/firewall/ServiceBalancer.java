package io.javanet.firewall;

import java.util.List;
import java.util.Optional;

/**
 * Swarm services' virtual IPs, balanced where the traffic starts: in the network namespace of each container on
 * an overlay network, a table of the network's own that sends a new connection to a VIP to one of its tasks.
 * No IPVS, no load-balancer namespace: established connections keep their task through conntrack.
 */
public interface ServiceBalancer {

    /** What to do where containers' namespaces are not seen from here, for the log and doctor. */
    String PROPAGATION_FIX = "make the host's mounts shared, as systemd does at boot (mount --make-rshared /; for"
            + " Docker in Docker, bind the inner engine's /run/docker with bind-propagation=rshared), then restart the"
            + " plugin: docker plugin disable -f NAME && docker plugin enable NAME";

    /**
     * Makes the network's table in the container's namespace (its sandbox key, as Docker gives it) hold exactly
     * these VIPs, in one transaction; none removes it.
     */
    void program(String sandboxKey, String networkId, List<VirtualIp> vips);

    /**
     * Makes the network's table in the container's namespace, which holds {@code before}, hold {@code after}, in one
     * transaction that touches only the services that changed.
     */
    void change(String sandboxKey, String networkId, List<VirtualIp> before, List<VirtualIp> after);

    /** Removes the network's table from the container's namespace, if both are still there. */
    void remove(String sandboxKey, String networkId);

    /** Why containers' namespaces cannot be entered from here, if they cannot. */
    Optional<String> blindness();
}
