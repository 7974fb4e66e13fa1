package io.javanet.netlink;

import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.WireGuard;
import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import io.javanet.sys.Netns;
import java.nio.file.Path;
import java.util.List;

/**
 * WireGuard's configuration over generic netlink, in the namespace it was opened in. The family's id is asked
 * of the kernel at the first call that needs it (the module loads with the first WireGuard link) and kept.
 * Thread-safe: requests on the one socket are serialised.
 */
public final class GenericNetlink implements WireGuard, AutoCloseable {

    private final NetlinkSocket socket;
    private int wireguard;

    private GenericNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** For the namespace javanet runs in. */
    public static GenericNetlink open() {
        return new GenericNetlink(NetlinkSocket.open(Genl.NETLINK_GENERIC));
    }

    /** For the namespace at {@code path}. */
    public static GenericNetlink openIn(Path path) {
        return new GenericNetlink(Netns.call(path, () -> NetlinkSocket.open(Genl.NETLINK_GENERIC)));
    }

    @Override
    public void configure(String device, WireGuardKey privateKey, int listenPort, List<WireGuardPeer> peers) {
        socket.execute(GenlMessages.configure(wireguard(), device, privateKey, listenPort, peers));
    }

    @Override
    public void setPeer(String device, WireGuardPeer peer) {
        socket.execute(GenlMessages.setPeer(wireguard(), device, peer));
    }

    @Override
    public void removePeer(String device, WireGuardKey publicKey) {
        KernelException.ignoringNotFound(() -> socket.execute(GenlMessages.removePeer(wireguard(), device, publicKey)));
    }

    private synchronized int wireguard() {
        if (wireguard == 0) {
            try {
                wireguard = GenlMessages.familyId(socket.execute(GenlMessages.family(Genl.WG_GENL_NAME)).getFirst());
            } catch (KernelException e) {
                if (e.errno().equals(Errno.ENOENT)) {
                    throw new KernelException("CTRL_CMD_GETFAMILY wireguard", Errno.EOPNOTSUPP,
                            "this kernel has no WireGuard");
                }
                throw e;
            }
        }
        return wireguard;
    }

    @Override
    public void close() {
        socket.close();
    }
}
