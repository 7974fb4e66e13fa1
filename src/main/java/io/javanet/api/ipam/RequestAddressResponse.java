package io.javanet.api.ipam;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Reply to {@code RequestAddress}: the address in CIDR form, with the pool's prefix length. */
public record RequestAddressResponse(
        @JsonProperty("Address") String address,
        @JsonProperty("Data") Map<String, String> data) {
}
