package io.javanet.store;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
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
                            List<Subnet> subnets, Map<String, String> generic, String mode, String parent,
                            @JsonAlias("macvlanMode") String subMode, String routedGateway) {

    public NetworkRecord {
        mode = mode == null ? "bridge" : mode;
        parent = parent == null ? "" : parent;
        subMode = subMode == null ? "" : subMode;
        routedGateway = routedGateway == null ? "" : routedGateway;
    }

    /** A bridge network. */
    public NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                         List<Subnet> subnets, Map<String, String> generic) {
        this(networkId, bridgeName, mtu, internal, enableIpv6, subnets, generic, "bridge", "", "", "");
    }

    public NetworkRecord withRoutedGateway(String gateway) {
        return new NetworkRecord(networkId, bridgeName, mtu, internal, enableIpv6, subnets, generic, mode, parent,
                subMode, gateway);
    }

    @JsonIgnore
    public boolean isBridge() {
        return mode.equals("bridge");
    }

    @JsonIgnore
    public boolean isRouted() {
        return mode.equals("routed");
    }

    /** Bridge and routed networks give each endpoint a veth pair and go through our firewall. */
    @JsonIgnore
    public boolean hasVeths() {
        return isBridge() || isRouted();
    }

    @JsonIgnore
    public boolean isIpvlan() {
        return mode.equals("ipvlan");
    }

    /** Layer 3 ipvlan: the parent routes, nothing answers ARP. */
    @JsonIgnore
    public boolean isIpvlanL3() {
        return isIpvlan() && subMode.equals("l3");
    }

    /** Macvlan and ipvlan networks: sub-interfaces of a parent link, on the parent's own network. */
    @JsonIgnore
    public boolean hasParent() {
        return !parent.isEmpty();
    }

    /**
     * A pool of the network, its gateway and the {@code --aux-address} reservations in it, all CIDR strings;
     * gateway is empty when Docker gave none.
     */
    public record Subnet(String pool, String gateway, List<String> auxAddresses) {
        public Subnet {
            auxAddresses = auxAddresses == null ? List.of() : List.copyOf(auxAddresses);
        }

        public Subnet(String pool, String gateway) {
            this(pool, gateway, List.of());
        }
    }
}
