package io.javanet.driver;

import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.Map;
import java.util.Set;

/**
 * A setting of an endpoint that applies across modes (a bandwidth limit, say): its option keys, given on an
 * endpoint ({@code docker run --network name=NET,driver-opt=KEY=VALUE}) or on the network ({@code -o KEY=VALUE},
 * every endpoint's default); what it makes, after the mode's steps and under the same undo log; its repair at
 * start; its doctor check. What it keeps of an endpoint's options is kept with the endpoint, typed by its parse.
 * Adding one is a class and a line in the catalog of modes.
 */
public interface EndpointFeature {

    /** The option keys it takes; another key of javanet's is refused. */
    Set<String> optionKeys();

    /**
     * Checks the options it takes (the network's, then the endpoint's over them) for an endpoint of {@code mode},
     * each error naming its option; returns what to keep with the endpoint, its values written as parsed: empty
     * where the feature is off. A mode it cannot serve is refused, naming the option and the mode.
     */
    Map<String, String> parse(Map<String, String> options, NetworkMode mode, NetworkRecord network);

    /** Makes what the endpoint's kept options ask for, after the mode made the endpoint. */
    void setUp(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, UndoLog undo);

    /**
     * After Join has been answered; Docker is about to move the container's link into {@code endpoint}'s sandbox.
     * Must not wait for it: what needs the link there waits on a thread of its own.
     */
    default void joined(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode) {
    }

    /** At start: makes again what the kernel lost; returns how many repairs that took. */
    int repair(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode);

    /** For doctor, reading only: the kernel holds what the endpoint's kept options ask for. */
    void check(NetworkRecord network, EndpointRecord endpoint, NetworkMode mode, Findings findings);
}
