package io.javanet.driver.overlay;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv6.IPv6Address;
import io.javanet.crypto.NodeKeys;
import io.javanet.crypto.OverlaySecret;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.Links;
import io.javanet.kernel.WireGuard;
import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import io.javanet.net.Cidr;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --opt encrypted} on overlay networks: VXLAN inside WireGuard. One WireGuard device per node carries the
 * encrypted networks' VXLAN to the other nodes; each node has a link-local address on it, derived from its swarm
 * address, and the encrypted networks' VXLAN devices send from that address through that device and, because it
 * is link-local, take their VNI in from that device only, so a cleartext VXLAN packet from the underlay reaches
 * no encrypted network. Why VXLAN inside WireGuard and not routing over WireGuard: the overlay stays one layer 2
 * (ARP, MAC learning, the same endpoint links as unencrypted networks), and WireGuard's allowed IPs stay one
 * address per node whatever the networks' subnets.
 *
 * <p>Keys come from {@link NodeKeys}: every node derives every node's public key from the swarm's secret file and
 * the node's address. The file is read again by {@link #rekey}, so that a new secret rotates every key.
 */
final class OverlayEncryption {

    /** The one WireGuard device of a node. */
    static final String DEVICE = "jnwg0";
    /** WireGuard's UDP port on the underlay. */
    static final int WIREGUARD_PORT = 4801;
    /** The encrypted networks' VXLAN port, inside the tunnel. */
    static final int VXLAN_PORT = 4802;
    /** WireGuard over an IPv6 underlay (IPv4's is 20 less) and VXLAN over IPv6: the MTU is this far below the underlay's. */
    static final int OVERHEAD = 80 + 70;
    /** VXLAN over IPv6, inside the tunnel: the WireGuard device's MTU is this much above the networks'. */
    private static final int INNER_OVERHEAD = 70;

    private static final Logger log = LoggerFactory.getLogger(OverlayEncryption.class);

    private final Store store;
    private final WireGuard wireguard;
    private final Links links;
    private final Addresses addresses;
    private final Path secretFile;
    /** Per peer, the encrypted networks that flood to it: a peer no network floods to is removed from the device. */
    private final Map<IPAddress, Set<String>> networksOfPeer = new HashMap<>();
    /** The secret the device's keys were last made from. */
    private Optional<OverlaySecret> applied = Optional.empty();

    OverlayEncryption(Store store, WireGuard wireguard, Links links,
                      Addresses addresses, Path secretFile) {
        this.store = store;
        this.wireguard = wireguard;
        this.links = links;
        this.addresses = addresses;
        this.secretFile = secretFile;
    }

    static boolean asked(NetworkRecord network) {
        return network.generic().containsKey(OverlayMode.ENCRYPTED);
    }

    /**
     * A node's address on the WireGuard device: fe80:: and its IPv4 address, or 64 bits of its IPv6 address's
     * SHA-256, so that every node works out every other's.
     */
    static LinkLocal tunnelAddress(IPAddress node) {
        byte[] id;
        if (node.isIPv4()) {
            id = new byte[8];
            System.arraycopy(node.getBytes(), 0, id, 4, 4);
        } else {
            id = Arrays.copyOf(sha256(Cidr.hostText(node)), 8);
        }
        byte[] address = new byte[16];
        address[0] = (byte) 0xfe;
        address[1] = (byte) 0x80;
        System.arraycopy(id, 0, address, 8, 8);
        return new LinkLocal(new IPv6Address(address), DEVICE);
    }

    /**
     * Makes this node's WireGuard device if no encrypted network has yet: keys from the secret, this node's
     * tunnel address, up. Refused, naming what to fix, on a kernel without WireGuard (asked first: no secret
     * fixes that), without the secret or without this node's swarm address: never a network in the clear.
     */
    void ensureDevice(int networkMtu, UndoLog undo) {
        if (links.exists(DEVICE)) {
            return;
        }
        new SetupSteps()
                .step("wireguard " + DEVICE, () -> addDevice(networkMtu), () -> links.delete(DEVICE))
                .step(DEVICE + " keys", () -> configure(secret(), self()))
                .step(DEVICE + " address", () -> addresses.add(DEVICE, tunnelAddress(self()).address().setPrefixLength(64)))
                .step(DEVICE + " up", () -> links.setUp(DEVICE))
                .apply(undo);
    }

