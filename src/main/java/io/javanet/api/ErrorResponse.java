package io.javanet.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of every failed call: Docker shows {@code Err} to the user. */
public record ErrorResponse(@JsonProperty("Err") String err) {
}
