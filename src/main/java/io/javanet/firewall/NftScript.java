package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.PortBinding;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The nft commands of each change, as text in nft's own language, so each can be checked against its
 * expected text. Everything of one javanet instance lives in one table, {@code inet NAME} (the instance's name,
 * {@code javanet} unless the plugin is installed under another), whose sets and maps carry the
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

    /** @param instance letters, digits, '_' and '-': it names our table and marks our rule in DOCKER-USER */
    NftScript(String instance) {
        if (!instance.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("not an instance name: " + instance);
        }
        this.instance = instance;
        this.table = "inet " + instance;
    }

    String instance() {
        return instance;
    }

    /**
     * The whole table, empty of elements, from its template ({@code table.nft}). Isolation drops come before the
     * marks that let traffic past Docker.
     */
    String createTable() {
        return TABLE.render(Map.of("table", table, "mark", String.format(Locale.ROOT, "meta mark set meta mark | 0x%08x", MARK)));
    }

    /** Drops our table whether or not it exists. */
    String deleteTable() {
        return "table " + table + "\ndelete table " + table + "\n";
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
        StringBuilder script = new StringBuilder();
        bindings.forEach(b -> script.append(portElement("add", b, true)));
        return script.toString();
    }

    String unpublish(List<PortBinding> bindings) {
        StringBuilder script = new StringBuilder(publish(bindings));
        bindings.forEach(b -> script.append(portElement("delete", b, false)));
        return script.toString();
    }

    /** The inet tables by name only, not their contents: cheap however many elements ours holds. */
    String listTables() {
        return "list tables inet";
    }

    /** The sets whose elements mean a network or an endpoint still needs our table. */
    List<String> listInUse() {
        return List.of("bridges", "masq4", "masq6").stream().map(set -> "list set " + table + " " + set).toList();
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

    /** A bridge network's bridge, its isolation and its masquerade; a routed network has the masquerade only. */
    private String networkElements(String verb, FirewallNetwork n) {
        StringBuilder script = new StringBuilder();
        if (!n.bridge().isEmpty()) {
            String b = quote(n.bridge());
            script.append(element(verb, "bridges", b)).append(element(verb, "same", b + " . " + b));
            if (n.internal()) {
                script.append(element(verb, "internal", b));
            }
        }
        if (!n.internal()) {
            for (IPAddress subnet : n.subnets()) {
                script.append(element(verb, subnet.isIPv6() ? "masq6" : "masq4", subnet.toCanonicalString()));
            }
        }
        return script.toString();
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
            script.append(element(verb, subnet.isIPv6() ? "routed6" : "routed4", link + " . " + subnet.toCanonicalString()));
        }
        return script.toString();
    }

    /** {@code add|delete element TABLE SET { VALUE }}: one element of one of our sets or maps. */
    private String element(String verb, String set, String value) {
        return verb + " element " + table + " " + set + " { " + value + " }\n";
    }

    private String portElement(String verb, PortBinding b, boolean withTarget) {
        String family = b.isIpv6() ? "6" : "4";
        String map = b.hostIp().isEmpty() ? "ports" + family : "ports" + family + "host";
        String key = b.hostIp().map(ip -> Cidr.hostText(ip) + " . ").orElse("") + b.proto().wireName() + " . " + b.hostPort();
        String target = withTarget ? " : " + b.containerIpText() + " . " + b.containerPort() : "";
        return element(verb, map, key + target);
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
