package io.javanet.api.status;

import java.util.List;

/**
 * What the plugin holds, as its read-only status endpoint ({@code GET /javanet/v1/status}) answers it for
 * {@code docker javanet}: Docker shows none of it for a remote driver (a container's published ports least of
 * all). Names are Docker's IDs; the CLI resolves them through the engine.
 *
 * @param scope    local or global, the install's scope
 * @param peers    for a global install, the other nodes of the swarm it floods to
 */
public record PluginStatus(String scope, List<NetworkStatus> networks, List<String> peers) {

    /** Where the plugin serves it, on its own socket, beside Docker's protocol paths. */
    public static final String PATH = "/javanet/v1/status";

    /**
     * One network.
     *
     * @param link    the link it sits on: its bridge, its parent, or its VXLAN device; empty for a routed network
     * @param subnets each pool with its gateway, in CIDR form
     */
    public record NetworkStatus(String networkId, String mode, String link, String subMode, int mtu, boolean internal,
                                boolean encrypted, List<String> subnets, List<EndpointStatus> endpoints) {
    }

    /**
     * One endpoint: a container's link on the network.
     *
     * @param hostLink   the host's end of it (a veth on the host), or the link Docker moved into the container
     * @param sandboxKey the container's network namespace, as Docker gave it at Join; empty before
     */
    public record EndpointStatus(String endpointId, String address, String addressIpv6, String macAddress,
                                 String hostLink, String sandboxKey, List<PublishedPort> ports) {
    }

    /** A published port, as {@code docker port} would show it: host address (empty: any) and port → container port. */
    public record PublishedPort(String proto, String hostIp, int hostPort, int containerPort) {
    }
}
