package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code AllocateNetwork}: sent by swarm managers for global-scope drivers only. */
public record AllocateNetworkRequest(
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("IPv4Data") List<IpamData> ipv4Data,
        @JsonProperty("IPv6Data") List<IpamData> ipv6Data) {
}
