package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code NetworkDriver.GwAllocCheck} (Docker 28+, sent before CreateNetwork when GetCapabilities said
 * {@code GwAllocChecker}): would a network with these options use the gateway addresses Docker's IPAM reserves?
 *
 * @param options the same options CreateNetwork will carry
 */
public record GwAllocCheckRequest(@JsonProperty("Options") Map<String, Object> options) {
}
