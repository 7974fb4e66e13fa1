package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.Errno;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.Route;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Golden bytes of our requests (little-endian, as on x86_64 and aarch64) and parsing of kernel answers. */
class RtMessagesTest {

    private static final HexFormat HEX = HexFormat.of();

    /** For requests that name no other link: any look-up is a test's mistake. */
    private static final ToIntFunction<String> NO_LINKS = name -> {
        throw new AssertionError("looked up " + name);
    };

    private static String hex(NlRequest request) {
        return HEX.formatHex(request.pack(7, 0));
    }

    private static byte[] bytes(String... hexLines) {
        return HEX.parseHex(String.join("", hexLines).replace(" ", ""));
    }

    @Test
    void bytesAreLittleEndianHere() {
        assertThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void newWireGuard() {
        assertThat(hex(RtMessages.newLink(new Link.WireGuard(LinkAttrs.of("jnwg0", 1420)), NO_LINKS))).isEqualTo(String.join("",
                "48000000", "1000", "0506", "07000000", "00000000", // nlmsghdr: len 72, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                "00000000000000000000000000000000",                   // ifinfomsg
                "0a00", "0300", "6a6e776730000000",                   // IFLA_IFNAME "jnwg0\0" + pad
                "0800", "0400", "8c050000",                           // IFLA_MTU 1420
                "1400", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED
                "0e00", "0100", "776972656775617264000000"));         //   IFLA_INFO_KIND "wireguard\0" + pad
    }

    @Test
    void newVxlanThroughALinkLocalAddressOfALink() {
        assertThat(hex(RtMessages.newLink(new Link.Vxlan(LinkAttrs.of("jnx0", 1350), 5000, 4802,
                Optional.of(new LinkLocal(Cidr.parseHost("l", "fe80::c000:20b"), "tun0"))), Map.of("tun0", 9)::get)))
                .isEqualTo(String.join("",
                "7c000000", "1000", "0506", "07000000", "00000000", // nlmsghdr: len 124
                "00000000000000000000000000000000",                   // ifinfomsg
                "0900", "0300", "6a6e783000000000",                   // IFLA_IFNAME "jnx0\0" + pad
                "0800", "0400", "46050000",                           // IFLA_MTU 1350
                "4800", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED
                "0a00", "0100", "76786c616e000000",                   //   IFLA_INFO_KIND "vxlan\0" + pad
                "3800", "0280",                                       //   IFLA_INFO_DATA | NLA_F_NESTED
                "0800", "0100", "88130000",                           //     IFLA_VXLAN_ID 5000
                "0500", "0700", "01000000",                           //     IFLA_VXLAN_LEARNING 1 + pad
                "0600", "0f00", "12c20000",                           //     IFLA_VXLAN_PORT 4802 (network order) + pad
                "0800", "0300", "09000000",                           //     IFLA_VXLAN_LINK 9
                "1400", "1100", "fe8000000000000000000000c000020b")); //     IFLA_VXLAN_LOCAL6
    }

    @Test
    void appendFloodToALinkLocalPeerNamesItsLink() {
        assertThat(hex(RtMessages.appendFlood(5, "jnx0", Cidr.parseHost("peer", "fe80::c000:20c"), 9))).isEqualTo(String.join("",
                "44000000", "1c00", "050c", "07000000", "00000000", // nlmsghdr: len 68, RTM_NEWNEIGH, REQUEST|ACK|CREATE|APPEND
                "07000000", "05000000", "8000", "02", "00",           // ndmsg: AF_BRIDGE, index 5, NUD_PERMANENT, NTF_SELF
                "0a00", "0200", "000000000000", "0000",               // NDA_LLADDR 00:00:00:00:00:00 + pad
                "1400", "0100", "fe8000000000000000000000c000020c",   // NDA_DST
                "0800", "0800", "09000000"));                         // NDA_IFINDEX 9
    }

    @Test
    void newBridge() {
        assertThat(hex(RtMessages.newLink(new Link.Bridge(LinkAttrs.of("br0", 1400)), NO_LINKS))).isEqualTo(String.join("",
                "40000000", "1000", "0506", "07000000", "00000000", // nlmsghdr: len 64, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 7, pid 0
                "00000000000000000000000000000000",                   // ifinfomsg: AF_UNSPEC, no index
                "0800", "0300", "62723000",                           // IFLA_IFNAME "br0\0"
                "0800", "0400", "78050000",                           // IFLA_MTU 1400
                "1000", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED, 16 bytes
                "0b00", "0100", "6272696467650000"));                 //   IFLA_INFO_KIND "bridge\0" + pad
    }

    @Test
    void newVethWithPeerMac() {
        NlRequest veth = RtMessages.newLink(new Link.Veth(LinkAttrs.of("jnv1", 1500), "jnc1",
                Optional.of(MacAddress.parse("02:42:0a:7b:00:32"))), NO_LINKS);
        assertThat(hex(veth)).isEqualTo(String.join("",
                "7c000000", "1000", "0506", "07000000", "00000000",   // nlmsghdr: len 124
                "00000000000000000000000000000000",                   // ifinfomsg
                "0900", "0300", "6a6e763100000000",                   // IFLA_IFNAME "jnv1\0" + pad
                "0800", "0400", "dc050000",                           // IFLA_MTU 1500
                "4800", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED, 72 bytes
                "0900", "0100", "7665746800000000",                   //   IFLA_INFO_KIND "veth\0" + pad
                "3800", "0280",                                       //   IFLA_INFO_DATA | NLA_F_NESTED, 56 bytes
                "3400", "0100",                                       //     VETH_INFO_PEER, 52 bytes
                "00000000000000000000000000000000",                   //       ifinfomsg
                "0900", "0300", "6a6e633100000000",                   //       IFLA_IFNAME "jnc1\0" + pad
                "0800", "0400", "dc050000",                           //       IFLA_MTU 1500
                "0a00", "0100", "02420a7b00320000"));                 //       IFLA_ADDRESS + pad
    }

    @Test
    void setLinkUpAndMaster() {
        assertThat(hex(RtMessages.setUp(5, "jnv1"))).isEqualTo(String.join("",
                "20000000", "1000", "0500", "07000000", "00000000",   // nlmsghdr: len 32, RTM_NEWLINK, REQUEST|ACK
                "00000000", "05000000", "01000000", "01000000"));     // ifinfomsg: index 5, flags IFF_UP, change IFF_UP
        assertThat(hex(RtMessages.setMaster(5, "jnv1", 3))).isEqualTo(String.join("",
                "28000000", "1000", "0500", "07000000", "00000000",
                "00000000", "05000000", "00000000", "00000000",       // ifinfomsg: index 5, no flag change
                "0800", "0a00", "03000000"));                         // IFLA_MASTER 3
    }

    @Test
    void setPortIsolated() {
        assertThat(hex(RtMessages.setPortIsolated(5, "jnv1"))).isEqualTo(String.join("",
                "3c000000", "1000", "0500", "07000000", "00000000",   // RTM_NEWLINK, REQUEST|ACK
                "00000000", "05000000", "00000000", "00000000",       // ifinfomsg: index 5, no flag change
                "1c00", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED
                "0b00", "0400", "62726964676500", "00",               //   IFLA_INFO_SLAVE_KIND "bridge"
                "0c00", "0580",                                       //   IFLA_INFO_SLAVE_DATA | NLA_F_NESTED
                "0500", "2100", "01", "000000"));                     //     IFLA_BRPORT_ISOLATED 1
    }

    @Test
    void getLinkByIndex() {
        assertThat(hex(RtMessages.getLink(12))).isEqualTo(String.join("",
                "20000000", "1200", "0100", "07000000", "00000000",   // RTM_GETLINK, REQUEST only
                "00000000", "0c000000", "00000000", "00000000"));     // ifinfomsg: index 12
    }

    @Test
    void deleteLinkByName() {
        assertThat(hex(RtMessages.deleteLink("jn-abc"))).isEqualTo(String.join("",
                "2c000000", "1100", "0500", "07000000", "00000000",   // RTM_DELLINK, len 44, REQUEST|ACK
                "00000000000000000000000000000000",
                "0b00", "0300", "6a6e2d6162630000"));                 // IFLA_IFNAME "jn-abc\0" + pad
    }

    @Test
    void newAddressIpv4AndIpv6() {
        assertThat(hex(RtMessages.newAddress(4, Cidr.parseInterfaceAddress("a", "10.123.0.1/24")))).isEqualTo(String.join("",
                "28000000", "1400", "0506", "07000000", "00000000",   // RTM_NEWADDR, CREATE|EXCL|ACK
                "02", "18", "00", "00", "04000000",                   // ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 4
                "0800", "0200", "0a7b0001",                           // IFA_LOCAL 10.123.0.1
                "0800", "0100", "0a7b0001"));                         // IFA_ADDRESS 10.123.0.1
        assertThat(hex(RtMessages.newAddress(4, Cidr.parseInterfaceAddress("a", "fd00:2::1/64")))).isEqualTo(String.join("",
                "40000000", "1400", "0506", "07000000", "00000000",
                "0a", "40", "02", "00", "04000000",                   // AF_INET6, /64, IFA_F_NODAD
                "1400", "0200", "fd000002000000000000000000000001",   // IFA_LOCAL
                "1400", "0100", "fd000002000000000000000000000001")); // IFA_ADDRESS
    }

    @Test
    void hostRouteViaDeviceAndDefaultRouteViaGateway() {
        assertThat(hex(RtMessages.newRoute(Route.onLink(Cidr.parseInterfaceAddress("r", "10.1.0.2/32"), 6)))).isEqualTo(String.join("",
                "2c000000", "1800", "0506", "07000000", "00000000",   // RTM_NEWROUTE, CREATE|EXCL|ACK
                "02", "20", "00", "00", "fe", "04", "fd", "01", "00000000", // rtmsg: AF_INET /32, main, static, scope link, unicast
                "0800", "0100", "0a010002",                           // RTA_DST 10.1.0.2
                "0800", "0400", "06000000"));                         // RTA_OIF 6
        assertThat(hex(RtMessages.newRoute(Route.via(Cidr.parseNetwork("d", "0.0.0.0/0"), Cidr.parseHost("g", "169.254.1.1")))))
                .isEqualTo(String.join("",
                "24000000", "1800", "0506", "07000000", "00000000",
                "02", "00", "00", "00", "fe", "04", "00", "01", "00000000", // default: /0, scope universe
                "0800", "0500", "a9fe0101"));                         // RTA_GATEWAY 169.254.1.1
    }

    @Test
    void newVethOnABridgeAndUpInOneRequest() {
        assertThat(hex(RtMessages.newLink(new Link.Veth(LinkAttrs.of("jnv1", 1500).onBridge("jn-1"), "jnc1",
                Optional.empty()), Map.of("jn-1", 5)::get))).isEqualTo(String.join("",
                "78000000", "1000", "0506", "07000000", "00000000",   // nlmsghdr: len 120, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                "0000", "0000", "00000000", "01000000", "01000000",   // ifinfomsg: no index, flags IFF_UP, change IFF_UP
                "0900", "0300", "6a6e763100000000",                   // IFLA_IFNAME "jnv1\0" + pad
                "0800", "0400", "dc050000",                           // IFLA_MTU 1500
                "0800", "0a00", "05000000",                           // IFLA_MASTER 5
                "3c00", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED, 60 bytes
                "0900", "0100", "7665746800000000",                   //   IFLA_INFO_KIND "veth\0" + pad
                "2c00", "0280",                                       //   IFLA_INFO_DATA | NLA_F_NESTED, 44 bytes
                "2800", "0100",                                       //     VETH_INFO_PEER, 40 bytes
                "00000000000000000000000000000000",                   //       ifinfomsg
                "0900", "0300", "6a6e633100000000",                   //       IFLA_IFNAME "jnc1\0" + pad
                "0800", "0400", "dc050000"));                         //       IFLA_MTU 1500
    }

    @Test
    void newMacvlanWithItsMacOnAParent() {
        NlRequest macvlan = RtMessages.newLink(new Link.Macvlan(LinkAttrs.of("jnm1", 1450)
                .withMac(Optional.of(MacAddress.parse("02:42:0a:7b:00:32"))), "eth0", SubMode.BRIDGE), Map.of("eth0", 2)::get);
        assertThat(hex(macvlan)).isEqualTo(String.join("",
                "64000000", "1000", "0506", "07000000", "00000000",   // nlmsghdr: len 100, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                "00000000000000000000000000000000",                   // ifinfomsg
                "0900", "0300", "6a6e6d3100000000",                   // IFLA_IFNAME "jnm1\0" + pad
                "0800", "0400", "aa050000",                           // IFLA_MTU 1450
                "0a00", "0100", "02420a7b00320000",                   // IFLA_ADDRESS + pad
                "0800", "0500", "02000000",                           // IFLA_LINK 2
                "1c00", "1280",                                       // IFLA_LINKINFO | NLA_F_NESTED, 28 bytes
                "0c00", "0100", "6d6163766c616e00",                   //   IFLA_INFO_KIND "macvlan\0"
                "0c00", "0280",                                       //   IFLA_INFO_DATA | NLA_F_NESTED, 12 bytes
                "0800", "0100", "04000000"));                         //     IFLA_MACVLAN_MODE MACVLAN_MODE_BRIDGE
    }

    @Test
    void aliasNamesTheLinkRatherThanItsIndex() {
        assertThat(hex(RtMessages.setAlias("jnv1", "javanet"))).isEqualTo(String.join("",
                "38000000", "1000", "0500", "07000000", "00000000",   // nlmsghdr: len 56, RTM_NEWLINK, REQUEST|ACK
                "00000000000000000000000000000000",                   // ifinfomsg: index 0, so the name picks the link
                "0900", "0300", "6a6e763100000000",                   // IFLA_IFNAME "jnv1\0" + pad
                "0c00", "1400", "6a6176616e657400"));                 // IFLA_IFALIAS "javanet\0"
    }

    @Test
    void newVxlanWithItsIdLearningAndPort() {
        assertThat(hex(RtMessages.newLink(new Link.Vxlan(LinkAttrs.of("jnx0", 1450), 4242, 4800, Optional.empty()), NO_LINKS))).isEqualTo(String.join("",
                "60000000", "1000", "0506", "07000000", "00000000", // nlmsghdr: len 96, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                "00000000000000000000000000000000",                 // ifinfomsg
                "0900", "0300", "6a6e783000000000",                 // IFLA_IFNAME "jnx0\0" + pad
                "0800", "0400", "aa050000",                         // IFLA_MTU 1450
                "2c00", "1280",                                     // IFLA_LINKINFO | NLA_F_NESTED, 44 bytes
                "0a00", "0100", "76786c616e000000",                 //   IFLA_INFO_KIND "vxlan\0" + pad
                "1c00", "0280",                                     //   IFLA_INFO_DATA | NLA_F_NESTED, 28 bytes
                "0800", "0100", "92100000",                         //     IFLA_VXLAN_ID 4242
                "0500", "0700", "01000000",                         //     IFLA_VXLAN_LEARNING 1 + pad
                "0600", "0f00", "12c00000"));                       //     IFLA_VXLAN_PORT 4800, big-endian, + pad
    }

    @Test
    void floodEntryForAVxlanPeer() {
        assertThat(hex(RtMessages.appendFlood(5, "jnx0", Cidr.parseHost("peer", "192.0.2.11")))).isEqualTo(String.join("",
                "30000000", "1c00", "050c", "07000000", "00000000", // nlmsghdr: len 48, RTM_NEWNEIGH, REQUEST|ACK|CREATE|APPEND
                "07", "00", "0000", "05000000", "8000", "02", "00", // ndmsg: AF_BRIDGE, ifindex 5, NUD_PERMANENT, NTF_SELF
                "0a00", "0200", "000000000000", "0000",             // NDA_LLADDR 00:00:00:00:00:00 + pad
                "0800", "0100", "c000020b"));                       // NDA_DST 192.0.2.11
        assertThat(hex(RtMessages.deleteFlood(5, "jnx0", Cidr.parseHost("peer", "192.0.2.11"))))
                .startsWith("30000000" + "1d00" + "0500");           // RTM_DELNEIGH, REQUEST|ACK
    }

    @Test
    void forwardingDumpAndItsFloodEntries() {
        assertThat(hex(RtMessages.dumpForwarding())).isEqualTo(String.join("",
                "1c000000", "1e00", "0103", "07000000", "00000000", // nlmsghdr: len 28, RTM_GETNEIGH, REQUEST|DUMP
                "07", "000000", "00000000", "0000", "00", "00"));   // ndmsg: AF_BRIDGE, any link
        // RTM_NEWNEIGH as `bridge fdb show` reads them: a flood entry of link 5, and a learned MAC of link 5.
        byte[] flood = bytes("30000000", "1c00", "0200", "07000000", "00000000",
                "07", "000000", "05000000", "8000", "02", "00",
                "0a00", "0200", "000000000000", "0000", "0800", "0100", "c000020b");
        byte[] learned = bytes("30000000", "1c00", "0200", "07000000", "00000000",
                "07", "000000", "05000000", "0200", "02", "00",
                "0a00", "0200", "02420a000002", "0000", "0800", "0100", "c000020c");
        NlReply floodReply = NlReply.parseAll(ByteBuffer.wrap(flood)).get(0);
        assertThat(RtMessages.parseFlood(floodReply, 5)).contains(Cidr.parseHost("peer", "192.0.2.11"));
        assertThat(RtMessages.parseFlood(floodReply, 6)).as("another link's").isEmpty();
        assertThat(RtMessages.parseFlood(NlReply.parseAll(ByteBuffer.wrap(learned)).get(0), 5)).as("a learned MAC").isEmpty();
    }

    @Test
    void newVlanOnAParent() {
        assertThat(hex(RtMessages.newLink(new Link.Vlan(LinkAttrs.of("eth0.20", 0), "eth0", 20), Map.of("eth0", 2)::get))).isEqualTo(String.join("",
                "50000000", "1000", "0506", "07000000", "00000000", // nlmsghdr: len 80, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
                "00000000000000000000000000000000",                 // ifinfomsg
                "0c00", "0300", "657468302e323000",                 // IFLA_IFNAME "eth0.20\0"
                "0800", "0500", "02000000",                         // IFLA_LINK 2
                "1c00", "1280",                                     // IFLA_LINKINFO | NLA_F_NESTED, 28 bytes
                "0900", "0100", "766c616e00000000",                 //   IFLA_INFO_KIND "vlan\0" + pad
                "0c00", "0280",                                     //   IFLA_INFO_DATA | NLA_F_NESTED, 12 bytes
                "0600", "0100", "14000000"));                       //     IFLA_VLAN_ID 20 (u16 of 6 bytes) + pad
    }

    @Test
    void arpProxyDelayIsSetOnTheArpCacheTableForOneLink() {
        assertThat(hex(RtMessages.setArpProxyDelay(5, "jnv1", 0))).isEqualTo(String.join("",
                "3c000000", "4300", "0500", "07000000", "00000000", // nlmsghdr: len 60, RTM_SETNEIGHTBL, REQUEST|ACK
                "02000000",                                         // ndtmsg: AF_INET, padding
                "0e00", "0100", "6172705f636163686500", "0000",     // NDTA_NAME "arp_cache\0" + pad
                "1800", "0680",                                     // NDTA_PARMS | NLA_F_NESTED, 24 bytes
                "0800", "0100", "05000000",                         //   NDTPA_IFINDEX 5
                "0c00", "0d00", "0000000000000000"));               //   NDTPA_PROXY_DELAY 0 ms (u64)
    }

    @Test
    void parsesALinkAsTheKernelSendsIt() {
        // RTM_NEWLINK for "jnv1": index 5, UP, mtu 1500, master 3, MAC, kind veth (trimmed from a real dump).
        byte[] message = bytes(
                "68000000", "1000", "0200", "07000000", "00000000",
                "00000100", "05000000", "43100100", "00000000",        // ifinfomsg: ARPHRD_ETHER, index 5, flags UP|…
                "0900", "0300", "6a6e763100000000",
                "0800", "0400", "dc050000",
                "0800", "0a00", "03000000",
                "0a00", "0100", "02420a7b00320000",
                "1c00", "1200", "0900", "0100", "7665746800000000", "0c00", "0200", "0800", "0100", "06000000",
                "0800", "1000", "06000000",
                "0500", "2100", "01000000");
        LinkInfo link = RtMessages.parseLink(NlReply.parseAll(ByteBuffer.wrap(message)).get(0));
        assertThat(link).isEqualTo(new LinkInfo(5, "jnv1", "veth", 1500, Optional.of(MacAddress.parse("02:42:0a:7b:00:32")), 3, true, ""));
    }

    @Test
    void parsesAddressesAndRoutes() {
        byte[] address = bytes("28000000", "1400", "0200", "07000000", "00000000",
                "02", "18", "80", "00", "04000000", "0800", "0100", "0a7b0001", "0800", "0200", "0a7b0001");
        assertThat(RtMessages.parseAddress(NlReply.parseAll(ByteBuffer.wrap(address)).get(0)))
                .isEqualTo(new AddressInfo(4, Cidr.parseInterfaceAddress("a", "10.123.0.1/24")));
        byte[] route = bytes("34000000", "1800", "0200", "07000000", "00000000",
                "02", "18", "00", "00", "fe", "02", "fd", "01", "00000000",
                "0800", "0f00", "fe000000", "0800", "0100", "0a7b0000", "0800", "0400", "04000000");
        Route parsed = RtMessages.parseRoute(NlReply.parseAll(ByteBuffer.wrap(route)).get(0));
        assertThat(parsed.destination()).hasToString("10.123.0.0/24");
        assertThat(parsed.linkIndex()).isEqualTo(4);
        assertThat(parsed.table()).isEqualTo(254);
        assertThat(parsed.gateway()).isEmpty();
    }

    @Test
    void readsTheErrnoAndTheKernelsExplanationFromAnExtendedAck() {
        // NLMSG_ERROR -17 (EEXIST), capped, with NLMSGERR_ATTR_MSG "Link exists".
        byte[] error = bytes("34000000", "0200", "0003", "07000000", "00000000",
                "efffffff",                                            // error -17
                "38000000", "1000", "0506", "07000000", "00000000",    // the request's nlmsghdr
                "1000", "0100", "4c696e6b2065786973747300");           // NLMSGERR_ATTR_MSG
        NlReply reply = NlReply.parseAll(ByteBuffer.wrap(error)).get(0);
        assertThat(reply.error()).isEqualTo(-17);
        assertThat(reply.extAckMessage()).isEqualTo("Link exists");
        NetlinkException e = new NetlinkException("RTM_NEWLINK bridge br0", new Errno(-reply.error()), reply.extAckMessage());
        assertThat(e).hasMessage("RTM_NEWLINK bridge br0: EEXIST (File exists: Link exists)");
        assertThat(e.isExists()).isTrue();
    }

    @Test
    void splitsADatagramOfSeveralMessagesAndRefusesATruncatedOne() {
        byte[] two = bytes("14000000", "0300", "0200", "07000000", "00000000", "00000000",
                "14000000", "0300", "0200", "08000000", "00000000", "00000000");
        List<NlReply> replies = NlReply.parseAll(ByteBuffer.wrap(two));
        assertThat(replies).extracting(NlReply::seq).containsExactly(7, 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> NlReply.parseAll(ByteBuffer.wrap(bytes("40000000", "0300", "0200", "07000000", "00000000"))))
                .hasMessageContaining("truncated");
    }
}
