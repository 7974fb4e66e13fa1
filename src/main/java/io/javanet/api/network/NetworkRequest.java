package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Calls that name only a network: {@code DeleteNetwork}, {@code FreeNetwork}. */
public record NetworkRequest(@JsonProperty("NetworkID") String networkId) {
}
