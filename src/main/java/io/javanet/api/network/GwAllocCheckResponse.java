package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to {@code NetworkDriver.GwAllocCheck}: which families need no gateway address reserved. */
public record GwAllocCheckResponse(
        @JsonProperty("SkipIPv4") boolean skipIpv4,
        @JsonProperty("SkipIPv6") boolean skipIpv6) {
}
