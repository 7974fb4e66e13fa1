package io.javanet.driver;

import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The endpoint features an install offers, each run over the endpoints whose kept options name its keys. */
public final class EndpointFeatures {

    private final List<EndpointFeature> features;

    public EndpointFeatures(List<EndpointFeature> features) {
        this.features = List.copyOf(features);
    }

    /** Every key the features take. */
    Set<String> optionKeys() {
        Set<String> keys = new TreeSet<>();
        features.forEach(f -> keys.addAll(f.optionKeys()));
        return keys;
    }

    /** The network's defaults checked as if an endpoint took them all, at CreateNetwork. */
    void checkDefaults(Map<String, String> generic, NetworkMode mode, NetworkRecord network) {
        keep(generic, Map.of(), mode, network);
    }

    /**
     * What an endpoint keeps: each feature's options, the endpoint's ({@code given}, as Docker passes driver-opts)
     * over the network's ({@code generic}).
     */
    Map<String, String> keep(Map<String, String> generic, Map<String, Object> given, NetworkMode mode, NetworkRecord network) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (EndpointFeature feature : features) {
            Map<String, String> options = new HashMap<>();
            for (String key : feature.optionKeys()) {
                if (given.get(key) instanceof String value) {
                    options.put(key, value);
                } else if (generic.containsKey(key)) {
                    options.put(key, generic.get(key));
                }
            }
            if (!options.isEmpty()) {
                kept.putAll(feature.parse(options, mode, network));
            }
        }
        return kept;
    }

    void setUp(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, UndoLog undo) {
        for (EndpointFeature feature : using(endpoint)) {
            feature.setUp(network, endpoint, mode, undo);
        }
    }

    void joined(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
        using(endpoint).forEach(f -> f.joined(network, endpoint, mode));
    }

    int repair(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
        return using(endpoint).stream().mapToInt(f -> f.repair(network, endpoint, mode)).sum();
    }

    void check(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, Findings findings) {
        using(endpoint).forEach(f -> f.check(network, endpoint, mode, findings));
    }

    private List<EndpointFeature> using(EndpointRecord endpoint) {
        return features.stream().filter(f -> f.optionKeys().stream().anyMatch(endpoint.features()::containsKey)).toList();
    }
}
