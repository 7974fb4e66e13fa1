package io.javanet.modes;

import io.javanet.driver.EndpointFeatures;
import io.javanet.driver.HostLinks;
import io.javanet.driver.ModeCatalog;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkModes;
import io.javanet.driver.bandwidth.BandwidthLimit;
import io.javanet.driver.bridge.AttachMode;
import io.javanet.driver.bridge.BridgeMode;
import io.javanet.driver.overlay.Overlay;
import io.javanet.driver.parent.IpvlanMode;
import io.javanet.driver.parent.MacvlanMode;
import io.javanet.driver.routed.RoutedMode;
import io.javanet.firewall.ServiceBalancer;
import io.javanet.kernel.HostKernel;
import io.javanet.net.Mode;
import io.javanet.store.Store;
import io.javanet.sys.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every mode and endpoint feature javanet offers, the one place that names them all: adding a mode is a class
 * in a package of its own, a constant in {@link Mode} and a line here; adding a feature, a class and a line here.
 * The overlay's VIPs are balanced with {@code balancer}, and its encryption keyed from the swarm's secret in
 * {@code overlaySecret}; containers' namespaces are found through {@code sandboxes}.
 */
public record Modes(ServiceBalancer balancer, Sandboxes sandboxes, Path overlaySecret) implements ModeCatalog {

    /** How long Docker may take to move a joined container's link into its namespace. */
    private static final Duration JOIN_PATIENCE = Duration.ofSeconds(10);

    @Override
    public Installed install(HostLinks host, Store store, HostKernel kernel) {
        Overlay overlay = new Overlay(store, kernel, balancer, overlaySecret);
        Map<Mode, NetworkMode> modes = new EnumMap<>(Mode.class);
        modes.put(Mode.BRIDGE, new BridgeMode(host));
        modes.put(Mode.ROUTED, new RoutedMode(host));
        modes.put(Mode.MACVLAN, new MacvlanMode(host));
        modes.put(Mode.IPVLAN, new IpvlanMode(host));
        modes.put(Mode.OVERLAY, overlay.mode());
        modes.put(Mode.ATTACH, new AttachMode(host));
        EndpointFeatures features = new EndpointFeatures(List.of(new BandwidthLimit(kernel.trafficControl(), kernel.links(),
                sandboxes, JOIN_PATIENCE)));
        return new Installed(new NetworkModes(modes), overlay.cluster(), features);
    }
}
