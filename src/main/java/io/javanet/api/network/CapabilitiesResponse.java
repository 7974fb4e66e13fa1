package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to {@code NetworkDriver.GetCapabilities}. */
public record CapabilitiesResponse(
        @JsonProperty("Scope") String scope,
        @JsonProperty("ConnectivityScope") String connectivityScope) {
}
