package io.javanet.kernel;

/**
 * The kernel as the network driver reaches it: links, addresses, routes and settings (one rtnetlink socket, or a
 * test's fake, is all four), WireGuard devices, and UDP to the swarm's other nodes.
 */
public record HostKernel(Links links, Addresses addresses, RouteTable routes, Sysctls sysctls, WireGuard wireguard,
                         UdpProbe udp) {

    public static <K extends Links & Addresses & RouteTable & Sysctls> HostKernel of(K kernel, WireGuard wireguard,
                                                                                    UdpProbe udp) {
        return new HostKernel(kernel, kernel, kernel, kernel, wireguard, udp);
    }
}
