package io.javanet.driver;

import io.javanet.kernel.HostKernel;
import io.javanet.store.Store;

/**
 * The modes an install offers, made on the host's links: each mode's {@link NetworkMode}, and what they add
 * beyond one host ({@link Cluster}). The driver knows modes only through this.
 */
@FunctionalInterface
public interface ModeCatalog {

    Installed install(HostLinks host, Store store, HostKernel kernel);

    /** The modes, and what a global-scope install adds beyond one host. */
    record Installed(NetworkModes modes, Cluster cluster) {
    }
}
