package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The host-side link Docker moves into the sandbox, and the prefix of its name there ({@code eth}). */
public record InterfaceName(
        @JsonProperty("SrcName") String srcName,
        @JsonProperty("DstPrefix") String dstPrefix) {
}
