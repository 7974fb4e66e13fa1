package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Calls that name only an endpoint: {@code DeleteEndpoint}, {@code EndpointOperInfo}, {@code Leave},
 * {@code RevokeExternalConnectivity}.
 */
public record EndpointRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId) {
}
