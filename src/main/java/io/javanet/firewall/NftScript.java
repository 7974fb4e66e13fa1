package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.PortBinding;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The nft commands of each change, as text in nft's own language, so each can be checked against its
 * expected text. Everything of one javanet instance lives in its tables, {@code inet NAME} and {@code bridge NAME}
 * (the instance's name, {@code javanet} unless the plugin is installed under another), whose sets and maps carry the
 * per-network and per-port facts: adding the thousandth port is one element, like the first. Removals first
 * add what they remove (a no-op when present) so that they succeed when it is already gone.
 *
 * <p>Bridge names are checked before they get here (letters, digits, '_', '.', '-'); addresses are parsed.
 */
final class NftScript {

    /**
     * Docker's chains for user rules, in its iptables-nft tables; FORWARD jumps there before anything drops. The
     * IPv6 one exists where Docker runs ip6tables (the default since Docker 27).
     */
    static final List<String> DOCKER_USER = List.of("ip filter DOCKER-USER", "ip6 filter DOCKER-USER");
    /** Docker's own table under its nftables firewall backend (Docker 28.2+), which has no DOCKER-USER chain. */
    static final String DOCKER_NFTABLES = "docker-bridges";
    /** The packet mark our forward chain sets on traffic it allows, and the one rule in DOCKER-USER accepts. */
    static final int MARK = 0x00200000;

    private static final NftTemplate TABLE = NftTemplate.load("table.nft");

    private final String instance;
    private final String table;
    private final String bridgeTable;

    /** @param instance letters, digits, '_' and '-': it names our table and marks our rule in DOCKER-USER */
    NftScript(String instance) {
        if (!instance.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("not an instance name: " + instance);
        }
        this.instance = instance;
        this.table = "inet " + instance;
        this.bridgeTable = "bridge " + instance;
    }

    String instance() {
        return instance;
    }

    /**
     * Our tables, empty of elements, from their template ({@code table.nft}): the inet one with every decision, and
     * a bridge one that marks the frames of our veths, so that bridged frames the host's firewall sees
     * (br_netfilter) pass Docker's forward policy too. Isolation drops come before the marks.
     */
    String createTable() {
        return TABLE.render(Map.of("table", table, "bridgetable", bridgeTable,
                "mark", String.format(Locale.ROOT, "meta mark set meta mark | 0x%08x", MARK)));
    }

    /** Drops our tables whether or not they exist. */
    String deleteTable() {
        return "table " + table + "\ndelete table " + table + "\ntable " + bridgeTable + "\ndelete table " + bridgeTable + "\n";
    }

    /** Our table rebuilt from scratch with exactly these networks and ports, as one transaction. */
    String recreate(List<FirewallNetwork> networks, List<RoutedLink> routedLinks, List<PortBinding> bindings) {
        StringBuilder script = new StringBuilder(deleteTable()).append(createTable());
        networks.forEach(n -> script.append(addNetwork(n)));
        routedLinks.forEach(l -> script.append(addRoutedLink(l)));
        script.append(publish(bindings));
        return script.toString();
    }

    String addNetwork(FirewallNetwork network) {
        return networkElements("add", network);
    }

    String removeNetwork(FirewallNetwork network) {
        return networkElements("add", network) + networkElements("delete", network);
    }

    String addRoutedLink(RoutedLink link) {
        return routedElements("add", link);
    }

    String removeRoutedLink(RoutedLink link) {
        return routedElements("add", link) + routedElements("delete", link);
    }

    String publish(List<PortBinding> bindings) {
        return portElements("add", bindings, true);
    }

    String unpublish(List<PortBinding> bindings) {
        return publish(bindings) + portElements("delete", bindings, false);
    }

    /** The inet tables by name only, not their contents: cheap however many elements ours holds. */
    String listTables() {
        return "list tables inet";
    }

    /** The sets whose elements mean a network or an endpoint still needs our table. */
    List<String> listInUse() {
        return List.of("bridges", "attached", "subnets4", "subnets6").stream().map(set -> "list set " + table + " " + set).toList();
    }

    String listChain(String chain) {
        return "list chain " + chain;
    }

    /** The ip tables by name only: Docker's nftables backend shows as its table. */
    String listIpTables() {
        return "list tables ip";
    }

    /** Docker's nftables table with its rules, where dockerd's {@code --bridge-accept-fwmark} rule would be. */
    String listDockerNftables() {
        return "list table ip " + DOCKER_NFTABLES;
    }

    /**
     * In the shape iptables-nft writes {@code -m mark --mark 0x200000/0x200000 -m comment --comment NAME -j
     * ACCEPT}, so Docker's iptables can still read the chain; the comment tells our rule from another instance's.
     */
    String acceptMarked(String chain) {
        return String.format(Locale.ROOT, "insert rule %s meta mark & 0x%08x == 0x%08x counter accept comment \"%s\"",
                chain, MARK, MARK, instance);
    }

    String deleteRule(String chain, long handle) {
        return "delete rule " + chain + " handle " + handle + "\n";
    }

    /**
     * A network's elements: its bridge and its isolation; for each subnet with a way out, its masquerade (or source
     * address) and who may reach its containers directly. A routed network has no bridge: its endpoints' links
     * come as {@link RoutedLink}s.
     */
    private String networkElements(String verb, FirewallNetwork n) {
        StringBuilder script = new StringBuilder();
        String b = quote(n.bridge());
        if (!n.policy().routedByHost()) {
            return element(verb, "attached", b);
        }
        if (!n.bridge().isEmpty()) {
            script.append(element(verb, "bridges", b)).append(element(verb, "same", b + " . " + b));
            if (n.internal()) {
                script.append(element(verb, "internal", b));
            }
            if (!n.policy().icc()) {
                script.append(element(verb, "noicc", b));
            }
        }
        if (n.internal()) {
            return script.toString();
        }
        for (IPAddress subnet : n.subnets()) {
            String family = subnet.isIPv6() ? "6" : "4";
            String cidr = subnet.toCanonicalString();
            FirewallNetwork.Family policy = n.family(subnet);
            script.append(element(verb, "subnets" + family, cidr));
            if (policy.masquerade()) {
                script.append(element(verb, "masq" + family, cidr));
                policy.snat().ifPresent(to -> script.append(element(verb, "snat" + family,
                        cidr + (verb.equals("add") ? " : " + Cidr.hostText(to) : ""))));
            }
            if (policy.mode().protectsUnpublished()) {
                script.append(element(verb, "protected" + family, cidr));
                if (!n.bridge().isEmpty()) {
                    script.append(element(verb, "direct" + family, b + " . " + cidr));
                }
                n.policy().trustedInterfaces().forEach(link -> script.append(element(verb, "direct" + family,
                        quote(link) + " . " + cidr)));
            }
        }
        if (!n.bridge().isEmpty()) {
            script.append(gatewayElement(verb, "4", n.policy().ipv4().mode(), b))
                    .append(gatewayElement(verb, "6", n.policy().ipv6().mode(), b));
        }
        return script.toString();
    }

    /** Who may reach a bridge's containers from outside, beyond published ports: all, or ICMP too; none in nat mode. */
    private String gatewayElement(String verb, String family, GatewayMode mode, String bridge) {
        return switch (mode) {
            case NAT_UNPROTECTED -> element(verb, "open" + family, bridge);
            case ROUTED -> element(verb, "routedgw" + family, bridge);
            case NAT, ISOLATED -> "";
        };
    }

    /**
     * A routed endpoint's host veth counts as a bridge of its own for isolation and NAT; what it may reach in
     * its own network is the network's subnets, by destination, since every packet between two routed
     * containers crosses the host.
     */
    private String routedElements(String verb, RoutedLink l) {
        String link = quote(l.link());
        StringBuilder script = new StringBuilder(element(verb, "bridges", link));
        if (l.internal()) {
            script.append(element(verb, "internal", link));
        }
        for (IPAddress subnet : l.subnets()) {
            String family = subnet.isIPv6() ? "6" : "4";
            script.append(element(verb, "routed" + family, link + " . " + subnet.toCanonicalString()))
                    .append(element(verb, "direct" + family, link + " . " + subnet.toCanonicalString()));
        }
        return script.toString();
    }

    /** {@code add|delete element TABLE SET { VALUE }}: one element of one of our sets or maps. */
    private String element(String verb, String set, String value) {
        return verb + " element " + table + " " + set + " { " + value + " }\n";
    }

    /**
     * Published ports: each container port open to direct access (where its network lets any in), once however
     * many host ports lead to it, and, unless a binding is direct only (a routed gateway's), the host's port
     * forwarded to it.
     */
    private String portElements(String verb, List<PortBinding> bindings, boolean withTarget) {
        Set<String> script = new LinkedHashSet<>();
        for (PortBinding b : bindings) {
            String family = b.isIpv6() ? "6" : "4";
            script.add(element(verb, "published" + family,
                    b.containerIpText() + " . " + b.proto().wireName() + " . " + b.containerPort()));
            if (!b.direct()) {
                String map = b.hostIp().isEmpty() ? "ports" + family : "ports" + family + "host";
                String key = b.hostIp().map(ip -> Cidr.hostText(ip) + " . ").orElse("") + b.proto().wireName() + " . "
                        + b.hostPort();
                String target = withTarget ? " : " + b.containerIpText() + " . " + b.containerPort() : "";
                script.add(element(verb, map, key + target));
            }
        }
        return String.join("", script);
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
