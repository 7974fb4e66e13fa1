package io.javanet.store;

import java.util.List;
import java.util.Map;

/**
 * A network as the driver created it. Subnets hold the pool and the gateway (CIDR form, may be empty) of each
 * family; generic holds the {@code -o} options exactly as given. A bridge network has a bridge; a macvlan
 * network has a parent link and a macvlan mode instead.
 */
public record NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                            List<Subnet> subnets, Map<String, String> generic, String mode, String parent,
                            String macvlanMode) {

    public NetworkRecord {
        mode = mode == null ? "bridge" : mode;
        parent = parent == null ? "" : parent;
        macvlanMode = macvlanMode == null ? "" : macvlanMode;
    }

    /** A bridge network. */
    public NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                         List<Subnet> subnets, Map<String, String> generic) {
        this(networkId, bridgeName, mtu, internal, enableIpv6, subnets, generic, "bridge", "", "");
    }

    public boolean isBridge() {
        return mode.equals("bridge");
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
