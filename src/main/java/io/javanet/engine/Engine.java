package io.javanet.engine;

import java.util.Optional;

/** The local Docker engine, read only: what it knows of swarm networks that Docker tells no remote driver. */
public interface Engine {

    /** The engine's view of a swarm network, or empty where the engine does not answer or has no such network. */
    Optional<SwarmNetwork> swarmNetwork(String networkId);
}
