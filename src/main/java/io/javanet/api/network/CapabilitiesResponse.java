package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply to {@code NetworkDriver.GetCapabilities}.
 *
 * @param gwAllocChecker the driver answers {@code GwAllocCheck} (Docker 28+; older engines ignore the field)
 */
public record CapabilitiesResponse(
        @JsonProperty("Scope") String scope,
        @JsonProperty("ConnectivityScope") String connectivityScope,
        @JsonProperty("GwAllocChecker") boolean gwAllocChecker) {
}
