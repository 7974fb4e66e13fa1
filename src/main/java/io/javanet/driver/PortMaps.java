package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import io.javanet.net.Cidr;
import io.javanet.net.PortBinding;
import io.javanet.net.Protocol;
import io.javanet.store.EndpointRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Docker's {@code com.docker.network.portmap} (a list of {Proto, Port, HostIP, HostPort, HostPortEnd})
 * into bindings we can program, choosing host ports where Docker left the choice to us: HostPort 0 takes the
 * first free port from 49153 up, as Docker does, and a range takes its first free port. A binding that names no
 * host address takes the network's default; one to a family whose gateway routes opens the container's port only.
 */
final class PortMaps {

    static final int EPHEMERAL_FIRST = 49153;

    private PortMaps() {
    }

    /**
     * @param taken bindings already published by other endpoints; a clash with one is refused
     */
    static List<PortBinding> resolve(List<Map<String, Object>> portMap, EndpointRecord endpoint, List<PortBinding> taken,
                                     Publishing publishing) {
        List<PortBinding> result = new ArrayList<>();
        List<PortBinding> inUse = new ArrayList<>(taken);
        for (int i = 0; i < portMap.size(); i++) {
            Map<String, Object> p = portMap.get(i);
            String at = Labels.PORT_MAP + "[" + i + "]";
            Protocol proto = proto(at, p.get("Proto"));
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
            String hostIpText = String.valueOf(p.getOrDefault("HostIP", ""));
            Optional<IPAddress> given = hostIpText.isEmpty() ? publishing.defaultHostIp()
                    : Optional.of(Cidr.parseHost(at + ".HostIP", hostIpText));
            // 0.0.0.0 and :: are any address of their family.
            Optional<IPAddress> host = given.filter(ip -> !ip.isZero());
            for (IPAddress containerIp : containerAddresses(at, given, endpoint)) {
                PortBinding binding = publishing.routed(containerIp)
                        ? new PortBinding(proto, Optional.empty(), 0, containerIp, port)
                        : choose(at, proto, host, first, last, containerIp, port, inUse);
                inUse.add(binding);
                result.add(binding);
            }
        }
        return result;
    }

    private static PortBinding choose(String at, Protocol proto, Optional<IPAddress> hostIp, int first, int last,
                                      IPAddress containerIp, int port, List<PortBinding> inUse) {
        for (int hostPort = first; hostPort <= last; hostPort++) {
            PortBinding candidate = new PortBinding(proto, hostIp, hostPort, containerIp, port);
            if (inUse.stream().noneMatch(candidate::clashesWith)) {
                return candidate;
            }
        }
        PortBinding wanted = new PortBinding(proto, hostIp, first, containerIp, port);
        PortBinding holder = inUse.stream().filter(wanted::clashesWith).findFirst().orElseThrow();
        throw PluginException.conflict("%s: host port %s/%s%s is already published (%s)", at, first == last ? first : first + "-" + last,
                proto, hostIp.map(ip -> " on " + Cidr.hostText(ip)).orElse(""), holder);
    }

    /**
     * The container addresses a binding reaches: those of the host address's family, or both families when no
     * host address is given.
     */
    private static List<IPAddress> containerAddresses(String at, Optional<IPAddress> hostIp, EndpointRecord endpoint) {
        boolean wantV6 = hostIp.map(IPAddress::isIPv6).orElse(true);
        boolean wantV4 = hostIp.map(IPAddress::isIPv4).orElse(true);
        List<IPAddress> targets = new ArrayList<>();
        if (wantV4 && !endpoint.address().isEmpty()) {
            targets.add(hostOf(endpoint.address()));
        }
        if (wantV6 && !endpoint.addressIpv6().isEmpty()) {
            targets.add(hostOf(endpoint.addressIpv6()));
        }
        if (targets.isEmpty()) {
            throw PluginException.invalid("%s.HostIP: endpoint %s has no %s address to publish to", at,
                    endpoint.endpointId(), hostIp.isPresent() && hostIp.get().isIPv6() ? "IPv6" : "IPv4");
        }
        return targets;
    }

    private static IPAddress hostOf(String cidr) {
        return Cidr.parseInterfaceAddress("address", cidr).withoutPrefixLength();
    }

    private static Protocol proto(String at, Object value) {
        if (value instanceof Number n) {
            Optional<Protocol> proto = Protocol.ofNumber(n.intValue());
            if (proto.isPresent()) {
                return proto.get();
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
