package io.javanet.kernel;

/**
 * The kernel as the network driver reaches it: links, addresses, routes and settings (one rtnetlink socket, or a
 * test's fake, is all four), WireGuard devices, bandwidth limits (of the host's namespace, and through
 * {@link TrafficControl#in} of a container's), and UDP to the swarm's other nodes.
 */
public record HostKernel(Links links, Addresses addresses, RouteTable routes, Sysctls sysctls, WireGuard wireguard,
                         TrafficControl trafficControl, UdpProbe udp) {

    public static <K extends Links & Addresses & RouteTable & Sysctls> HostKernel of(K kernel, WireGuard wireguard,
                                                                                    TrafficControl trafficControl,
                                                                                    UdpProbe udp) {
        return new HostKernel(kernel, kernel, kernel, kernel, wireguard, trafficControl, udp);
    }
}
