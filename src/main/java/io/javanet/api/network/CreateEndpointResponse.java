package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reply to {@code CreateEndpoint}: only what the driver chose that Docker did not (e.g. a MAC). */
public record CreateEndpointResponse(@JsonProperty("Interface") EndpointInterface endpointInterface) {
}
