package io.javanet.net;

import inet.ipaddr.IPAddress;
import java.util.Optional;

/**
 * One published port, resolved: traffic to {@code hostIp:hostPort} (any host address when there is no hostIp)
 * goes to {@code containerIp:containerPort}. One binding per address family. Stored as text by {@link NetJson}.
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

    /** Whether this and {@code other} claim the same host port (a wildcard host address claims them all). */
    public boolean clashesWith(PortBinding other) {
        return proto == other.proto && hostPort == other.hostPort && isIpv6() == other.isIpv6()
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
        return (hostIp.isEmpty() ? "*" : hostIpText()) + ":" + hostPort + "/" + proto + " -> " + containerIpText() + ":"
                + containerPort;
    }
}
