package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.net.Mode;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.function.Supplier;

/** The one {@link NetworkMode} of each {@link Mode}, sharing the host. */
final class NetworkModes {

    private final BridgeMode bridge;
    private final RoutedMode routed;
    private final MacvlanMode macvlan;
    private final IpvlanMode ipvlan;
    private final OverlayMode overlay;
    private final AttachMode attach;

    NetworkModes(HostLinks host, Supplier<List<IPAddress>> peers, ServiceVips services, OverlayEncryption encryption) {
        this.bridge = new BridgeMode(host);
        this.routed = new RoutedMode(host);
        this.macvlan = new MacvlanMode(host);
        this.ipvlan = new IpvlanMode(host);
        this.overlay = new OverlayMode(host.links, peers, services, encryption);
        this.attach = new AttachMode(host);
    }

    NetworkMode of(Mode mode) {
        return switch (mode) {
            case BRIDGE -> bridge;
            case ROUTED -> routed;
            case MACVLAN -> macvlan;
            case IPVLAN -> ipvlan;
            case OVERLAY -> overlay;
            case ATTACH -> attach;
        };
    }

    OverlayMode overlay() {
        return overlay;
    }

    NetworkMode of(NetworkRecord network) {
        return of(network.mode());
    }
}
