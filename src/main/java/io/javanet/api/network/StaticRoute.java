package io.javanet.api.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A route Docker installs in the sandbox; RouteType 0 is via NextHop, 1 is on-link. */
public record StaticRoute(
        @JsonProperty("Destination") String destination,
        @JsonProperty("RouteType") int routeType,
        @JsonProperty("NextHop") String nextHop) {

    public static final int CONNECTED = 1;
}
