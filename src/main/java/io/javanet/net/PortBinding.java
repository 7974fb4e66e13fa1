package io.javanet.net;

import inet.ipaddr.IPAddress;
import java.util.Optional;

/**
 * One published port, resolved: traffic to {@code hostIp:hostPort} (any host address when there is no hostIp)
 * goes to {@code containerIp:containerPort}. One binding per address family. Host port 0 is a direct binding: no
 * host port, the container's port open on its own address (a network whose gateway routes rather than NATs).
 * Stored as text by {@link NetJson}.
 */
public record PortBinding(Protocol proto, Optional<IPAddress> hostIp, int hostPort, IPAddress containerIp,
                          int containerPort) {

    /** From text, as the store and the tests hold it; an empty host address means any. */
    public static PortBinding parse(String proto, String hostIp, int hostPort, String containerIp, int containerPort) {
        return new PortBinding(Protocol.parse(proto).orElseThrow(() -> new IllegalArgumentException("not a protocol: " + proto)),
                hostIp.isEmpty() ? Optional.empty() : Optional.of(Cidr.parseHost("hostIp", hostIp)), hostPort,
                Cidr.parseHost("containerIp", containerIp), containerPort);
    }

    public boolean isIpv6() {
        return containerIp.isIPv6();
    }

    /** Whether the binding opens the container's port on its own address only, with no port of the host's. */
    public boolean direct() {
        return hostPort == 0;
    }

    /** Whether this and {@code other} claim the same host port (a wildcard host address claims them all). */
    public boolean clashesWith(PortBinding other) {
        return !direct() && !other.direct() && proto == other.proto && hostPort == other.hostPort && isIpv6() == other.isIpv6()
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    public String hostIpText() {
        return hostIp.map(Cidr::hostText).orElse("");
    }

    public String containerIpText() {
        return Cidr.hostText(containerIp);
    }

    @Override
    public String toString() {
        if (direct()) {
            return "direct " + containerIpText() + ":" + containerPort + "/" + proto;
        }
        return (hostIp.isEmpty() ? "*" : hostIpText()) + ":" + hostPort + "/" + proto + " -> " + containerIpText() + ":"
                + containerPort;
    }
}
