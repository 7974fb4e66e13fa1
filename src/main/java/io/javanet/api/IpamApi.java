package io.javanet.api;

import io.javanet.api.ipam.AddressSpacesResponse;
import io.javanet.api.ipam.IpamCapabilitiesResponse;
import io.javanet.api.ipam.PoolRequest;
import io.javanet.api.ipam.ReleaseAddressRequest;
import io.javanet.api.ipam.RequestAddressRequest;
import io.javanet.api.ipam.RequestAddressResponse;
import io.javanet.api.ipam.RequestPoolRequest;
import io.javanet.api.ipam.RequestPoolResponse;

/** One method per {@code IpamDriver.*} call of libnetwork's remote IPAM protocol (docs/ipam.md). */
public interface IpamApi {

    IpamCapabilitiesResponse getCapabilities();

    AddressSpacesResponse getDefaultAddressSpaces();

    RequestPoolResponse requestPool(RequestPoolRequest request);

    EmptyResponse releasePool(PoolRequest request);

    RequestAddressResponse requestAddress(RequestAddressRequest request);

    EmptyResponse releaseAddress(ReleaseAddressRequest request);
}
