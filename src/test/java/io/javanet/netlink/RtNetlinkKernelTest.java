package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddress;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.LinkAddress;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our rtnetlink against the real kernel, in a namespace of the test's own; checked with {@code ip -j}. */
@Tag("kernel")
class RtNetlinkKernelTest {

    private ThrowawayNamespace ns;
    private RtNetlink nl;

    @BeforeEach
    void setUp() {
        ns = new ThrowawayNamespace();
        nl = RtNetlink.openIn(ns.path, "javanet:test");
    }

    @AfterEach
    void tearDown() {
        if (nl != null) {
            nl.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private void bridge(String name, int mtu) {
        nl.add(new Link.Bridge(LinkAttrs.of(name, mtu)));
    }

    private static void veth(RtNetlink in, String name, String peer, int mtu) {
        in.add(new Link.Veth(LinkAttrs.of(name, mtu), peer, Optional.empty()));
    }

    private static List<String> names(JsonNode links) {
        return StreamSupport.stream(links.spliterator(), false).map(l -> l.get("ifname").asText()).toList();
    }

    @Test
    void bridgeIsCreatedUpWithItsMtuAndDeleted() {
        bridge("br0", 1400);
        assertThat(ns.link("br0").get("flags").toString()).doesNotContain("\"UP\"");
        nl.setUp("br0");
        JsonNode link = ns.link("br0");
        assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("bridge");
        assertThat(link.get("mtu").asInt()).isEqualTo(1400);
        assertThat(link.get("flags").toString()).contains("\"UP\"");
        assertThat(nl.exists("br0")).isTrue();
        assertThat(nl.kind("br0")).contains("bridge");
        nl.delete("br0");
        assertThat(names(ns.ipJson("link", "show"))).containsExactly("lo");
        assertThat(nl.exists("br0")).isFalse();
        assertThat(nl.kind("br0")).isEmpty();
    }

    @Test
    void linksWeMakeAreMarkedOursAndFoundAgain() {
        bridge("br0", 1500);
        veth(nl, "jnv1", "jnc1", 1500);
        ThrowawayNamespace.run("ip", "-n", ns.name, "link", "add", "other0", "type", "bridge");
        assertThat(ns.link("br0").get("ifalias").asText()).isEqualTo("javanet:test");
        assertThat(nl.owned()).containsExactlyInAnyOrder("br0", "jnv1");
        nl.setMaster("jnv1", "br0");
        assertThat(nl.master("jnv1")).contains("br0");
        assertThat(nl.master("br0")).isEmpty();
        try (RtNetlink other = RtNetlink.openIn(ns.path, "javanet:other")) {
            assertThat(other.owned()).isEmpty();
        }
    }

    @Test
    void aBridgePortIsIsolatedAndALinkThatIsNoPortRefusesIt() {
        bridge("br0", 1500);
        veth(nl, "jnv1", "jnc1", 1500);
        veth(nl, "jnv2", "jnc2", 1500);
        nl.setMaster("jnv1", "br0");
        nl.setMaster("jnv2", "br0");
        nl.setPortIsolated("jnv1");
        assertThat(ns.link("jnv1").at("/linkinfo/info_slave_data/isolated").asBoolean()).isTrue();
        assertThat(ns.link("jnv2").at("/linkinfo/info_slave_data/isolated").isBoolean())
                .as("ip shows the flag of every port").isTrue();
        assertThat(ns.link("jnv2").at("/linkinfo/info_slave_data/isolated").asBoolean()).isFalse();
        assertThatThrownBy(() -> nl.setPortIsolated("jnc1")).isInstanceOf(KernelException.class)
                .hasMessageContaining("jnc1 bridge_slave isolated on");
    }

    @Test
    void linksOfAnotherOwnerAreAdoptedAndNoOthers() {
        try (RtNetlink former = RtNetlink.openIn(ns.path, "javanet:javanet")) {
            former.add(new Link.Bridge(LinkAttrs.of("br0", 1500)));
        }
        bridge("br1", 1500);
        ThrowawayNamespace.run("ip", "-n", ns.name, "link", "add", "other0", "type", "bridge");
        assertThat(nl.adopt("javanet:javanet")).containsExactly("br0");
        assertThat(nl.owned()).containsExactlyInAnyOrder("br0", "br1");
        assertThat(ns.link("br0").get("ifalias").asText()).isEqualTo("javanet:test");
        assertThat(ns.link("other0").has("ifalias")).isFalse();
    }

    @Test
    void vethPairOnABridgeWithMtuAndPeerMac() {
        bridge("br0", 1500);
        nl.add(new Link.Veth(LinkAttrs.of("jnv1", 1450).onBridge("br0"), "jnc1",
                Optional.of(MacAddress.parse("02:42:0a:7b:00:32"))));
        JsonNode host = ns.link("jnv1");
        assertThat(host.at("/linkinfo/info_kind").asText()).isEqualTo("veth");
        assertThat(host.get("master").asText()).isEqualTo("br0");
        assertThat(host.get("flags").toString()).as("up in the same request").contains("\"UP\"");
        assertThat(host.get("mtu").asInt()).isEqualTo(1450);
        assertThat(host.get("link").asText()).isEqualTo("jnc1");
        assertThat(ns.link("jnc1").get("mtu").asInt()).isEqualTo(1450);
        assertThat(ns.link("jnc1").get("address").asText()).isEqualTo("02:42:0a:7b:00:32");
        assertThat(nl.master("jnv1")).contains("br0");
        nl.delete("jnv1");
        assertThat(names(ns.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "br0");
    }

    /**
     * Link kinds not every kernel has: this VM's lacks ipvlan and 802.1q; Debian's, booted by
     * test-integration/guest.sh, has both. What to expect is read from the kernel's modules first
     * ({@link KernelModules}); then our request must make the link as asked where the kernel has the kind, and
     * fail naming the kind and the kernel's EOPNOTSUPP where it has not.
     */
    @Test
    void ipvlanLinksAreMadeAsAskedWhereTheKernelHasThemAndRefusedByNameWhereNot() {
        veth(nl, "parent0", "parent1", 1500);
        for (SubMode mode : List.of(SubMode.L2, SubMode.L3)) {
            String name = "ipv" + mode.wireName();
            if (KernelModules.hasLinkKind("ipvlan", "ipvlan")) {
                nl.add(new Link.Ipvlan(LinkAttrs.of(name, 1400), "parent0", mode));
                JsonNode link = ns.link(name);
                assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("ipvlan");
                assertThat(link.at("/linkinfo/info_data/mode").asText()).isEqualTo(mode.wireName());
                assertThat(link.get("link").asText()).isEqualTo("parent0");
                assertThat(link.get("mtu").asInt()).isEqualTo(1400);
            } else {
                assertThatThrownBy(() -> nl.add(new Link.Ipvlan(LinkAttrs.of(name, 1400), "parent0", mode)))
                        .isInstanceOf(KernelException.class)
                        .hasMessageMatching("RTM_NEWLINK ipvlan " + name + ": EOPNOTSUPP.*");
                assertThat(names(ns.ipJson("link", "show"))).doesNotContain(name);
            }
        }
    }

    @Test
    void vlanLinksAreMadeAsAskedWhereTheKernelHasThemAndRefusedByNameWhereNot() {
        veth(nl, "parent0", "parent1", 1500);
        Link vlan = new Link.Vlan(LinkAttrs.of("parent0.20", 0), "parent0", 20);
        if (KernelModules.hasLinkKind("vlan", "8021q")) {
            nl.add(vlan);
            JsonNode link = ns.link("parent0.20");
            assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("vlan");
            assertThat(link.at("/linkinfo/info_data/protocol").asText()).isEqualTo("802.1Q");
            assertThat(link.at("/linkinfo/info_data/id").asInt()).isEqualTo(20);
            assertThat(link.get("link").asText()).isEqualTo("parent0");
        } else {
            assertThatThrownBy(() -> nl.add(vlan)).isInstanceOf(KernelException.class)
                    .hasMessageMatching("RTM_NEWLINK vlan parent0.20: EOPNOTSUPP.*");
            assertThat(names(ns.ipJson("link", "show"))).doesNotContain("parent0.20");
        }
    }

    /**
     * Our requests for 802.1q and ipvlan links are checked against what iproute2 sends for the same command
     * (captured with strace, whether or not the kernel has the kind): every attribute of our
     * IFLA_INFO_DATA must be in iproute2's, with the same bytes.
     */
    @Test
    void vlanAndIpvlanRequestsCarryWhatIproute2Sends() {
        veth(nl, "parent0", "parent1", 1500);
        int parent = ns.link("parent0").get("ifindex").asInt();
        Link vlan = new Link.Vlan(LinkAttrs.of("parent0.20", 0), "parent0", 20);
        Link ipvlan = new Link.Ipvlan(LinkAttrs.of("ipv0", 0), "parent0", SubMode.L3);
        assertThat(infoData(RtMessages.newLink(vlan, name -> parent)))
                .isNotEmpty().isSubsetOf(iproute2InfoData("link", "parent0", "name", "parent0.20", "type", "vlan", "id", "20"));
        assertThat(infoData(RtMessages.newLink(ipvlan, name -> parent)))
                .isNotEmpty().isSubsetOf(iproute2InfoData("link", "parent0", "name", "ipv0", "type", "ipvlan", "mode", "l3"));
    }

    /** Our request's IFLA_LINKINFO / IFLA_INFO_DATA attributes, as type=hex. */
    private static List<String> infoData(NlRequest request) {
        NlReply message = NlReply.parseAll(ByteBuffer.wrap(request.pack(1, 0))).get(0);
        ByteBuffer linkInfo = message.attributes(IfInfoMsg.SIZE).get(Ifla.IFLA_LINKINFO);
        return hexAttributes(NlReply.attributes(linkInfo).get(Ifla.IFLA_INFO_DATA));
    }

    /** The IFLA_INFO_DATA attributes of the RTM_NEWLINK that {@code ip link add ARGS} sends, as type=hex. */
    private List<String> iproute2InfoData(String... args) {
        // strace inside the namespace, where it can tell the socket is rtnetlink and decode the request.
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name, "strace", "-f", "-e",
                "trace=sendmsg", "-xx", "-s", "1000", "ip", "link", "add"));
        command.addAll(List.of(args));
        String trace;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            trace = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher m = Pattern.compile("nla_type=IFLA_INFO_DATA}, \"((?:\\\\x[0-9a-f]{2})*)\"").matcher(trace);
        assertThat(m.find()).as("iproute2's request in %s", trace).isTrue();
        byte[] data = HexFormat.of().parseHex(m.group(1).replace("\\x", ""));
        return hexAttributes(ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()));
    }

