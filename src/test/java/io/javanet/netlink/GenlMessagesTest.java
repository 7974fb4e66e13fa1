package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import io.javanet.net.Cidr;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes of our generic netlink requests (little-endian, as on x86_64 and aarch64). */
class GenlMessagesTest {

    private static final int FAMILY = 0x15;
    private static final String PRIVATE = "11".repeat(32);
    private static final String PUBLIC = "22".repeat(32);

    private static String hex(NlRequest request) {
        return HexFormat.of().formatHex(request.pack(7, 0));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @Test
    void theFamilyIsAskedByName() {
        assertThat(hex(GenlMessages.family("wireguard"))).isEqualTo(String.join("",
                "24000000", "1000", "0500", "07000000", "00000000",   // nlmsghdr: len 36, GENL_ID_CTRL, REQUEST|ACK
                "03010000",                                           // genlmsghdr: CTRL_CMD_GETFAMILY, version 1
                "0e00", "0200", "776972656775617264000000"));         // CTRL_ATTR_FAMILY_NAME "wireguard\0" + pad
    }

    @Test
    void configureSetsKeyPortAndReplacesThePeers() {
        WireGuardPeer peer = new WireGuardPeer(WireGuardKey.ofPublic(filled(0x22)), Cidr.parseHost("e", "192.0.2.12"),
                4801, Cidr.parseHost("t", "fe80::c000:20c"));
        assertThat(hex(GenlMessages.configure(FAMILY, "jnwg0", WireGuardKey.ofPrivate(filled(0x11)), 4801, List.of(peer))))
                .isEqualTo(String.join("",
                "c8000000", "1500", "0500", "07000000", "00000000",   // nlmsghdr: len 200, the family's id, REQUEST|ACK
                "01010000",                                           // genlmsghdr: WG_CMD_SET_DEVICE, version 1
                "0a00", "0200", "6a6e776730000000",                   // WGDEVICE_A_IFNAME "jnwg0\0" + pad
                "2400", "0300", PRIVATE,                              // WGDEVICE_A_PRIVATE_KEY
                "0600", "0600", "c1120000",                           // WGDEVICE_A_LISTEN_PORT 4801 (host order) + pad
                "0800", "0500", "01000000",                           // WGDEVICE_A_FLAGS REPLACE_PEERS
                "7400", "0880",                                       // WGDEVICE_A_PEERS | NLA_F_NESTED
                "7000", "0080",                                       //   a peer
                "2400", "0100", PUBLIC,                               //     WGPEER_A_PUBLIC_KEY
                "0800", "0300", "02000000",                           //     WGPEER_A_FLAGS REPLACE_ALLOWEDIPS
                "1400", "0400", "0200", "12c1", "c000020c", "0000000000000000", // WGPEER_A_ENDPOINT sockaddr_in :4801
                "2c00", "0980",                                       //     WGPEER_A_ALLOWEDIPS | NLA_F_NESTED
                "2800", "0080",                                       //       one
                "0600", "0100", "0a000000",                           //         WGALLOWEDIP_A_FAMILY AF_INET6 + pad
                "1400", "0200", "fe8000000000000000000000c000020c",   //         WGALLOWEDIP_A_IPADDR
                "0500", "0300", "80000000"));                         //         WGALLOWEDIP_A_CIDR_MASK 128 + pad
    }

    @Test
    void aPeerIsRemovedByItsPublicKey() {
        assertThat(hex(GenlMessages.removePeer(FAMILY, "jnwg0", WireGuardKey.ofPublic(filled(0x22))))).isEqualTo(String.join("",
                "54000000", "1500", "0500", "07000000", "00000000",   // nlmsghdr: len 84
                "01010000",                                           // genlmsghdr: WG_CMD_SET_DEVICE, version 1
                "0a00", "0200", "6a6e776730000000",                   // WGDEVICE_A_IFNAME "jnwg0\0" + pad
                "3400", "0880",                                       // WGDEVICE_A_PEERS | NLA_F_NESTED
                "3000", "0080",                                       //   a peer
                "2400", "0100", PUBLIC,                               //     WGPEER_A_PUBLIC_KEY
                "0800", "0300", "01000000"));                         //     WGPEER_A_FLAGS REMOVE_ME
    }
}
