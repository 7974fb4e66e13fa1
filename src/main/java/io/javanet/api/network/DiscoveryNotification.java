package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code DiscoverNew} / {@code DiscoverDelete}: node discovery, used by multi-host drivers only. */
public record DiscoveryNotification(
        @JsonProperty("DiscoveryType") Integer discoveryType,
        @JsonProperty("DiscoveryData") Object discoveryData) {
}