    private static List<String> hexAttributes(ByteBuffer nest) {
        List<String> out = new ArrayList<>();
        NlReply.attributes(nest).forEach((type, value) -> {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            out.add(type + "=" + HexFormat.of().formatHex(bytes));
        });
        return out;
    }

    @Test
    void macvlanOnAParent() {
        veth(nl, "parent0", "parent1", 1500);
        nl.add(new Link.Macvlan(LinkAttrs.of("mv0", 1400).withMac(Optional.of(MacAddress.parse("02:42:0a:d2:32:02"))),
                "parent0", SubMode.BRIDGE));
        JsonNode link = ns.link("mv0");
        assertThat(link.get("mtu").asInt()).isEqualTo(1400);
        assertThat(link.get("address").asText()).isEqualTo("02:42:0a:d2:32:02");
        assertThat(link.get("ifalias").asText()).isEqualTo("javanet:test");
        assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("macvlan");
        assertThat(link.at("/linkinfo/info_data/mode").asText()).isEqualTo("bridge");
        assertThat(link.get("link").asText()).isEqualTo("parent0");
    }

    @Test
    void addressesIpv4AndIpv6() {
        bridge("br0", 1500);
        nl.add("br0", Cidr.parseInterfaceAddress("a", "10.123.0.1/24"));
        nl.add("br0", Cidr.parseInterfaceAddress("a", "fd00:2::1/64"));
        JsonNode addrs = ns.ipJson("addr", "show", "dev", "br0").get(0).get("addr_info");
        List<String> shown = StreamSupport.stream(addrs.spliterator(), false)
                .map(a -> a.get("local").asText() + "/" + a.get("prefixlen").asInt()).toList();
        assertThat(shown).contains("10.123.0.1/24", "fd00:2::1/64");
        assertThat(nl.addresses("br0")).extracting(Object::toString).contains("10.123.0.1/24", "fd00:2::1/64");
        ThrowawayNamespace.run("ip", "-n", ns.name, "address", "del", "10.123.0.1/24", "dev", "br0");
        assertThat(nl.addresses("br0")).extracting(Object::toString).doesNotContain("10.123.0.1/24");
    }

