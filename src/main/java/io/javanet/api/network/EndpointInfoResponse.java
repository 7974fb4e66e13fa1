package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Reply to {@code EndpointOperInfo}: free-form facts shown by {@code docker inspect}. */
public record EndpointInfoResponse(@JsonProperty("Value") Map<String, Object> value) {
}
