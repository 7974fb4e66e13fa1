package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code NetworkDriver.CreateEndpoint}. Options may carry the port map and a base64 MAC. */
public record CreateEndpointRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("Interface") EndpointInterface endpointInterface,
        @JsonProperty("Options") Map<String, Object> options) {
}
