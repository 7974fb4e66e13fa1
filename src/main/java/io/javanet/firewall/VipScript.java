package io.javanet.firewall;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nft text of one overlay network's VIP table in a container's namespace, from its template (vip-table.nft,
 * with a vip-service.nft chain per service): a map from each VIP to a chain of its own, whose DNAT picks one of
 * the service's tasks at random for each new connection. The output hook sees what the container's own
 * processes send, before routing. IPv4 only (swarm's VIPs are).
 */
final class VipScript {

    private static final NftTemplate TABLE = NftTemplate.load("vip-table.nft");
    /** The chain of one service, in the table's {@code ${services}}. */
    private static final NftTemplate SERVICE = NftTemplate.load("vip-service.nft");

    private VipScript() {
    }

    /** The table's name: the network's, so that a container on two overlays has one table for each. */
    static String table(String networkId) {
        return "javanet-vip-" + networkId.substring(0, Math.min(12, networkId.length()));
    }

    /** Replaces the table with one holding these VIPs (those with no task left out); none: removes it. */
    static String replace(String networkId, List<VirtualIp> vips) {
        List<VirtualIp> served = vips.stream().filter(v -> v.address().isIPv4() && !v.backends().isEmpty())
                .sorted(Comparator.comparing(VirtualIp::address)).toList();
        if (served.isEmpty()) {
            return remove(networkId);
        }
        List<String> elements = new ArrayList<>();
        StringBuilder services = new StringBuilder();
        for (int i = 0; i < served.size(); i++) {
            VirtualIp vip = served.get(i);
            String chain = "vip-" + i;
            elements.add(Cidr.hostText(vip.address()) + " : goto " + chain);
            List<IPAddress> backends = vip.backends().stream().filter(IPAddress::isIPv4).sorted().toList();
            String tasks = IntStream.range(0, backends.size())
                    .mapToObj(n -> n + " : " + Cidr.hostText(backends.get(n))).collect(Collectors.joining(", "));
            services.append(SERVICE.render(Map.of("chain", chain, "count", Integer.toString(backends.size()), "tasks", tasks)));
        }
        return remove(networkId) + TABLE.render(Map.of("table", table(networkId), "vips", String.join(", ", elements),
                "services", services.toString()));
    }

    /** Removes the table; the empty declaration first makes this succeed when it is not there. */
    static String remove(String networkId) {
        String table = "ip " + table(networkId);
        return "table " + table + " {}\ndelete table " + table + "\n";
    }
}
