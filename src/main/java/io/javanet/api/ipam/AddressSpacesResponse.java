package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to {@code IpamDriver.GetDefaultAddressSpaces}. */
public record AddressSpacesResponse(
        @JsonProperty("LocalDefaultAddressSpace") String localDefaultAddressSpace,
        @JsonProperty("GlobalDefaultAddressSpace") String globalDefaultAddressSpace) {
}
