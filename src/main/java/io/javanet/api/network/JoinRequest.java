package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code NetworkDriver.Join}: the endpoint enters the sandbox at {@code SandboxKey}. */
public record JoinRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("SandboxKey") String sandboxKey,
        @JsonProperty("Options") Map<String, Object> options) {
}
