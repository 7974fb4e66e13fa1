package io.javanet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddress;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.LinkAddress;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.Route;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private static List<String> names(JsonNode links) {
        return StreamSupport.stream(links.spliterator(), false).map(l -> l.get("ifname").asText()).toList();
    }

    @Test
    void bridgeIsCreatedUpWithItsMtuAndDeleted() {
        nl.addBridge("br0", 1400);
        nl.setUp("br0");
        JsonNode link = ns.link("br0");
        assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("bridge");
        assertThat(link.get("mtu").asInt()).isEqualTo(1400);
        assertThat(link.get("flags").toString()).contains("\"UP\"");
        LinkInfo info = nl.get("br0").orElseThrow();
        assertThat(info.kind()).isEqualTo("bridge");
        assertThat(info.up()).isTrue();
        assertThat(info.index()).isEqualTo(link.get("ifindex").asInt());
        nl.delete("br0");
        assertThat(names(ns.ipJson("link", "show"))).containsExactly("lo");
        assertThat(nl.get("br0")).isEmpty();
    }

    @Test
    void linksWeMakeAreMarkedOursAndFoundAgain() {
        nl.addBridge("br0", 1500);
        nl.addVeth("jnv1", "jnc1", 1500, Optional.empty());
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
    void vethPairOnABridgeWithMtuAndPeerMac() {
        nl.addBridge("br0", 1500);
        nl.addVeth("jnv1", "jnc1", 1450, Optional.of(MacAddress.parse("02:42:0a:7b:00:32")));
        nl.setMaster("jnv1", "br0");
        nl.setUp("jnv1");
        JsonNode host = ns.link("jnv1");
        assertThat(host.at("/linkinfo/info_kind").asText()).isEqualTo("veth");
        assertThat(host.get("master").asText()).isEqualTo("br0");
        assertThat(host.get("mtu").asInt()).isEqualTo(1450);
        assertThat(host.get("link").asText()).isEqualTo("jnc1");
        assertThat(ns.link("jnc1").get("address").asText()).isEqualTo("02:42:0a:7b:00:32");
        assertThat(nl.get("jnv1").orElseThrow().masterIndex()).isEqualTo(nl.get("br0").orElseThrow().index());
        nl.setNoMaster("jnv1");
        assertThat(ns.link("jnv1").has("master")).isFalse();
        nl.delete("jnv1");
        assertThat(names(ns.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "br0");
    }

    @Test
    void vethPeerBornInAnotherNamespaceAndLinksMovedBetweenNamespaces() {
        try (ThrowawayNamespace other = new ThrowawayNamespace()) {
            nl.addVethWithPeerIn("jnv1", "jnc1", 1500, Optional.empty(), other.path);
            assertThat(names(ns.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "jnv1");
            assertThat(names(other.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "jnc1");
            nl.addVeth("m0", "m1", 1500, Optional.empty());
            nl.moveToNamespace("m1", other.path);
            assertThat(names(other.ipJson("link", "show"))).contains("m1");
            assertThat(nl.exists("m1")).isFalse();
            // Bridges are bound to their namespace; the kernel says so and we pass its words on.
            nl.addBridge("br9", 1500);
            assertThatThrownBy(() -> nl.moveToNamespace("br9", other.path))
                    .hasMessageContaining("RTM_NEWLINK br9 netns fd").hasMessageContaining("EINVAL");
        }
    }

    @Test
    void linkMovedIntoTheNamespaceOfAProcess() throws Exception {
        try (ThrowawayNamespace other = new ThrowawayNamespace()) {
            // nsenter enters the namespace, then becomes sleep: one process, whose namespace is awaited.
            Process sleeper = new ProcessBuilder("nsenter", "--net=" + other.path, "sleep", "30").start();
            try {
                String namespace = "net:[" + Files.getAttribute(other.path, "unix:ino") + "]";
                Path processNamespace = Path.of("/proc", Long.toString(sleeper.pid()), "ns/net");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readSymbolicLink(processNamespace).toString().equals(namespace));
                nl.addVeth("p0", "p1", 1500, Optional.empty());
                nl.moveToNamespace("p1", (int) sleeper.pid());
                assertThat(names(other.ipJson("link", "show"))).contains("p1");
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Link kinds not every kernel has: this VM's lacks ipvlan, 802.1q and dummy; Debian's, booted by
     * test-integration/guest.sh, has all three. What to expect is read from the kernel's modules first
     * ({@link KernelModules}); then our request must make the link as asked where the kernel has the kind, and
     * fail naming the kind and the kernel's EOPNOTSUPP where it has not.
     */
    @Test
    void ipvlanLinksAreMadeAsAskedWhereTheKernelHasThemAndRefusedByNameWhereNot() {
        nl.addVeth("parent0", "parent1", 1500, Optional.empty());
        for (SubMode mode : List.of(SubMode.L2, SubMode.L3)) {
            String name = "ipv" + mode.wireName();
            if (KernelModules.hasLinkKind("ipvlan", "ipvlan")) {
                nl.addIpvlan(name, "parent0", 1400, mode);
                JsonNode link = ns.link(name);
                assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("ipvlan");
                assertThat(link.at("/linkinfo/info_data/mode").asText()).isEqualTo(mode.wireName());
                assertThat(link.get("link").asText()).isEqualTo("parent0");
                assertThat(link.get("mtu").asInt()).isEqualTo(1400);
            } else {
                assertThatThrownBy(() -> nl.addIpvlan(name, "parent0", 1400, mode)).isInstanceOf(KernelException.class)
                        .hasMessageMatching("RTM_NEWLINK ipvlan " + name + ": EOPNOTSUPP.*");
                assertThat(names(ns.ipJson("link", "show"))).doesNotContain(name);
            }
        }
    }

    @Test
    void vlanAndDummyLinksAreMadeAsAskedWhereTheKernelHasThemAndRefusedByNameWhereNot() {
        nl.addVeth("parent0", "parent1", 1500, Optional.empty());
        if (KernelModules.hasLinkKind("vlan", "8021q")) {
            nl.addVlan("parent0.20", "parent0", 20);
            JsonNode link = ns.link("parent0.20");
            assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("vlan");
            assertThat(link.at("/linkinfo/info_data/protocol").asText()).isEqualTo("802.1Q");
            assertThat(link.at("/linkinfo/info_data/id").asInt()).isEqualTo(20);
            assertThat(link.get("link").asText()).isEqualTo("parent0");
        } else {
            assertThatThrownBy(() -> nl.addVlan("parent0.20", "parent0", 20)).isInstanceOf(KernelException.class)
                    .hasMessageMatching("RTM_NEWLINK vlan parent0.20: EOPNOTSUPP.*");
            assertThat(names(ns.ipJson("link", "show"))).doesNotContain("parent0.20");
        }
        if (KernelModules.hasLinkKind("dummy", "dummy")) {
            nl.addDummy("dum0", 1280);
            assertThat(ns.link("dum0").at("/linkinfo/info_kind").asText()).isEqualTo("dummy");
            assertThat(ns.link("dum0").get("mtu").asInt()).isEqualTo(1280);
        } else {
            assertThatThrownBy(() -> nl.addDummy("dum0", 1280)).isInstanceOf(KernelException.class)
                    .hasMessageMatching("RTM_NEWLINK dummy dum0: EOPNOTSUPP.*");
            assertThat(names(ns.ipJson("link", "show"))).doesNotContain("dum0");
        }
    }

    /**
     * Our requests for 802.1q and ipvlan links are checked against what iproute2 sends for the same command
     * (captured with strace, whether or not the kernel has the kind): every attribute of our
     * IFLA_INFO_DATA must be in iproute2's, with the same bytes.
     */
    @Test
    void vlanAndIpvlanRequestsCarryWhatIproute2Sends() {
        nl.addVeth("parent0", "parent1", 1500, Optional.empty());
        int parent = nl.get("parent0").orElseThrow().index();
        assertThat(infoData(RtMessages.newVlan("parent0.20", parent, 20)))
                .isNotEmpty().isSubsetOf(iproute2InfoData("link", "parent0", "name", "parent0.20", "type", "vlan", "id", "20"));
        assertThat(infoData(RtMessages.newIpvlan("ipv0", parent, Ifla.IPVLAN_MODE_L3)))
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
    void renameMacMtuAndDown() {
        nl.addVeth("a0", "a1", 1500, Optional.empty());
        nl.rename("a1", "eth7");
        nl.setMac("eth7", MacAddress.parse("02:00:00:00:00:07"));
        nl.setMtu("eth7", 1280);
        nl.setUp("eth7");
        nl.setDown("eth7");
        JsonNode link = ns.link("eth7");
        assertThat(link.get("address").asText()).isEqualTo("02:00:00:00:00:07");
        assertThat(link.get("mtu").asInt()).isEqualTo(1280);
        assertThat(link.get("flags").toString()).doesNotContain("\"UP\"");
        assertThat(nl.exists("a1")).isFalse();
    }

    @Test
    void macvlanOnAParent() {
        nl.addVeth("parent0", "parent1", 1500, Optional.empty());
        nl.addMacvlan("mv0", "parent0", 1400, SubMode.BRIDGE, Optional.of(MacAddress.parse("02:42:0a:d2:32:02")));
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
        nl.addBridge("br0", 1500);
        nl.add("br0", Cidr.parseInterfaceAddress("a", "10.123.0.1/24"));
        nl.add("br0", Cidr.parseInterfaceAddress("a", "fd00:2::1/64"));
        JsonNode addrs = ns.ipJson("addr", "show", "dev", "br0").get(0).get("addr_info");
        List<String> shown = StreamSupport.stream(addrs.spliterator(), false)
                .map(a -> a.get("local").asText() + "/" + a.get("prefixlen").asInt()).toList();
        assertThat(shown).contains("10.123.0.1/24", "fd00:2::1/64");
        assertThat(nl.addresses("br0")).extracting(Object::toString).contains("10.123.0.1/24", "fd00:2::1/64");
        nl.deleteAddress("br0", Cidr.parseInterfaceAddress("a", "10.123.0.1/24"));
        assertThat(nl.addresses("br0")).extracting(Object::toString).doesNotContain("10.123.0.1/24");
    }

    @Test
    void hostRouteViaDeviceAndDefaultRouteViaGateway() {
        nl.addVeth("v0", "v1", 1500, Optional.empty());
        nl.setUp("v0");
        nl.setUp("v1");
        nl.add("v0", Cidr.parseInterfaceAddress("a", "169.254.1.1/32"));
        int v0 = nl.get("v0").orElseThrow().index();
        nl.addRoute(Route.onLink(Cidr.parseInterfaceAddress("r", "10.1.0.2/32"), v0));
        nl.addRoute(Route.onLink(Cidr.parseInterfaceAddress("r", "169.254.1.254/32"), v0));
        nl.addRoute(Route.via(Cidr.parseNetwork("d", "0.0.0.0/0"), Cidr.parseHost("g", "169.254.1.254")));
        JsonNode routes = ns.ipJson("route", "show");
        assertThat(routes.toString()).contains("\"dst\":\"10.1.0.2\"", "\"dst\":\"default\"", "\"gateway\":\"169.254.1.254\"");
        assertThat(nl.routes()).anySatisfy(r -> {
            assertThat(r.destination()).hasToString("10.1.0.2/32");
            assertThat(r.linkIndex()).isEqualTo(v0);
        });
        assertThat(nl.destinations()).extracting(Object::toString).contains("10.1.0.2/32").doesNotContain("0.0.0.0/0");
        assertThat(nl.routesVia("v0")).extracting(Object::toString).contains("10.1.0.2/32", "169.254.1.254/32");
        assertThat(nl.routesVia("v1")).extracting(Object::toString).doesNotContain("10.1.0.2/32");
        nl.deleteRoute(Route.onLink(Cidr.parseInterfaceAddress("r", "10.1.0.2/32"), v0));
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
                nl.addVethWithPeerIn(host, "eth0", 1500, Optional.empty(), c.path);
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
        nl.addBridge("br0", 1500);
        assertThatThrownBy(() -> nl.addBridge("br0", 1500))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isExists()).isTrue())
                .hasMessageStartingWith("RTM_NEWLINK bridge br0: EEXIST (File exists");
        assertThatThrownBy(() -> nl.delete("nosuch0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageStartingWith("RTM_DELLINK nosuch0: ENODEV (No such device");
        assertThatThrownBy(() -> nl.addBridge("a-name-far-too-long", 1500))
                .isInstanceOf(KernelException.class).hasMessageContaining("RTM_NEWLINK bridge a-name-far-too-long");
        assertThatThrownBy(() -> nl.setMaster("nosuch0", "br0")).hasMessageContaining("ENODEV");
        assertThat(names(ns.ipJson("link", "show"))).containsExactlyInAnyOrder("lo", "br0");
    }

    @Test
    void linksAreLookedUpByNameInTheSocketsNamespaceNotTheCallers() {
        nl.addBridge("br0", 1500);
        nl.addVethOnBridge("v0", "v0c", 1500, Optional.empty(), "br0");
        // The test's thread is in the host's namespace, where there is no br0 to find.
        assertThat(nl.get("v0").orElseThrow().masterIndex()).isEqualTo(ns.link("br0").get("ifindex").asInt());
        assertThatThrownBy(() -> nl.setUp("nosuch0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageStartingWith("SIOCGIFINDEX nosuch0: ENODEV");
        assertThatThrownBy(() -> nl.setUp("a-name-far-too-long"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void dumpsSpanningManyDatagramsAreReadToTheEnd() {
        for (int i = 0; i < 150; i++) {
            nl.addVeth("d" + i, "e" + i, 1500, Optional.empty());
        }
        List<LinkInfo> links = nl.links();
        assertThat(links).hasSize(301);
        assertThat(links).extracting(LinkInfo::name).contains("d0", "e149");
    }

    @Test
    void concurrentCallsFromManyThreadsAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    nl.addBridge("c" + n, 1500);
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
        nl.addBridge("br.lab", 1500);
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
        nl.addVxlan("jnx0", 4242, 4800, 1450);
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
        nl.addVxlan("jnx1", 4243, 4800, 1450);
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
            nl.addVethWithPeerIn("under", "under", 1500, Optional.empty(), node2.path);
            nl.add("under", Cidr.parseInterfaceAddress("u", "192.0.2.1/24"));
            nl.setUp("under");
            nl2.add("under", Cidr.parseInterfaceAddress("u", "192.0.2.2/24"));
            nl2.setUp("under");
            Map<RtNetlink, String> peerOf = Map.of(nl, "192.0.2.2", nl2, "192.0.2.1");
            for (RtNetlink node : List.of(nl, nl2)) {
                node.addVxlan("jnx0", 4242, 4800, 1450);
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
        node.addMacvlan(link, "jnx0", 1450, SubMode.BRIDGE, Optional.empty());
        ThrowawayNamespace.run("ip", "-n", nodeNs.name, "link", "set", link, "netns", in.name, "name", "eth0");
        ThrowawayNamespace.run("ip", "-n", in.name, "addr", "add", address, "dev", "eth0");
        ThrowawayNamespace.run("ip", "-n", in.name, "link", "set", "eth0", "up");
    }

    @Test
    void theUplinkMtuNextHopsAndHostAddressesAreReadFromTheKernel() {
        assertThat(nl.uplinkMtu()).as("no default route").isEmpty();
        nl.addVeth("up0", "up1", 1400, Optional.empty());
        nl.addVeth("other0", "other1", 9000, Optional.empty());
        for (String link : List.of("up0", "up1", "other0", "other1")) {
            nl.setUp(link);
        }
        nl.add("up0", Cidr.parseInterfaceAddress("u", "192.0.2.1/24"));
        nl.add("other0", Cidr.parseInterfaceAddress("o", "198.51.100.1/24"));
        nl.addRoute(Route.via(Cidr.parseNetwork("d", "0.0.0.0/0"), Cidr.parseHost("g", "192.0.2.254")));
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
