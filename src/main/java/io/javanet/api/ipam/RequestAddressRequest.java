package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code IpamDriver.RequestAddress}: a bare IP, or empty for "any". Options carry
 * {@code RequestAddressType=com.docker.network.gateway} for the gateway and are null for endpoints.
 */
public record RequestAddressRequest(
        @JsonProperty("PoolID") String poolId,
        @JsonProperty("Address") String address,
        @JsonProperty("Options") Map<String, String> options) {
}