    private void addDevice(int networkMtu) {
        try {
            links.add(new Link.WireGuard(LinkAttrs.of(DEVICE, networkMtu + INNER_OVERHEAD)));
        } catch (KernelException e) {
            if (e.errno().equals(Errno.EOPNOTSUPP)) {
                throw PluginException.invalid("-o %s: this node's kernel has no WireGuard (modprobe wireguard, or a"
                        + " kernel built with it); javanet does not make an encrypted network in the clear",
                        OverlayMode.ENCRYPTED);
            }
            throw e;
        }
    }

    /** The device again, as an encrypted network needs it after a restart or someone deleting it. */
    int reconcile(int networkMtu) {
        OverlaySecret secret = secret();
        IPAddress self = self();
        int repairs = 0;
        if (!links.exists(DEVICE)) {
            log.warn("reconcile: WireGuard device {} is missing; re-creating it", DEVICE);
            addDevice(networkMtu);
            repairs++;
        }
        configure(secret, self);
        IPAddress own = tunnelAddress(self).address().setPrefixLength(64);
        if (!addresses.addresses(DEVICE).contains(own)) {
            addresses.add(DEVICE, own);
        }
        links.setUp(DEVICE);
        return repairs;
    }

    /** The VXLAN device's local end: this node's tunnel address. */
    LinkLocal local() {
        return tunnelAddress(self());
    }

    /** Network {@code networkId} floods to {@code peer}: the device has it as a peer. */
    void peerJoined(String networkId, IPAddress peer) {
        Set<String> networks = networksOfPeer.computeIfAbsent(peer, p -> new HashSet<>());
        if (networks.isEmpty() && applied.isPresent()) {
            wireguard.setPeer(DEVICE, peer(applied.get(), peer));
        }
        networks.add(networkId);
    }

    /** Network {@code networkId} no longer floods to {@code peer}; the device drops the peer when none does. */
    void peerLeft(String networkId, IPAddress peer) {
        Set<String> networks = networksOfPeer.getOrDefault(peer, Set.of());
        if (networks.remove(networkId) && networks.isEmpty()) {
            networksOfPeer.remove(peer);
            if (applied.isPresent() && links.exists(DEVICE)) {
                wireguard.removePeer(DEVICE, NodeKeys.publicKey(applied.get(), Cidr.hostText(peer)));
            }
        }
    }

    /** Network {@code networkId} is gone: none of its peers counts it. */
    void removed(String networkId) {
        List.copyOf(networksOfPeer.keySet()).forEach(peer -> peerLeft(networkId, peer));
    }

    /**
     * Reads the secret file again and, if it changed, gives the device the keys it derives. Established
     * connections carry on: WireGuard makes new sessions with the new keys, and a node that has not yet read the
     * new secret holds traffic to it back until it has. Does nothing where no device is.
     */
    void rekey() {
        if (applied.isEmpty() || !links.exists(DEVICE)) {
            return;
        }
        OverlaySecret secret;
        try {
            secret = OverlaySecret.read(secretFile);
        } catch (OverlaySecret.SecretException e) {
            log.warn("overlay secret not rotated, the keys in use are kept: {}", e.getMessage());
            return;
        }
        if (!secret.equals(applied.get())) {
            configure(secret, self());
        }
    }

    private void configure(OverlaySecret secret, IPAddress self) {
        WireGuardKey privateKey = NodeKeys.privateKey(secret, Cidr.hostText(self));
        List<WireGuardPeer> peers = networksOfPeer.keySet().stream().map(p -> peer(secret, p)).toList();
        wireguard.configure(DEVICE, privateKey, WIREGUARD_PORT, peers);
        if (applied.map(a -> !a.equals(secret)).orElse(true)) {
            log.info("{} keys from {}: this node {} has public key {}, {} peers", DEVICE, secret, Cidr.hostText(self),
                    NodeKeys.publicKey(privateKey), peers.size());
        }
        applied = Optional.of(secret);
    }

    private static WireGuardPeer peer(OverlaySecret secret, IPAddress node) {
        return new WireGuardPeer(NodeKeys.publicKey(secret, Cidr.hostText(node)), node, WIREGUARD_PORT,
                tunnelAddress(node).address());
    }

    private OverlaySecret secret() {
        try {
            return OverlaySecret.read(secretFile);
        } catch (OverlaySecret.SecretException e) {
            throw PluginException.invalid("-o %s: the swarm's overlay secret: %s", OverlayMode.ENCRYPTED, e.getMessage());
        }
    }

    private IPAddress self() {
        return store.read(Tx::self).map(a -> Cidr.parseHost("self", a)).orElseThrow(() -> PluginException.invalid(
                "-o %s: this node's swarm address is not known yet (Docker announces it to the plugin when the node"
                        + " is in a swarm); try again once the node has joined", OverlayMode.ENCRYPTED));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
