package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to {@code IpamDriver.GetCapabilities}. */
public record IpamCapabilitiesResponse(
        @JsonProperty("RequiresMACAddress") boolean requiresMacAddress,
        @JsonProperty("RequiresRequestReplay") boolean requiresRequestReplay) {
}