    @Test
    void hostRouteViaDeviceAndDefaultRouteViaGateway() {
        veth(nl, "v0", "v1", 1500);
        nl.setUp("v0");
        nl.setUp("v1");
        nl.add("v0", Cidr.parseInterfaceAddress("a", "169.254.1.1/32"));
        nl.addOnLinkRoute(Cidr.parseInterfaceAddress("r", "10.1.0.2/32"), "v0");
        nl.addOnLinkRoute(Cidr.parseInterfaceAddress("r", "169.254.1.254/32"), "v0");
        ThrowawayNamespace.run("ip", "-n", ns.name, "route", "add", "default", "via", "169.254.1.254");
        JsonNode routes = ns.ipJson("route", "show");
        assertThat(routes.toString()).contains("\"dst\":\"10.1.0.2\"", "\"dev\":\"v0\"", "\"scope\":\"link\"");
        assertThat(nl.destinations()).extracting(Object::toString).contains("10.1.0.2/32").doesNotContain("0.0.0.0/0");
        assertThat(nl.routesVia("v0")).extracting(Object::toString).contains("10.1.0.2/32", "169.254.1.254/32");
        assertThat(nl.routesVia("v1")).extracting(Object::toString).doesNotContain("10.1.0.2/32");
        ThrowawayNamespace.run("ip", "-n", ns.name, "route", "del", "10.1.0.2/32", "dev", "v0");
        assertThat(ns.ipJson("route", "show").toString()).doesNotContain("10.1.0.2");
        assertThat(nl.routesVia("v0")).extracting(Object::toString).doesNotContain("10.1.0.2/32");
    }

