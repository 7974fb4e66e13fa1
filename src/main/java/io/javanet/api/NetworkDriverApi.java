package io.javanet.api;

import io.javanet.api.network.AllocateNetworkRequest;
import io.javanet.api.network.AllocateNetworkResponse;
import io.javanet.api.network.CapabilitiesResponse;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.DiscoveryNotification;
import io.javanet.api.network.EndpointInfoResponse;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.GwAllocCheckResponse;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;

/** One method per {@code NetworkDriver.*} call of libnetwork's remote driver protocol (docs/remote.md). */
public interface NetworkDriverApi {

    CapabilitiesResponse getCapabilities();

    GwAllocCheckResponse gwAllocCheck(GwAllocCheckRequest request);

    EmptyResponse createNetwork(CreateNetworkRequest request);

    EmptyResponse deleteNetwork(NetworkRequest request);

    CreateEndpointResponse createEndpoint(CreateEndpointRequest request);

    EndpointInfoResponse endpointOperInfo(EndpointRequest request);

    EmptyResponse deleteEndpoint(EndpointRequest request);

    JoinResponse join(JoinRequest request);

    EmptyResponse leave(EndpointRequest request);

    EmptyResponse discoverNew(DiscoveryNotification request);

    EmptyResponse discoverDelete(DiscoveryNotification request);

    EmptyResponse programExternalConnectivity(ExternalConnectivityRequest request);

    EmptyResponse revokeExternalConnectivity(EndpointRequest request);

    AllocateNetworkResponse allocateNetwork(AllocateNetworkRequest request);

    EmptyResponse freeNetwork(NetworkRequest request);
}
