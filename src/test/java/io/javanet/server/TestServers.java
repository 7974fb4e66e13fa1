package io.javanet.server;

import io.javanet.driver.LinkRemoval;
import io.javanet.driver.NetworkDriver;
import io.javanet.firewall.RecordingBalancer;
import io.javanet.firewall.RecordingFirewall;
import io.javanet.ipam.DefaultPools;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.MemoryKernel;
import io.javanet.modes.Modes;
import io.javanet.net.Scope;
import io.javanet.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.javanet.sys.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Our server wired as Main wires it, on a memory kernel and a recording firewall: what tests and benchmarks serve. */
public final class TestServers {

    private TestServers() {
    }

    /** A server for {@code socket}, not yet started. */
    public static PluginServer server(Path socket, Store store, MemoryKernel kernel, MeterRegistry registry) {
        return server(socket, store, kernel, registry, PluginServer.IDLE_TIMEOUT);
    }

    static PluginServer server(Path socket, Store store, MemoryKernel kernel, MeterRegistry registry, Duration idleTimeout) {
        return new PluginServer(socket, driver(socket, store, kernel), new IpamDriver(store, DefaultPools.standard(), kernel),
                registry, CompletableFuture.completedFuture(null), idleTimeout);
    }

    /** A local-scope driver on the memory kernel, as the server's: no UDP leaves a unit test. */
    static NetworkDriver driver(Path socket, Store store, MemoryKernel kernel) {
        return new NetworkDriver(store, HostKernel.of(kernel, kernel, kernel, (address, port, datagram) -> Optional.empty()),
                new RecordingFirewall(), LinkRemoval.inline(kernel), Scope.LOCAL,
                new Modes(new RecordingBalancer(), Sandboxes.ON_THE_HOST, socket.resolveSibling("no-secret")));
    }
}