    /**
     * What a routed endpoint is made of, with two containers: proxy ARP (at once) on each host end, the
     * link-local gateway on both, a /32 route to each; the containers then reach each other across the host.
     */
    @Test
    void proxyArpAndOnLinkRoutesConnectTwoRoutedContainers() {
        try (ThrowawayNamespace a = new ThrowawayNamespace(); ThrowawayNamespace b = new ThrowawayNamespace()) {
            nl.setSysctl("net/ipv4/ip_forward", "1");
            for (ThrowawayNamespace c : List.of(a, b)) {
                String host = "r" + (c == a ? "a" : "b");
                String address = c == a ? "10.77.0.2" : "10.77.0.3";
                veth(nl, host, "eth0", 1500);
                ThrowawayNamespace.run("ip", "-n", ns.name, "link", "set", "eth0", "netns", c.name);
                nl.setUp(host);
                nl.setProxyArp(host);
                nl.add(host, Cidr.parseInterfaceAddress("g", "169.254.1.1/32"));
                nl.addOnLinkRoute(Cidr.parseInterfaceAddress("r", address + "/32"), host);
                assertThat(readProc(ns, "net/ipv4/conf/" + host + "/proxy_arp")).isEqualTo("1");
                assertThat(readProc(ns, "net/ipv4/neigh/" + host + "/proxy_delay")).isEqualTo("0");
                ThrowawayNamespace.run("ip", "-n", c.name, "addr", "add", address + "/24", "dev", "eth0");
                ThrowawayNamespace.run("ip", "-n", c.name, "link", "set", "eth0", "up");
                ThrowawayNamespace.run("ip", "-n", c.name, "route", "add", "169.254.1.1/32", "dev", "eth0", "scope", "link");
                ThrowawayNamespace.run("ip", "-n", c.name, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
            }
            assertThat(ns.ipJson("route", "show").toString()).contains("\"dst\":\"10.77.0.2\"", "\"dev\":\"ra\"");
            String ping = ThrowawayNamespace.run("ip", "netns", "exec", a.name, "busybox", "ping", "-c", "1", "-W", "2", "10.77.0.3");
            assertThat(ping).contains("1 packets received");
            assertThat(ThrowawayNamespace.run("ip", "netns", "exec", b.name, "busybox", "ping", "-c", "1", "-W", "2",
                    "169.254.1.1")).contains("1 packets received");
            nl.delete("ra");
            assertThat(ns.ipJson("route", "show").toString()).doesNotContain("10.77.0.2");
            assertThat(ThrowawayNamespace.run("ip", "netns", "exec", b.name, "busybox", "ping", "-c", "1", "-W", "2",
                    "169.254.1.1")).as("the gateway stays on the other veths").contains("1 packets received");
        }
    }

    private static String readProc(ThrowawayNamespace in, String key) {
        return ThrowawayNamespace.run("ip", "netns", "exec", in.name, "cat", "/proc/sys/" + key).trim();
    }

    @Test
    void kernelRefusalsNameTheOperationAndTheErrno() {
        bridge("br0", 1500);
        assertThatThrownBy(() -> bridge("br0", 1500))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isExists()).isTrue())
                .hasMessageStartingWith("RTM_NEWLINK bridge br0: EEXIST (File exists");
        assertThatThrownBy(() -> nl.delete("nosuch0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageStartingWith("RTM_DELLINK nosuch0: ENODEV (No such device");
        assertThatThrownBy(() -> bridge("a-name-far-too-long", 1500))
                .isInstanceOf(KernelException.class).hasMessageContaining("RTM_NEWLINK bridge a-name-far-too-long");
        assertThatThrownBy(() -> nl.setMaster("nosuch0", "br0")).hasMessageContaining("ENODEV");
        assertThat(names(ns.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "br0");
    }

    @Test
    void linksAreLookedUpByNameInTheSocketsNamespaceNotTheCallers() {
        bridge("br0", 1500);
        nl.add(new Link.Veth(LinkAttrs.of("v0", 1500).onBridge("br0"), "v0c", Optional.empty()));
        // The test's thread is in the host's namespace, where there is no br0 to find.
        assertThat(nl.master("v0")).contains("br0");
        assertThatThrownBy(() -> nl.setUp("nosuch0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageStartingWith("SIOCGIFINDEX nosuch0: ENODEV");
        assertThatThrownBy(() -> nl.setUp("a-name-far-too-long"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void dumpsSpanningManyDatagramsAreReadToTheEnd() {
        for (int i = 0; i < 150; i++) {
            veth(nl, "d" + i, "e" + i, 1500);
        }
        assertThat(names(ns.ipJson("link", "show"))).hasSize(301);
        assertThat(nl.owned()).as("one dump of the 301 links, their host ends ours").hasSize(150).contains("d0", "d149");
    }

    @Test
    void concurrentCallsFromManyThreadsAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    bridge("c" + n, 1500);
                    nl.setUp("c" + n);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(names(ns.ipJson("link", "show"))).hasSize(81);
    }

    @Test
    void sysctlsAreWrittenInTheHandlesNamespace() {
        nl.setSysctl("net/ipv4/ip_forward", "1");
        assertThat(nl.sysctl("net/ipv4/ip_forward")).isEqualTo("1");
        assertThat(ThrowawayNamespace.run("ip", "netns", "exec", ns.name, "cat", "/proc/sys/net/ipv4/ip_forward").trim())
                .isEqualTo("1");
        bridge("br.lab", 1500);
        assertThat(nl.sysctl("net/ipv4/conf/br.lab/route_localnet")).isEqualTo("0");
        nl.setRouteLocalnet("br.lab");
        assertThat(ThrowawayNamespace.run("ip", "netns", "exec", ns.name, "cat", "/proc/sys/net/ipv4/conf/br.lab/route_localnet").trim())
                .as("set over netlink").isEqualTo("1");
        assertThatThrownBy(() -> nl.setSysctl("net/ipv4/no_such_knob", "1"))
                .isInstanceOf(KernelException.class).hasMessageContaining("sysctl net/ipv4/no_such_knob=1");
        assertThatThrownBy(() -> nl.setSysctl("net/../../etc/passwd", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVxlanDeviceIsMadeWithItsIdPortAndLearningAndFloodsToThePeersItIsGiven() {
        nl.add(new Link.Vxlan(LinkAttrs.of("jnx0", 1450), 4242, 4800, Optional.empty()));
        JsonNode vxlan = ns.link("jnx0");
        assertThat(vxlan.at("/linkinfo/info_kind").asText()).isEqualTo("vxlan");
        assertThat(vxlan.at("/linkinfo/info_data/id").asInt()).isEqualTo(4242);
        assertThat(vxlan.at("/linkinfo/info_data/port").asInt()).isEqualTo(4800);
        assertThat(vxlan.at("/linkinfo/info_data/learning").asBoolean()).isTrue();
        assertThat(vxlan.get("mtu").asInt()).isEqualTo(1450);
        assertThat(vxlan.get("ifalias").asText()).isEqualTo("javanet:test");
        IPAddress peer1 = Cidr.parseHost("peer", "192.0.2.11");
        IPAddress peer2 = Cidr.parseHost("peer", "192.0.2.12");
        nl.appendFlood("jnx0", peer1);
        nl.appendFlood("jnx0", peer2);
        nl.appendFlood("jnx0", peer1);
        assertThat(floodPeers("jnx0")).containsExactlyInAnyOrder("192.0.2.11", "192.0.2.12");
        assertThat(nl.floodDestinations("jnx0")).as("read back over netlink").containsExactlyInAnyOrder(peer1, peer2);
        nl.removeFlood("jnx0", peer1);
        nl.removeFlood("jnx0", peer1);
        assertThat(floodPeers("jnx0")).containsExactly("192.0.2.12");
        assertThat(nl.floodDestinations("jnx0")).containsExactly(peer2);
        nl.add(new Link.Vxlan(LinkAttrs.of("jnx1", 1450), 4243, 4800, Optional.empty()));
        assertThat(nl.floodDestinations("jnx1")).as("another device's entries are not this one's").isEmpty();
    }

    /**
     * The overlay's data plane between two nodes joined by an underlay link: on each, a VXLAN device flooding to
     * the other and macvlans of it (bridge mode) as containers. Full-size frames cross, and two containers of one
     * node reach each other through the VXLAN device's macvlans.
     */
    @Test
    void macvlansOfVxlanDevicesCarryContainersAcrossNodesAndWithinOne() {
        try (ThrowawayNamespace node2 = new ThrowawayNamespace(); RtNetlink nl2 = RtNetlink.openIn(node2.path, "javanet:test");
             ThrowawayNamespace a = new ThrowawayNamespace(); ThrowawayNamespace b = new ThrowawayNamespace();
             ThrowawayNamespace c = new ThrowawayNamespace()) {
            veth(nl, "under", "under2", 1500);
            ThrowawayNamespace.run("ip", "-n", ns.name, "link", "set", "under2", "netns", node2.name, "name", "under");
            nl.add("under", Cidr.parseInterfaceAddress("u", "192.0.2.1/24"));
            nl.setUp("under");
            nl2.add("under", Cidr.parseInterfaceAddress("u", "192.0.2.2/24"));
            nl2.setUp("under");
            Map<RtNetlink, String> peerOf = Map.of(nl, "192.0.2.2", nl2, "192.0.2.1");
            for (RtNetlink node : List.of(nl, nl2)) {
                node.add(new Link.Vxlan(LinkAttrs.of("jnx0", 1450), 4242, 4800, Optional.empty()));
                node.setUp("jnx0");
                node.appendFlood("jnx0", Cidr.parseHost("peer", peerOf.get(node)));
            }
            container(nl, ns, "jnma", a, "10.92.0.2/24");
            container(nl, ns, "jnmc", c, "10.92.0.4/24");
            container(nl2, node2, "jnmb", b, "10.92.0.3/24");
            assertThat(ThrowawayNamespace.run("ip", "netns", "exec", a.name, "busybox", "ping", "-c", "1", "-W", "2",
                    "-s", "1422", "10.92.0.3")).as("across the nodes, a full 1450-byte packet").contains("1 packets received");
            assertThat(ThrowawayNamespace.run("ip", "netns", "exec", c.name, "busybox", "ping", "-c", "1", "-W", "2",
                    "10.92.0.2")).as("within one node").contains("1 packets received");
            assertThat(ThrowawayNamespace.run("ip", "netns", "exec", b.name, "busybox", "ping", "-c", "1", "-W", "2",
                    "10.92.0.4")).contains("1 packets received");
        }
    }

    /** A macvlan of the node's VXLAN device, moved into the container's namespace as eth0 with its address. */
    private static void container(RtNetlink node, ThrowawayNamespace nodeNs, String link, ThrowawayNamespace in, String address) {
        node.add(new Link.Macvlan(LinkAttrs.of(link, 1450), "jnx0", SubMode.BRIDGE));
        ThrowawayNamespace.run("ip", "-n", nodeNs.name, "link", "set", link, "netns", in.name, "name", "eth0");
        ThrowawayNamespace.run("ip", "-n", in.name, "addr", "add", address, "dev", "eth0");
        ThrowawayNamespace.run("ip", "-n", in.name, "link", "set", "eth0", "up");
    }

    @Test
    void theUplinkMtuNextHopsAndHostAddressesAreReadFromTheKernel() {
        assertThat(nl.uplinkMtu()).as("no default route").isEmpty();
        veth(nl, "up0", "up1", 1400);
        veth(nl, "other0", "other1", 9000);
        for (String link : List.of("up0", "up1", "other0", "other1")) {
            nl.setUp(link);
        }
        nl.add("up0", Cidr.parseInterfaceAddress("u", "192.0.2.1/24"));
        nl.add("other0", Cidr.parseInterfaceAddress("o", "198.51.100.1/24"));
        ThrowawayNamespace.run("ip", "-n", ns.name, "route", "add", "default", "via", "192.0.2.254");
        assertThat(nl.uplinkMtu()).hasValue(1400);
        assertThat(nl.nextHops()).containsExactly(new LinkAddress("up0", Cidr.parseHost("g", "192.0.2.254")));
        assertThat(nl.hostAddresses()).contains(new LinkAddress("up0", Cidr.parseHost("a", "192.0.2.1")),
                new LinkAddress("other0", Cidr.parseHost("a", "198.51.100.1")));
    }

    /** The remotes the all-zero MAC floods to, from {@code bridge -j fdb show}. */
    private List<String> floodPeers(String link) {
        JsonNode fdb = ns.json("bridge", "-j", "fdb", "show", "dev", link);
        return StreamSupport.stream(fdb.spliterator(), false)
                .filter(e -> e.path("mac").asText().equals("00:00:00:00:00:00")).map(e -> e.path("dst").asText()).toList();
    }
}
