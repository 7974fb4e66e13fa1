package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code IpamDriver.ReleaseAddress}: a bare IP. */
public record ReleaseAddressRequest(
        @JsonProperty("PoolID") String poolId,
        @JsonProperty("Address") String address) {
}
