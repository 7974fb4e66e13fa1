package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One address family's pool of a network, as the daemon hands it to the driver (CIDR strings). */
public record IpamData(
        @JsonProperty("AddressSpace") String addressSpace,
        @JsonProperty("Pool") String pool,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("AuxAddresses") Map<String, String> auxAddresses) {
}
