package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/** A swarm service's virtual IP on an overlay network, and the addresses of its running tasks behind it. */
public record VirtualIp(IPAddress address, List<IPAddress> backends) {

    public VirtualIp {
        backends = List.copyOf(backends);
    }
}
