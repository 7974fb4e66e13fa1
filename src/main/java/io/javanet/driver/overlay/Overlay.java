package io.javanet.driver.overlay;

import io.javanet.driver.Cluster;
import io.javanet.driver.NetworkMode;
import io.javanet.firewall.ServiceBalancer;
import io.javanet.kernel.HostKernel;
import io.javanet.store.Store;
import java.nio.file.Path;

/**
 * The overlay assembled: its mode, and what it adds beyond one host ({@link Swarm}), sharing the service VIPs
 * (balanced with {@code balancer}) and the encryption (keyed from the swarm's secret in {@code overlaySecret}).
 */
public final class Overlay {

    private final OverlayMode mode;
    private final Swarm swarm;

    public Overlay(Store store, HostKernel kernel, ServiceBalancer balancer, Path overlaySecret) {
        ServiceVips services = new ServiceVips(balancer);
        OverlayEncryption encryption = new OverlayEncryption(store, kernel.wireguard(), kernel.links(), kernel.addresses(),
                overlaySecret);
        this.mode = new OverlayMode(kernel.links(), OverlayMode.peersIn(store), services, encryption);
        this.swarm = new Swarm(store, mode, kernel.routes(), kernel.addresses(), services, kernel.links(), kernel.udp());
    }

    public NetworkMode mode() {
        return mode;
    }

    public Cluster cluster() {
        return swarm;
    }
}
