package io.javanet.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Reply to {@code Plugin.Activate}: the plugin interfaces this process serves. */
public record ActivateResponse(@JsonProperty("Implements") List<String> implementsList) {
}
