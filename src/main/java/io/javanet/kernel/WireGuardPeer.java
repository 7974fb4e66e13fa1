package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/**
 * A peer of a WireGuard device: {@code wg set DEVICE peer KEY endpoint ENDPOINT:PORT allowed-ips ALLOWED}; the
 * only inner address that peer may send from, and be sent to, is {@code allowed} (one host).
 */
public record WireGuardPeer(WireGuardKey publicKey, IPAddress endpoint, int port, IPAddress allowed) {

    public WireGuardPeer {
        endpoint = endpoint.withoutPrefixLength();
        allowed = allowed.withoutPrefixLength();
    }
}
