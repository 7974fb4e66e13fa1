package io.javanet.store;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.javanet.net.Mode;
import io.javanet.net.SubMode;
import io.javanet.net.Subnet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as the driver created it. Subnets hold the pool and the gateway (CIDR form, may be empty) of each
 * family; generic holds the {@code -o} options exactly as given. A bridge network has a bridge; a routed
 * network has neither bridge nor parent, only a veth per endpoint; a macvlan or ipvlan network has a parent link
 * and a sub-mode (macvlan_mode or ipvlan_mode). A routed network has its own link-local gateway, which
 * its containers reach on-link through their veth: one per network, so that a container can join several.
 */
public record NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                            List<Subnet> subnets, Map<String, String> generic, Mode mode, String parent,
                            @JsonAlias("macvlanMode") SubMode subMode, String routedGateway) {

    public NetworkRecord {
        // Unmodifiable: the store hands one instance to every call on the network.
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        generic = generic == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(generic));
        mode = mode == null ? Mode.BRIDGE : mode;
        parent = parent == null ? "" : parent;
        subMode = subMode == null ? SubMode.NONE : subMode;
        routedGateway = routedGateway == null ? "" : routedGateway;
    }

    /** A bridge network. */
    public NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                         List<Subnet> subnets, Map<String, String> generic) {
        this(networkId, bridgeName, mtu, internal, enableIpv6, subnets, generic, Mode.BRIDGE, "", SubMode.NONE, "");
    }

    public NetworkRecord withRoutedGateway(String gateway) {
        return new NetworkRecord(networkId, bridgeName, mtu, internal, enableIpv6, subnets, generic, mode, parent,
                subMode, gateway);
    }
}
