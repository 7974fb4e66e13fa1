package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code NetworkDriver.CreateNetwork}. Options holds {@code com.docker.network.*} keys; {@code -o} values sit under generic. */
public record CreateNetworkRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("Options") Map<String, Object> options,
        @JsonProperty("IPv4Data") List<IpamData> ipv4Data,
        @JsonProperty("IPv6Data") List<IpamData> ipv6Data) {
}
