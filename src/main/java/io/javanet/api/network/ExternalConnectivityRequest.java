package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code ProgramExternalConnectivity}: the port map and exposed ports of the sandbox's gateway endpoint. */
public record ExternalConnectivityRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("Options") Map<String, Object> options) {
}
