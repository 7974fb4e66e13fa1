package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Reply to {@code AllocateNetwork}: driver options to hand to every node. */
public record AllocateNetworkResponse(@JsonProperty("Options") Map<String, String> options) {
}
