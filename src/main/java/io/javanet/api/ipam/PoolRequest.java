package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code IpamDriver.ReleasePool}. */
public record PoolRequest(@JsonProperty("PoolID") String poolId) {
}
