package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nft text of one overlay network's VIP table in a container's namespace, from its template (vip-table.nft,
 * with a vip-service.nft chain per service): a map from each VIP to a chain of its own, named after the VIP,
 * whose DNAT picks one of the service's tasks at random for each new connection. The output hook sees what the
 * container's own processes send, before routing. IPv4 only (swarm's VIPs are). A change of services touches
 * only the services that changed: their map elements and chains.
 */
final class VipScript {

    private static final NftTemplate TABLE = NftTemplate.load("vip-table.nft");
    /** The chain of one service, in the table's {@code ${services}}, or added to the table on its own. */
    private static final NftTemplate SERVICE = NftTemplate.load("vip-service.nft");

    private VipScript() {
    }

    /** The table's name: the network's, so that a container on two overlays has one table for each. */
    static String table(String networkId) {
        return "javanet-vip-" + networkId.substring(0, Math.min(12, networkId.length()));
    }

    /** Replaces the table with one holding these VIPs (those with no task left out); none: removes it. */
    static String replace(String networkId, List<VirtualIp> vips) {
        List<VirtualIp> served = served(vips);
        if (served.isEmpty()) {
            return remove(networkId);
        }
        String elements = served.stream().map(VipScript::element).collect(Collectors.joining(", "));
        String services = served.stream().map(VipScript::chain).collect(Collectors.joining());
        return remove(networkId) + TABLE.render(Map.of("table", table(networkId), "vips", elements, "services", services));
    }

    /**
     * Turns the table that holds {@code before} into one that holds {@code after}, touching only the services whose
     * tasks differ: a service gone loses its element and chain, a new one gets both, a changed one its chain's
     * rule anew; the others keep theirs, and the connections they carry. A table holding none is made whole.
     */
    static String change(String networkId, List<VirtualIp> before, List<VirtualIp> after) {
        Map<IPAddress, VirtualIp> was = byAddress(served(before));
        Map<IPAddress, VirtualIp> now = byAddress(served(after));
        if (was.isEmpty() || now.isEmpty()) {
            return replace(networkId, after);
        }
        String table = "ip " + table(networkId);
        StringBuilder script = new StringBuilder();
        was.values().stream().filter(vip -> !now.containsKey(vip.address())).forEach(gone -> script
                .append("delete element ").append(table).append(" vips { ").append(Cidr.hostText(gone.address())).append(" }\n")
                .append("delete chain ").append(table).append(' ').append(chainName(gone)).append('\n'));
        for (VirtualIp vip : now.values()) {
            VirtualIp old = was.get(vip.address());
            if (old != null && old.backends().equals(vip.backends())) {
                continue;
            }
            script.append("add chain ").append(table).append(' ').append(chainName(vip)).append('\n')
                    .append("flush chain ").append(table).append(' ').append(chainName(vip)).append('\n')
                    .append("table ").append(table).append(" {\n").append(chain(vip)).append("}\n");
            if (old == null) {
                script.append("add element ").append(table).append(" vips { ").append(element(vip)).append(" }\n");
            }
        }
        return script.toString();
    }

    /** Removes the table; the empty declaration first makes this succeed when it is not there. */
    static String remove(String networkId) {
        String table = "ip " + table(networkId);
        return "table " + table + " {}\ndelete table " + table + "\n";
    }

    /** The IPv4 VIPs that have IPv4 tasks, each with its tasks in one order, in the order of their addresses. */
    private static List<VirtualIp> served(List<VirtualIp> vips) {
        return vips.stream().filter(v -> v.address().isIPv4())
                .map(v -> new VirtualIp(v.address(), v.backends().stream().filter(IPAddress::isIPv4).sorted().distinct().toList()))
                .filter(v -> !v.backends().isEmpty()).sorted(Comparator.comparing(VirtualIp::address)).toList();
    }

    private static Map<IPAddress, VirtualIp> byAddress(List<VirtualIp> vips) {
        return vips.stream().collect(Collectors.toMap(VirtualIp::address, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /** A service's chain is named after its VIP, so that it stays the same chain while the service lives. */
    private static String chainName(VirtualIp vip) {
        return "vip-" + Cidr.hostText(vip.address()).replace('.', '-');
    }

    private static String element(VirtualIp vip) {
        return Cidr.hostText(vip.address()) + " : goto " + chainName(vip);
    }

    private static String chain(VirtualIp vip) {
        List<IPAddress> tasks = vip.backends();
        String map = IntStream.range(0, tasks.size()).mapToObj(n -> n + " : " + Cidr.hostText(tasks.get(n)))
                .collect(Collectors.joining(", "));
        return SERVICE.render(Map.of("chain", chainName(vip), "count",
                Integer.toString(tasks.size()), "tasks", map));
    }
}
