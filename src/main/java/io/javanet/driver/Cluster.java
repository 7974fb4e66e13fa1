package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.engine.Engine;
import io.javanet.engine.SwarmNetwork;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a mode adds beyond one host, for a global-scope install: the swarm leader's choices for a network, the
 * other nodes as Docker announces them, what the engine knows and the plugin protocol does not say, keys that
 * rotate, and doctor's checks of all of it. {@link #NONE} is a local-scope install's: nothing beyond the host.
 */
public interface Cluster {

    /** AllocateNetwork on the swarm's leader: the options every node will create the network with. */
    Map<String, String> allocate(String networkId, Map<String, String> given);

    /** FreeNetwork on the swarm's leader. */
    void free(String networkId);

    /** DiscoverNew with {@code Self}: this node's own address. */
    void thisNode(IPAddress node);

    /** DiscoverNew of another node. */
    void nodeJoined(IPAddress node);

    /** DiscoverDelete of another node. */
    void nodeLeft(IPAddress node);

    /** The engine's view of each network that needs one, asked without any lock held. */
    Map<String, SwarmNetwork> ask(Engine engine);

    /** Applies views that {@link #ask} gave, under the driver's lock. */
    void follow(Map<String, SwarmNetwork> views);

    /** Rotates keys if their source changed, under the driver's lock. */
    void rotateKeys();

    /** A network of ours is gone from this node. */
    void forget(String networkId);

    /** How many other nodes this node's networks reach now, for the metrics. */
    int peerCount();

    /** Read only, for doctor, under the driver's lock: what the cluster holds for this node as a whole. */
    void check(Findings findings);

    /**
     * Read only, for doctor, under the driver's lock: what the cluster holds for one network of its mode; returns
     * the nodes it reaches the network's other members through, by their addresses; empty for another network.
     */
    Optional<List<String>> checkNetwork(NetworkRecord network, Findings findings);

    /** Read only, for doctor, without the lock: checks that wait on the other nodes. */
    void checkReach(List<NetworkRecord> networks, Findings findings);

    /** A local-scope install's: nothing beyond the host. */
    Cluster NONE = new Cluster() {
        @Override
        public Map<String, String> allocate(String networkId, Map<String, String> given) {
            throw new IllegalStateException("a local-scope install allocates no swarm network");
        }

        @Override
        public void free(String networkId) {
        }

        @Override
        public void thisNode(IPAddress node) {
        }

        @Override
        public void nodeJoined(IPAddress node) {
        }

        @Override
        public void nodeLeft(IPAddress node) {
        }

        @Override
        public Map<String, SwarmNetwork> ask(Engine engine) {
            return Map.of();
        }

        @Override
        public void follow(Map<String, SwarmNetwork> views) {
        }

        @Override
        public void rotateKeys() {
        }

        @Override
        public void forget(String networkId) {
        }

        @Override
        public int peerCount() {
            return 0;
        }

        @Override
        public void check(Findings findings) {
        }

        @Override
        public Optional<List<String>> checkNetwork(NetworkRecord network, Findings findings) {
            return Optional.empty();
        }

        @Override
        public void checkReach(List<NetworkRecord> networks, Findings findings) {
        }
    };
}
