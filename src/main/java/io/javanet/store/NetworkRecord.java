package io.javanet.store;

import java.util.List;
import java.util.Map;

/**
 * A network as the driver created it. Subnets hold the pool and the gateway (CIDR form, may be empty) of each
 * family; generic holds the {@code -o} options exactly as given.
 */
public record NetworkRecord(String networkId, String bridgeName, int mtu, boolean internal, boolean enableIpv6,
                            List<Subnet> subnets, Map<String, String> generic) {

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
