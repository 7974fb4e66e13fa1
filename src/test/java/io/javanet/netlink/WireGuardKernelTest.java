package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import io.javanet.net.Cidr;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WireGuard devices made over rtnetlink and configured over generic netlink, against the real kernel in a
 * namespace of the test's own, checked with {@code wg show}; refused by name on a kernel without WireGuard.
 */
@Tag("kernel")
class WireGuardKernelTest {

    private ThrowawayNamespace ns;
    private RtNetlink nl;
    private GenericNetlink genl;

    @BeforeEach
    void setUp() {
        ns = new ThrowawayNamespace();
        nl = RtNetlink.openIn(ns.path, "javanet:test");
        genl = GenericNetlink.openIn(ns.path);
    }

    @AfterEach
    void tearDown() {
        genl.close();
        nl.close();
        ns.close();
    }

    /** A private key as the kernel keeps it, already clamped (RFC 7748): wg shows what the kernel holds. */
    private static WireGuardKey key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) (seed << 3);
        bytes[31] = 0x40;
        return WireGuardKey.ofPrivate(bytes);
    }

    private static WireGuardKey publicOf(int seed) {
        byte[] bytes = new byte[32];
        bytes[1] = (byte) seed;
        return WireGuardKey.ofPublic(bytes);
    }

    private String wg(String... args) {
        String[] command = new String[args.length + 4];
        System.arraycopy(new String[] {"ip", "netns", "exec", ns.name}, 0, command, 0, 4);
        System.arraycopy(args, 0, command, 4, args.length);
        return ThrowawayNamespace.run(command);
    }

    private static String b64(WireGuardKey key) {
        return Base64.getEncoder().encodeToString(key.bytes());
    }

    @Test
    void aDeviceGetsItsKeyPortAndPeersAndLosesAPeerByKey() {
        if (!KernelModules.hasLinkKind("wireguard", "wireguard")) {
            assertThatThrownBy(() -> nl.add(new Link.WireGuard(LinkAttrs.of("jnwg0", 1420)))).isInstanceOf(KernelException.class)
                    .hasMessageMatching("RTM_NEWLINK wireguard jnwg0: EOPNOTSUPP.*");
            assertThat(ns.ipJson("link", "show").toString()).contains("\"lo\"").doesNotContain("jnwg0");
            return;
        }
        nl.add(new Link.WireGuard(LinkAttrs.of("jnwg0", 1420)));
        assertThat(ns.link("jnwg0").at("/linkinfo/info_kind").asText()).isEqualTo("wireguard");
        assertThat(ns.link("jnwg0").get("mtu").asInt()).isEqualTo(1420);
        WireGuardPeer one = new WireGuardPeer(publicOf(1), Cidr.parseHost("e", "192.0.2.12"), 4801,
                Cidr.parseHost("t", "fe80::c000:20c"));
        WireGuardPeer two = new WireGuardPeer(publicOf(2), Cidr.parseHost("e", "192.0.2.13"), 4801,
                Cidr.parseHost("t", "fe80::c000:20d"));
        genl.configure("jnwg0", key(1), 4801, List.of(one, two));
        String dump = wg("wg", "show", "jnwg0", "dump");
        assertThat(dump.lines().findFirst().orElseThrow()).startsWith(b64(key(1)) + "\t").contains("\t4801\t");
        assertThat(dump).contains(b64(publicOf(1)) + "\t(none)\t192.0.2.12:4801\tfe80::c000:20c/128")
                .contains(b64(publicOf(2)) + "\t(none)\t192.0.2.13:4801\tfe80::c000:20d/128");

        genl.removePeer("jnwg0", publicOf(1));
        genl.removePeer("jnwg0", publicOf(1));
        assertThat(wg("wg", "show", "jnwg0", "peers").strip()).isEqualTo(b64(publicOf(2)));
        genl.configure("jnwg0", key(2), 4801, List.of(one));
        assertThat(wg("wg", "show", "jnwg0", "private-key").strip()).isEqualTo(b64(key(2)));
        assertThat(wg("wg", "show", "jnwg0", "peers").strip()).as("replaced").isEqualTo(b64(publicOf(1)));
    }

    /**
     * An encrypted network's VXLAN device sends from a link-local address through one link (the WireGuard device;
     * a veth here, so that every kernel runs it) and floods to link-local peers through it.
     */
    @Test
    void aVxlanDeviceSendsThroughOneLinkFromItsLinkLocalAddress() {
        nl.add(new Link.Veth(LinkAttrs.of("tun0", 1420), "tun1", Optional.empty()));
        LinkLocal local = new LinkLocal(Cidr.parseHost("l", "fe80::c000:20b"), "tun0");
        LinkLocal peer = new LinkLocal(Cidr.parseHost("p", "fe80::c000:20c"), "tun0");
        nl.add(new Link.Vxlan(LinkAttrs.of("jnx0", 1350), 5000, 4802, Optional.of(local)));
        nl.appendFlood("jnx0", peer);
        var vxlan = ns.link("jnx0").at("/linkinfo/info_data");
        assertThat(vxlan.get("id").asInt()).isEqualTo(5000);
        assertThat(vxlan.get("local6").asText()).isEqualTo("fe80::c000:20b");
        assertThat(vxlan.get("link").asText()).isEqualTo("tun0");
        assertThat(vxlan.get("port").asInt()).isEqualTo(4802);
        assertThat(ns.json("bridge", "-j", "fdb", "show", "dev", "jnx0").toString())
                .contains("\"dst\":\"fe80::c000:20c\"").contains("\"viaIf\":\"tun0\"");
        nl.removeFlood("jnx0", peer);
        nl.removeFlood("jnx0", peer);
        assertThat(ns.link("jnx0").get("ifname").asText()).isEqualTo("jnx0");
        assertThat(ns.json("bridge", "-j", "fdb", "show", "dev", "jnx0").toString()).doesNotContain("fe80::c000:20c");
    }
}
