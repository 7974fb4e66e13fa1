package io.javanet.driver;

import io.javanet.net.Mode;
import io.javanet.store.NetworkRecord;

/** The one {@link NetworkMode} of each {@link Mode}, sharing the host. */
final class NetworkModes {

    private final BridgeMode bridge;
    private final RoutedMode routed;
    private final MacvlanMode macvlan;
    private final IpvlanMode ipvlan;

    NetworkModes(HostLinks host) {
        this.bridge = new BridgeMode(host);
        this.routed = new RoutedMode(host);
        this.macvlan = new MacvlanMode(host);
        this.ipvlan = new IpvlanMode(host);
    }

    NetworkMode of(Mode mode) {
        return switch (mode) {
            case BRIDGE -> bridge;
            case ROUTED -> routed;
            case MACVLAN -> macvlan;
            case IPVLAN -> ipvlan;
        };
    }

    NetworkMode of(NetworkRecord network) {
        return of(network.mode());
    }
}
