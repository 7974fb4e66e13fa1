package io.javanet.bench;

import io.javanet.driver.NetworkDriver;
import io.javanet.kernel.MemoryKernel;
import io.javanet.server.PluginServer;
import io.javanet.server.TestServers;
import io.javanet.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A plugin call end to end inside the plugin, the kernel left out: the daemon's HTTP request over the unix
 * socket, JSON decode, the driver's decision, the SQLite commit (synchronous=FULL, fsync included) and the
 * reply. The kernel is a memory fake, so what is measured is our own cost per call, next to the network of
 * {@code attached} endpoints. Run with scripts/bench-plugin.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PluginCallBenchmark {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    @Param({"0", "1000"})
    public int attached;

    private Path dir;
    private Store store;
    private PluginServer server;
    private DaemonConnection daemon;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("javanet-bench");
        store = Store.open(dir.resolve("javanet.db"));
        MemoryKernel kernel = new MemoryKernel();
        server = TestServers.server(dir.resolve("javanet.sock"), store, kernel,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        daemon = new DaemonConnection(dir.resolve("javanet.sock"));
        call("NetworkDriver.CreateNetwork", "{\"NetworkID\":\"" + NET + "\",\"Options\":{},\"IPv4Data\":[{\"AddressSpace\":"
                + "\"x\",\"Pool\":\"10.128.0.0/16\",\"Gateway\":\"10.128.0.1/16\"}]}");
        for (int i = 0; i < attached; i++) {
            createEndpoint("filler" + i, 2 + i);
            call("NetworkDriver.Join", join("filler" + i));
        }
        createEndpoint("probe", 60000);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        daemon.close();
        server.close();
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Docker's attach of a container: CreateEndpoint, Join, ProgramExternalConnectivity. */
    @Benchmark
    public void attachAndDetach() throws IOException {
        createEndpoint("bench", 60001);
        call("NetworkDriver.Join", join("bench"));
        call("NetworkDriver.ProgramExternalConnectivity", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"bench\","
                + "\"Options\":{}}");
        call("NetworkDriver.Leave", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"bench\"}");
        call("NetworkDriver.DeleteEndpoint", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"bench\"}");
    }

    /** A read-only call, for the floor: HTTP, JSON and one store read. */
    @Benchmark
    public void endpointOperInfo() throws IOException {
        call("NetworkDriver.EndpointOperInfo", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"probe\"}");
    }

    private void createEndpoint(String id, int host) throws IOException {
        call("NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"" + id + "\",\"Interface\":"
                + "{\"Address\":\"10.128." + (host / 256) + "." + (host % 256) + "/16\"}}");
    }

    private static String join(String id) {
        return "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"" + id + "\",\"SandboxKey\":\"/var/run/docker/netns/x\"}";
    }

    private void call(String path, String body) throws IOException {
        daemon.call(path, body);
    }
}
