package io.javanet.engine;

import java.util.Map;

/** Docker's names for IDs: each endpoint's container, and each network's name. */
public record EngineNames(Map<String, String> containerOfEndpoint, Map<String, String> networkNames) {

    public EngineNames {
        containerOfEndpoint = Map.copyOf(containerOfEndpoint);
        networkNames = Map.copyOf(networkNames);
    }

    public String container(String endpointId) {
        return containerOfEndpoint.getOrDefault(endpointId, "");
    }

    /** The network's name, or its short ID where the engine does not know it. */
    public String network(String networkId) {
        return networkNames.getOrDefault(networkId, networkId.substring(0, Math.min(12, networkId.length())));
    }
}
