package io.javanet.net;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a bridge network's gateway treats one address family, as Docker's bridge driver names it
 * ({@code -o com.docker.network.bridge.gateway_mode_ipv4|ipv6}).
 */
public enum GatewayMode {
    /** Masqueraded on the way out; from outside, only published ports, through the host's ports. */
    NAT("nat"),
    /** Masqueraded, and every port of every container open to hosts that route the subnet through this one. */
    NAT_UNPROTECTED("nat-unprotected"),
    /** Not masqueraded; from outside, published container ports and ICMP on the containers' own addresses. */
    ROUTED("routed"),
    /** No address of the family on the bridge: the containers reach only each other (internal networks). */
    ISOLATED("isolated");

    private final String wireName;

    GatewayMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<GatewayMode> parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    /** Whether hosts beyond this one may reach the containers' unpublished ports directly. */
    public boolean protectsUnpublished() {
        return this == NAT;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
