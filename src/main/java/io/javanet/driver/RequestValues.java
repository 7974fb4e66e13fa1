package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.DiscoveryNotification;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.IpamData;
import io.javanet.failure.PluginException;
import io.javanet.net.Cidr;
import io.javanet.net.ReservedRanges;
import io.javanet.net.MacAddress;
import io.javanet.net.Subnet;
import io.javanet.store.NetworkRecord;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The values of Docker's requests, parsed and checked once, as they arrive: every error names the field it is
 * about and the value it got.
 */
final class RequestValues {

    private RequestValues() {
    }

    static List<Subnet> subnets(String field, List<IpamData> data, boolean v6) {
        List<Subnet> result = new ArrayList<>();
        if (data == null) {
            return result;
        }
        for (int i = 0; i < data.size(); i++) {
            IpamData d = data.get(i);
            String at = field + "[" + i + "]";
            if (d == null) {
                throw PluginException.invalid("%s: missing", at);
            }
            IPAddress pool = Cidr.parseNetwork(at + ".Pool", d.pool());
            ReservedRanges.refuseReserved(at + ".Pool", pool);
            if (pool.isIPv6() != v6) {
                throw PluginException.invalid("%s.Pool: %s is not an %s network", at, d.pool(), v6 ? "IPv6" : "IPv4");
            }
            Optional<IPAddress> gateway = Optional.empty();
            if (d.gateway() != null && !d.gateway().isEmpty()) {
                IPAddress gw = Cidr.parseInterfaceAddress(at + ".Gateway", d.gateway());
                if (!pool.contains(gw)) {
                    throw PluginException.invalid("%s.Gateway: %s is not inside pool %s", at, d.gateway(), d.pool());
                }
                gateway = Optional.of(gw.setPrefixLength(pool.getNetworkPrefixLength(), false));
            }
            List<IPAddress> aux = new ArrayList<>();
            if (d.auxAddresses() != null) {
                for (Map.Entry<String, String> a : d.auxAddresses().entrySet()) {
                    aux.add(Cidr.parseInterfaceAddress(at + ".AuxAddresses." + a.getKey(), a.getValue()));
                }
            }
            result.add(new Subnet(pool.toPrefixBlock(), gateway, aux));
        }
        return result;
    }


    static String endpointAddress(String field, String value, NetworkRecord network, boolean v6) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        IPAddress address = Cidr.parseInterfaceAddress(field, value);
        if (address.isIPv6() != v6) {
            throw PluginException.invalid("%s: %s is not an %s address", field, value, v6 ? "IPv6" : "IPv4");
        }
        boolean inNetwork = network.subnets().stream().anyMatch(s -> s.pool().contains(address));
        if (!inNetwork) {
            throw PluginException.invalid("%s: %s is not inside any subnet of network %s", field, value,
                    network.networkId());
        }
        return value;
    }


    /**
     * Refuses the endpoint options ({@code docker run --network name=N,driver-opt=…}) javanet cannot honour: the
     * interface's name, which Docker does not take from a remote driver, and any javanet key (none exists yet).
     */
    static void refuseEndpointOptions(Map<String, Object> options, Set<String> featureKeys) {
        if (options == null) {
            return;
        }
        if (options.containsKey(Labels.ENDPOINT_IFNAME)) {
            throw PluginException.invalid("driver-opt %s: Docker names a remote driver's container interface itself, after"
                    + " the network's prefix and a number; use -o %s on the network", Labels.ENDPOINT_IFNAME,
                    Labels.CONTAINER_IFACE_PREFIX);
        }
        options.keySet().stream().filter(k -> k.startsWith(Labels.JAVANET_PREFIX) && !featureKeys.contains(k)).findFirst()
                .ifPresent(k -> {
                    throw PluginException.invalid("driver-opt %s: unknown javanet endpoint option (known: %s)", k,
                            String.join(", ", featureKeys));
                });
    }

    static Optional<MacAddress> givenMac(EndpointInterface requested, Map<String, Object> options) {
        try {
            if (requested.macAddress() != null && !requested.macAddress().isEmpty()) {
                return Optional.of(MacAddress.parse(requested.macAddress()));
            }
        } catch (IllegalArgumentException e) {
            throw PluginException.invalid("Interface.MacAddress: %s", e.getMessage());
        }
        Object encoded = options == null ? null : options.get(Labels.ENDPOINT_MAC);
        if (encoded == null) {
            return Optional.empty();
        }
        // Go marshals the []byte MAC in endpoint options as base64.
        try {
            return Optional.of(new MacAddress(Base64.getDecoder().decode(String.valueOf(encoded))));
        } catch (IllegalArgumentException e) {
            throw PluginException.invalid("Options.%s: \"%s\" is not a base64 MAC address (%s)",
                    Labels.ENDPOINT_MAC, encoded, e.getMessage());
        }
    }


    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> portMap(Map<String, Object> options) {
        Object value = options == null ? null : options.get(Labels.PORT_MAP);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw PluginException.invalid("Options.%s: expected a list of port mappings, got %s", Labels.PORT_MAP, value);
        }
        return (List<Map<String, Object>>) list;
    }


    static String requireId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw PluginException.invalid("%s: missing", field);
        }
        if (id.length() > 128 || !id.matches("[A-Za-z0-9_.-]+")) {
            throw PluginException.invalid("%s: \"%s\" is not a Docker ID (up to 128 letters and digits)",
                    field, id.length() > 40 ? id.substring(0, 40) + "…" : id);
        }
        return id;
    }

    static void checkDiscovery(DiscoveryNotification request) {
        Integer type = request.discoveryType();
        if (type == null) {
            throw PluginException.invalid("DiscoveryType: missing");
        }
        if (type < 1 || type > 3) {
            throw PluginException.invalid("DiscoveryType: %d is not 1 (node), 2 (encryption keys) or 3 (key update)", type);
        }
    }

    /**
     * The node a node-discovery notification (type 1) is about, unless it is this node itself ({@code Self}):
     * {@code {"Address":"192.0.2.12","BindAddress":"…","Self":false}}.
     */
    static Optional<IPAddress> otherNode(DiscoveryNotification request) {
        return node(request, false);
    }

    /** The address of this node, from a node discovery that says it is this one ({@code Self}). */
    static Optional<IPAddress> thisNode(DiscoveryNotification request) {
        return node(request, true);
    }

    private static Optional<IPAddress> node(DiscoveryNotification request, boolean self) {
        checkDiscovery(request);
        if (request.discoveryType() != 1) {
            return Optional.empty();
        }
        if (!(request.discoveryData() instanceof Map<?, ?> data)) {
            throw PluginException.invalid("DiscoveryData: expected an object with Address, got %s", request.discoveryData());
        }
        if (Boolean.TRUE.equals(data.get("Self")) != self) {
            return Optional.empty();
        }
        Object address = data.get("Address");
        if (!(address instanceof String text) || text.isEmpty()) {
            throw PluginException.invalid("DiscoveryData.Address: missing");
        }
        return Optional.of(Cidr.parseHost("DiscoveryData.Address", text));
    }
}
