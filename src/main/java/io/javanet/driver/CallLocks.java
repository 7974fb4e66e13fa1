package io.javanet.driver;

import com.google.common.util.concurrent.Striped;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Which driver calls run together. Calls on endpoints run in parallel, one at a time per endpoint (Docker sends
 * an endpoint's calls in order, but a lost reply can bring a repeat), so a burst of containers is not served one
 * call at a time. Calls that change the set of networks or the swarm, and start-up repair, run alone. What
 * endpoint calls share is serialized where it lives: the store (group commit), the netlink socket, the firewall,
 * published ports, and IPAM's address pools.
 */
final class CallLocks {

    private final ReentrantReadWriteLock networks = new ReentrantReadWriteLock();
    private final Striped<Lock> endpoints = Striped.lock(64);

    /** Runs a call that no other call may overlap. */
    <T> T alone(Supplier<T> call) {
        networks.writeLock().lock();
        try {
            return call.get();
        } finally {
            networks.writeLock().unlock();
        }
    }

    void alone(Runnable call) {
        alone(() -> {
            call.run();
            return null;
        });
    }

    /** Runs a call on one endpoint: beside calls on other endpoints, never beside a network's create or delete. */
    <T> T onEndpoint(String endpointId, Supplier<T> call) {
        networks.readLock().lock();
        try {
            Lock endpoint = endpoints.get(Objects.toString(endpointId, ""));
            endpoint.lock();
            try {
                return call.get();
            } finally {
                endpoint.unlock();
            }
        } finally {
            networks.readLock().unlock();
        }
    }
}
