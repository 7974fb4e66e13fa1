package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code IpamDriver.RequestPool}: an empty Pool asks the driver to choose one; SubPool is {@code --ip-range}. */
public record RequestPoolRequest(
        @JsonProperty("AddressSpace") String addressSpace,
        @JsonProperty("Pool") String pool,
        @JsonProperty("SubPool") String subPool,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("V6") boolean v6) {
}
