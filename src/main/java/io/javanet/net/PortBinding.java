package io.javanet.net;

/**
 * One published port, resolved: traffic to {@code hostIp:hostPort} (any host address when hostIp is empty)
 * goes to {@code containerIp:containerPort}. One binding per address family.
 *
 * @param proto "tcp", "udp" or "sctp"
 */
public record PortBinding(String proto, String hostIp, int hostPort, String containerIp, int containerPort) {

    public boolean isIpv6() {
        return containerIp.contains(":");
    }

    /** Whether this and {@code other} claim the same host port (a wildcard host address claims them all). */
    public boolean clashesWith(PortBinding other) {
        return proto.equals(other.proto) && hostPort == other.hostPort && isIpv6() == other.isIpv6()
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    @Override
    public String toString() {
        return (hostIp.isEmpty() ? "*" : hostIp) + ":" + hostPort + "/" + proto + " -> " + containerIp + ":" + containerPort;
    }
}
