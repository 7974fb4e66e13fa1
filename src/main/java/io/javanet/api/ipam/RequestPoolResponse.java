package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Reply to {@code RequestPool}: the handle for later calls and the pool in CIDR form. */
public record RequestPoolResponse(
        @JsonProperty("PoolID") String poolId,
        @JsonProperty("Pool") String pool,
        @JsonProperty("Data") Map<String, String> data) {
}
