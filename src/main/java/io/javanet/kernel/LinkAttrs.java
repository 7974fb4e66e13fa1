package io.javanet.kernel;

import io.javanet.net.MacAddress;
import java.util.Optional;

/**
 * What every link to be made has, whatever its kind, as {@code ip link add NAME [mtu MTU] [address MAC] [master
 * BRIDGE] [up]} takes it.
 *
 * @param mtu    0 for the kernel's default (for a link on a parent, the parent's)
 * @param master the bridge the kernel makes it a port of in the same request, or makes nothing
 * @param up     whether it comes up in the same request
 */
public record LinkAttrs(String name, int mtu, Optional<MacAddress> mac, Optional<String> master, boolean up) {

    /** A link down, on no bridge, with the MAC the kernel gives it. */
    public static LinkAttrs of(String name, int mtu) {
        return new LinkAttrs(name, mtu, Optional.empty(), Optional.empty(), false);
    }

    public LinkAttrs withMac(Optional<MacAddress> address) {
        return new LinkAttrs(name, mtu, address, master, up);
    }

    /** A port of {@code bridge}, up: {@code master BRIDGE up}. */
    public LinkAttrs onBridge(String bridge) {
        return new LinkAttrs(name, mtu, mac, Optional.of(bridge), true);
    }
}
