package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sweep of firewall configurations whose nft scripts are kept as golden files, in
 * {@code src/test/resources/io/javanet/firewall/golden/NAME.nft}. {@code -Dgolden.update=true} writes them anew
 * from what the code renders, for a change meant to alter them (then read the diff).
 */
final class NftGolden {

    private NftGolden() {
    }

    static final Path DIR = Path.of("src/test/resources/io/javanet/firewall/golden");

    private static List<IPAddress> pools(String... cidrs) {
        return Arrays.stream(cidrs).map(c -> Cidr.parseNetwork("test", c)).toList();
    }

    private static final FirewallNetwork BRIDGE = new FirewallNetwork("jn-a", false, pools("10.150.0.0/24"));
    private static final FirewallNetwork DUAL = new FirewallNetwork("jn-d", false, pools("10.152.0.0/24", "fd00:15::/64"));
    private static final FirewallNetwork INTERNAL = new FirewallNetwork("jn-i", true, pools("10.151.0.0/24"));
    private static final FirewallNetwork ROUTED = new FirewallNetwork("", false, pools("10.160.0.0/24"));
    private static final List<RoutedLink> ROUTED_LINKS = List.of(new RoutedLink("jnv1", false, pools("10.160.0.0/24")),
            new RoutedLink("jnv2", false, pools("10.160.0.0/24")));
    private static final RoutedLink ROUTED_INTERNAL = new RoutedLink("jnv3", true, pools("10.161.0.0/24"));
    private static final List<PortBinding> PORTS = List.of(PortBinding.parse("tcp", "", 18080, "10.150.0.2", 80),
            PortBinding.parse("udp", "127.0.0.1", 5353, "10.150.0.2", 53),
            PortBinding.parse("tcp", "", 18443, "fd00:15::2", 443),
            PortBinding.parse("tcp", "::1", 18444, "fd00:15::2", 443));

    /** Docker's bridge options: no ICC, IPv4 masqueraded from a given address with a trusted link, IPv6 routed. */
    private static final FirewallNetwork OPTIONS = new FirewallNetwork("jn-o", false, pools("10.153.0.0/24", "fd00:17::/64"),
            new FirewallNetwork.Policy(true, false,
                    new FirewallNetwork.Family(GatewayMode.NAT, true, Optional.of(Cidr.parseHost("snat", "192.0.2.10"))),
                    new FirewallNetwork.Family(GatewayMode.ROUTED, false, Optional.empty()), List.of("eth9")));
    private static final FirewallNetwork UNPROTECTED = new FirewallNetwork("jn-u", false, pools("10.154.0.0/24"),
            new FirewallNetwork.Policy(true, true, new FirewallNetwork.Family(GatewayMode.NAT_UNPROTECTED, true, Optional.empty()),
                    FirewallNetwork.Family.NAT, List.of()));
    private static final FirewallNetwork UNMASQUERADED = new FirewallNetwork("jn-m", false, pools("10.155.0.0/24"),
            new FirewallNetwork.Policy(true, true, new FirewallNetwork.Family(GatewayMode.NAT, false, Optional.empty()),
                    FirewallNetwork.Family.NAT, List.of()));
    /** A routed gateway's published port: the container's own port, no host port. */
    private static final List<PortBinding> DIRECT_PORTS = List.of(PortBinding.parse("tcp", "", 0, "fd00:17::2", 80));

    private static final String OVERLAY = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    /** A service's VIP and its tasks' addresses. */
    private static VirtualIp vip(String address, String... tasks) {
        return new VirtualIp(Cidr.parseHost("vip", address), Arrays.stream(tasks).map(t -> Cidr.parseHost("task", t)).toList());
    }

    /** Each configuration's script, by its golden file's name: our table's, then an overlay's VIP table's. */
    static Map<String, String> scripts() {
        NftScript script = new NftScript("javanet");
        Map<String, String> scripts = new TreeMap<>();
        scripts.put("empty", script.recreate(List.of(), List.of(), List.of()));
        scripts.put("bridge", script.recreate(List.of(BRIDGE), List.of(), List.of()));
        scripts.put("bridge-dual-stack", script.recreate(List.of(DUAL), List.of(), List.of()));
        scripts.put("bridge-internal", script.recreate(List.of(INTERNAL), List.of(), List.of()));
        scripts.put("routed", script.recreate(List.of(ROUTED), ROUTED_LINKS, List.of()));
        scripts.put("routed-internal", script.recreate(List.of(), List.of(ROUTED_INTERNAL), List.of()));
        scripts.put("published-ports", script.recreate(List.of(BRIDGE, DUAL), List.of(), PORTS));
        scripts.put("everything", script.recreate(List.of(BRIDGE, DUAL, INTERNAL, ROUTED), List.of(ROUTED_LINKS.get(0),
                ROUTED_LINKS.get(1), ROUTED_INTERNAL), PORTS));
        scripts.put("bridge-options", script.recreate(List.of(OPTIONS, UNPROTECTED, UNMASQUERADED), List.of(), DIRECT_PORTS));
        scripts.put("attached", script.recreate(List.of(FirewallNetwork.attached("br-lan")), List.of(), List.of()));
        scripts.put("remove-bridge-options", script.removeNetwork(OPTIONS));
        scripts.put("remove-network", script.removeNetwork(DUAL));
        scripts.put("remove-routed-link", script.removeRoutedLink(ROUTED_INTERNAL));
        scripts.put("unpublish", script.unpublish(PORTS));
        scripts.put("instance-named", new NftScript("javanet-overlay").recreate(List.of(BRIDGE), List.of(), PORTS.subList(0, 1)));
        scripts.put("vip-none", VipScript.replace(OVERLAY, List.of()));
        scripts.put("vip-one-service", VipScript.replace(OVERLAY, List.of(vip("10.92.0.2", "10.92.0.4", "10.92.0.3", "10.92.0.5"))));
        scripts.put("vip-two-services-one-without-tasks", VipScript.replace(OVERLAY, List.of(vip("10.92.0.9", "10.92.0.10"),
                vip("10.92.0.2", "10.92.0.3", "10.92.0.4"), vip("10.92.0.7"))));
        scripts.put("vip-ipv6-left-out", VipScript.replace(OVERLAY, List.of(vip("fd00:92::2", "fd00:92::3"),
                vip("10.92.0.2", "10.92.0.3"))));
        // A service scaled up, one unchanged, one gone and one new: only three of the four are touched.
        scripts.put("vip-change", VipScript.change(OVERLAY, VIPS_BEFORE_CHANGE,
                List.of(vip("10.92.0.9", "10.92.0.11", "10.92.0.10"), vip("10.92.0.2", "10.92.0.4", "10.92.0.3"),
                        vip("10.92.0.20", "10.92.0.21"))));
        return scripts;
    }

    private static final List<VirtualIp> VIPS_BEFORE_CHANGE = List.of(vip("10.92.0.2", "10.92.0.3", "10.92.0.4"),
            vip("10.92.0.9", "10.92.0.10"), vip("10.92.0.12", "10.92.0.13"));

    /** What a script that changes a table starts from, by the script's name: the table made whole. */
    static Optional<String> startingPoint(String name) {
        return name.equals("vip-change") ? Optional.of(VipScript.replace(OVERLAY, VIPS_BEFORE_CHANGE)) : Optional.empty();
    }

    static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name + ".nft"));
        } catch (IOException e) {
            throw new UncheckedIOException("no golden file for " + name + ": render it with -Dgolden.update=true", e);
        }
    }

    static void write(String name, String script) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name + ".nft"), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
