package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import io.javanet.net.Cidr;
import io.javanet.net.PortBinding;
import io.javanet.store.EndpointRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns Docker's {@code com.docker.network.portmap} (a list of {Proto, Port, HostIP, HostPort, HostPortEnd})
 * into bindings we can program, choosing host ports where Docker left the choice to us: HostPort 0 takes the
 * first free port from 49153 up, as Docker does, and a range takes its first free port.
 */
final class PortMaps {

    static final int EPHEMERAL_FIRST = 49153;

    private PortMaps() {
    }

    /**
     * @param taken bindings already published by other endpoints; a clash with one is refused
     */
    static List<PortBinding> resolve(List<Map<String, Object>> portMap, EndpointRecord endpoint, List<PortBinding> taken) {
        List<PortBinding> result = new ArrayList<>();
        List<PortBinding> inUse = new ArrayList<>(taken);
        for (int i = 0; i < portMap.size(); i++) {
            Map<String, Object> p = portMap.get(i);
            String at = Labels.PORT_MAP + "[" + i + "]";
            String proto = proto(at, p.get("Proto"));
            int port = port(at + ".Port", p.get("Port"), false);
            int first = port(at + ".HostPort", p.getOrDefault("HostPort", 0), true);
            int last = port(at + ".HostPortEnd", p.getOrDefault("HostPortEnd", 0), true);
            if (last < first) {
                last = first;
            }
            if (first == 0) {
                first = EPHEMERAL_FIRST;
                last = 65535;
            }
            String hostIp = String.valueOf(p.getOrDefault("HostIP", ""));
            for (String containerIp : containerAddresses(at, hostIp, endpoint)) {
                String host = hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::") ? ""
                        : Cidr.hostText(Cidr.parseHost(at + ".HostIP", hostIp));
                PortBinding binding = choose(at, proto, host, first, last, containerIp, port, inUse);
                inUse.add(binding);
                result.add(binding);
            }
        }
        return result;
    }

    private static PortBinding choose(String at, String proto, String hostIp, int first, int last, String containerIp,
                                      int port, List<PortBinding> inUse) {
        for (int hostPort = first; hostPort <= last; hostPort++) {
            PortBinding candidate = new PortBinding(proto, hostIp, hostPort, containerIp, port);
            if (inUse.stream().noneMatch(candidate::clashesWith)) {
                return candidate;
            }
        }
        PortBinding wanted = new PortBinding(proto, hostIp, first, containerIp, port);
        PortBinding holder = inUse.stream().filter(wanted::clashesWith).findFirst().orElseThrow();
        throw PluginException.conflict("%s: host port %s/%s%s is already published (%s)", at, first == last ? first : first + "-" + last,
                proto, hostIp.isEmpty() ? "" : " on " + hostIp, holder);
    }

    /** The container addresses a binding reaches: IPv4, and IPv6 too when the host address allows both. */
    private static List<String> containerAddresses(String at, String hostIp, EndpointRecord endpoint) {
        String v4 = endpoint.address().isEmpty() ? "" : hostOf(endpoint.address());
        String v6 = endpoint.addressIpv6().isEmpty() ? "" : hostOf(endpoint.addressIpv6());
        boolean wantV6 = hostIp.contains(":");
        boolean wantV4 = !hostIp.contains(":");
        List<String> targets = new ArrayList<>();
        if (wantV4 && !v4.isEmpty()) {
            targets.add(v4);
        }
        if ((wantV6 || hostIp.isEmpty()) && !v6.isEmpty()) {
            targets.add(v6);
        }
        if (targets.isEmpty()) {
            throw PluginException.invalid("%s.HostIP: endpoint %s has no %s address to publish to", at,
                    endpoint.endpointId(), wantV6 ? "IPv6" : "IPv4");
        }
        return targets;
    }

    private static String hostOf(String cidr) {
        IPAddress address = Cidr.parseInterfaceAddress("address", cidr);
        return Cidr.hostText(address);
    }

    private static String proto(String at, Object value) {
        if (value instanceof Number n) {
            switch (n.intValue()) {
                case 6:
                    return "tcp";
                case 17:
                    return "udp";
                case 132:
                    return "sctp";
                default:
                    break;
            }
        }
        throw PluginException.invalid("%s.Proto: %s is not tcp (6), udp (17) or sctp (132)", at, value);
    }

    private static int port(String field, Object value, boolean zeroAllowed) {
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            int port = n.intValue();
            if (port >= (zeroAllowed ? 0 : 1) && port <= 65535) {
                return port;
            }
        }
        throw PluginException.invalid("%s: %s is not a port number (%d to 65535)", field, value, zeroAllowed ? 0 : 1);
    }
}
