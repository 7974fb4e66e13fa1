package io.javanet.kernel;

import java.util.List;

/** The configuration of WireGuard devices (made with {@link Links#add} of a {@link Link.WireGuard}), shaped like {@code wg set}. */
public interface WireGuard {

    /**
     * Equivalent to: {@code wg set DEVICE private-key KEY listen-port PORT} with exactly {@code peers}, those it
     * had before removed: what a new key asks, since the peers' sessions were made with the old one.
     */
    void configure(String device, WireGuardKey privateKey, int listenPort, List<WireGuardPeer> peers);

    /** Equivalent to: {@code wg set DEVICE peer KEY endpoint … allowed-ips …}; the device's other peers are kept. */
    void setPeer(String device, WireGuardPeer peer);

    /** Equivalent to: {@code wg set DEVICE peer KEY remove}; one already gone is fine. */
    void removePeer(String device, WireGuardKey publicKey);
}
