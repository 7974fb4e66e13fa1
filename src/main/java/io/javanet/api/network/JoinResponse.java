package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Reply to {@code Join}. A non-internal network must return a gateway, or Docker attaches the container to
 * {@code docker_gwbridge} as well.
 */
public record JoinResponse(
        @JsonProperty("InterfaceName") InterfaceName interfaceName,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("GatewayIPv6") String gatewayIpv6,
        @JsonProperty("StaticRoutes") List<StaticRoute> staticRoutes,
        @JsonProperty("DisableGatewayService") boolean disableGatewayService) {
}
