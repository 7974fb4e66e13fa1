package io.javanet.netlink;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The generic netlink requests we make: a family's id by name, and WireGuard's device configuration. */
public final class GenlMessages {

    private GenlMessages() {
    }

    /** {@code genl ctrl get name NAME}: answered with Genl.CTRL_ATTR_FAMILY_ID. */
    public static NlRequest family(String name) {
        return NlRequest.of("Genl.CTRL_CMD_GETFAMILY " + name, Genl.GENL_ID_CTRL, Nlmsg.NLM_F_ACK, header(Genl.CTRL_CMD_GETFAMILY, 1))
                .with(NlAttr.string(Genl.CTRL_ATTR_FAMILY_NAME, name));
    }

    /** The family id in the answer to {@link #family}. */
    public static int familyId(NlReply reply) {
        return Short.toUnsignedInt(reply.attributes(Genl.GENL_HDRLEN).get(Genl.CTRL_ATTR_FAMILY_ID).getShort(0));
    }

    /** {@code wg set DEVICE private-key KEY listen-port PORT}, its peers replaced by {@code peers}. */
    public static NlRequest configure(int family, String device, WireGuardKey privateKey, int listenPort,
                                      List<WireGuardPeer> peers) {
        return setDevice(family, "Genl.WG_CMD_SET_DEVICE " + device + " " + privateKey + " listen-port " + listenPort
                + " with " + peers.size() + " peers", device)
                .with(NlAttr.bytes(Genl.WGDEVICE_A_PRIVATE_KEY, privateKey.bytes()))
                .with(NlAttr.u16(Genl.WGDEVICE_A_LISTEN_PORT, listenPort))
                .with(NlAttr.u32(Genl.WGDEVICE_A_FLAGS, Genl.WGDEVICE_F_REPLACE_PEERS))
                .with(NlAttr.nested(Genl.WGDEVICE_A_PEERS, peers.stream().map(GenlMessages::peer).toArray(NlAttr[]::new)));
    }

    /** {@code wg set DEVICE peer KEY endpoint ENDPOINT:PORT allowed-ips ALLOWED}, its allowed IPs replaced. */
    public static NlRequest setPeer(int family, String device, WireGuardPeer peer) {
        return setDevice(family, "Genl.WG_CMD_SET_DEVICE " + device + " peer " + peer.publicKey(), device)
                .with(NlAttr.nested(Genl.WGDEVICE_A_PEERS, peer(peer)));
    }

    /** {@code wg set DEVICE peer KEY remove} */
    public static NlRequest removePeer(int family, String device, WireGuardKey publicKey) {
        return setDevice(family, "Genl.WG_CMD_SET_DEVICE " + device + " peer " + publicKey + " remove", device)
                .with(NlAttr.nested(Genl.WGDEVICE_A_PEERS, NlAttr.nested(0,
                        NlAttr.bytes(Genl.WGPEER_A_PUBLIC_KEY, publicKey.bytes()),
                        NlAttr.u32(Genl.WGPEER_A_FLAGS, Genl.WGPEER_F_REMOVE_ME))));
    }

    private static NlRequest setDevice(int family, String operation, String device) {
        return NlRequest.of(operation, family, Nlmsg.NLM_F_ACK, header(Genl.WG_CMD_SET_DEVICE, Genl.WG_GENL_VERSION))
                .with(NlAttr.string(Genl.WGDEVICE_A_IFNAME, device));
    }

    /** One peer of Genl.WGDEVICE_A_PEERS; the kernel reads the nest's members whatever their type, 0 as wg(8) sends. */
    private static NlAttr peer(WireGuardPeer peer) {
        IPAddress allowed = peer.allowed();
        return NlAttr.nested(0,
                NlAttr.bytes(Genl.WGPEER_A_PUBLIC_KEY, peer.publicKey().bytes()),
                NlAttr.u32(Genl.WGPEER_A_FLAGS, Genl.WGPEER_F_REPLACE_ALLOWEDIPS),
                NlAttr.bytes(Genl.WGPEER_A_ENDPOINT, sockaddr(peer.endpoint(), peer.port())),
                NlAttr.nested(Genl.WGPEER_A_ALLOWEDIPS, NlAttr.nested(0,
                        NlAttr.u16(Genl.WGALLOWEDIP_A_FAMILY, allowed.isIPv4() ? Rtnl.AF_INET : Rtnl.AF_INET6),
                        NlAttr.bytes(Genl.WGALLOWEDIP_A_IPADDR, allowed.getBytes()),
                        NlAttr.bytes(Genl.WGALLOWEDIP_A_CIDR_MASK, new byte[] {(byte) allowed.getBitCount()}))));
    }

    /** struct sockaddr_in or sockaddr_in6: the family in host order, the port and address in network order. */
    private static byte[] sockaddr(IPAddress address, int port) {
        ByteBuffer out = ByteBuffer.allocate(address.isIPv4() ? 16 : 28);
        out.order(ByteOrder.nativeOrder()).putShort((short) (address.isIPv4() ? Rtnl.AF_INET : Rtnl.AF_INET6));
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (address.isIPv6()) {
            out.putInt(0);
        }
        out.put(address.getBytes());
        return out.array();
    }

    private static byte[] header(int command, int version) {
        return new byte[] {(byte) command, (byte) version, 0, 0};
    }
}
