package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The endpoint's addresses (CIDR form) and MAC (colon form); empty strings mean "not given". */
public record EndpointInterface(
        @JsonProperty("Address") String address,
        @JsonProperty("AddressIPv6") String addressIpv6,
        @JsonProperty("MacAddress") String macAddress) {
}
