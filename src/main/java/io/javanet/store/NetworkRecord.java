package io.javanet.store;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.javanet.net.Mode;
import io.javanet.net.Subnet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as the driver created it: what every mode has, and the mode's own part. Subnets hold the pool and
 * the gateway (CIDR form, may be empty) of each family; generic holds the {@code -o} options exactly as given.
 * The section is the network's mode's, which alone reads and writes it, typed (its bridge, its parent, its
 * gateway…); stored beside the other fields, as each mode's fields always were.
 */
public record NetworkRecord(String networkId, int mtu, boolean internal, boolean enableIpv6, List<Subnet> subnets,
                            Map<String, String> generic, Mode mode,
                            @JsonAnySetter @JsonAnyGetter Map<String, String> section) {

    public NetworkRecord {
        // Unmodifiable: the store hands one instance to every call on the network.
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        generic = generic == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(generic));
        mode = mode == null ? Mode.BRIDGE : mode;
        section = section == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(section));
    }

    /** The same network with its mode's section replaced: what a mode fills in as it prepares the network. */
    public NetworkRecord withSection(Map<String, String> section) {
        return new NetworkRecord(networkId, mtu, internal, enableIpv6, subnets, generic, mode, section);
    }

    /**
     * Whether this network was made as {@code request} asks: the request's own fields compared, the mode's section
     * not (it follows from the options, and holds what the mode chose, a routed network's gateway), so that Docker's
     * repeat of a call whose reply it lost is recognised whatever a mode fills in.
     */
    public boolean madeAs(NetworkRecord request) {
        return networkId.equals(request.networkId) && mtu == request.mtu && internal == request.internal
                && enableIpv6 == request.enableIpv6 && subnets.equals(request.subnets) && generic.equals(request.generic)
                && mode == request.mode;
    }
}
