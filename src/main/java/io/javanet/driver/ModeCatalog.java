package io.javanet.driver;

import io.javanet.kernel.HostKernel;
import io.javanet.store.Store;

/**
 * The modes an install offers, made on the host's links: each mode's {@link NetworkMode}, what they add beyond
 * one host ({@link Cluster}), and the endpoint features ({@link EndpointFeature}). The driver knows modes and
 * features only through this.
 */
@FunctionalInterface
public interface ModeCatalog {

    Installed install(HostLinks host, Store store, HostKernel kernel);

    /** The modes, what a global-scope install adds beyond one host, and the endpoint features of every mode. */
    record Installed(NetworkModes modes, Cluster cluster, EndpointFeatures features) {
    }
}
