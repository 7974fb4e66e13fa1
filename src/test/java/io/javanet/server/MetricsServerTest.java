package io.javanet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.driver.NetworkDriver;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.MemoryKernel;
import io.javanet.metrics.StateMetrics;
import io.javanet.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scrape after real calls through the plugin socket: call timers, state gauges and kernel errors. */
class MetricsServerTest {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    @TempDir
    Path dir;
    private Store store;
    private MemoryKernel kernel;
    private PrometheusMeterRegistry registry;
    private PluginServer plugin;
    private PluginClient client;
    private MetricsServer metrics;

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(dir.resolve("javanet.db"));
        kernel = new MemoryKernel();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        plugin = TestServers.server(dir.resolve("javanet.sock"), store, kernel, registry).start();
        client = new PluginClient(dir.resolve("javanet.sock"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (metrics != null) {
            metrics.close();
        }
        client.close();
        plugin.close();
        store.close();
    }

    private void someCalls() throws Exception {
        client.post("IpamDriver.RequestPool", "{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.123.0.0/24\",\"V6\":false}");
        client.post("IpamDriver.RequestAddress", "{\"PoolID\":\"javanet-local/10.123.0.0/24\",\"Address\":\"\","
                + "\"Options\":{\"RequestAddressType\":\"com.docker.network.gateway\"}}");
        client.post("IpamDriver.RequestAddress", "{\"PoolID\":\"javanet-local/10.123.0.0/24\",\"Address\":\"\"}");
        client.post("NetworkDriver.CreateNetwork", "{\"NetworkID\":\"" + NET + "\",\"Options\":{\"com.docker.network.generic\":"
                + "{\"javanet.mode\":\"routed\"}},\"IPv4Data\":[{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.123.0.0/24\","
                + "\"Gateway\":\"10.123.0.1/24\"}]}");
        client.post("NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"ep1\","
                + "\"Interface\":{\"Address\":\"10.123.0.2/24\"}}");
        kernel.addForeignBridge("jnvep2");
        PluginClient.Reply refused = client.post("NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"" + NET
                + "\",\"EndpointID\":\"ep2\",\"Interface\":{\"Address\":\"10.123.0.3/24\"}}");
        assertThat(refused.status()).isEqualTo(500);
    }

    @Test
    void aScrapeOnTheUnixSocketShowsCallsStateAndKernelErrors() throws Exception {
        Path socket = dir.resolve("metrics/javanet-metrics.sock");
        metrics = MetricsServer.onSocket(socket, registry, new StateMetrics(store, registry, () -> 0)::refresh).start();
        someCalls();
        var response = client.http().newRequest("http://localhost/metrics").transport(new Transport.TCPUnix(socket))
                .timeout(10, TimeUnit.SECONDS).send();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        String text = response.getContentAsString();
        assertThat(text).contains(
                "javanet_calls_seconds_count{call=\"NetworkDriver.CreateNetwork\",outcome=\"ok\"} 1",
                "javanet_calls_seconds_count{call=\"IpamDriver.RequestAddress\",outcome=\"ok\"} 2",
                "javanet_calls_seconds_count{call=\"NetworkDriver.CreateEndpoint\",outcome=\"kernel\"} 1",
                "javanet_kernel_errors_total{call=\"NetworkDriver.CreateEndpoint\",errno=\"EEXIST\"} 1.0",
                "javanet_networks{mode=\"routed\"} 1.0",
                "javanet_networks{mode=\"bridge\"} 0.0",
                "javanet_networks{mode=\"overlay\"} 0.0",
                "javanet_swarm_peers 0.0",
                "javanet_endpoints{mode=\"routed\"} 1.0",
                "javanet_ipam_pool_allocated{pool=\"10.123.0.0/24\"} 2.0",
                "javanet_ipam_pool_capacity{pool=\"10.123.0.0/24\"} 256.0");
        assertThat(text).contains("javanet_calls_seconds_bucket{call=\"NetworkDriver.CreateNetwork\",outcome=\"ok\",le=");
    }

    @Test
    void aScrapeOnALoopbackPortAndAddressesAreChecked() throws Exception {
        metrics = MetricsServer.onAddress(new InetSocketAddress("127.0.0.1", 0), registry,
                new StateMetrics(store, registry, () -> 0)::refresh).start();
        someCalls();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("javanet_networks{mode=\"routed\"} 1.0");
        assertThat(MetricsServer.parseAddress("[::1]:9323")).isEqualTo(new InetSocketAddress("::1", 9323));
        assertThatThrownBy(() -> MetricsServer.parseAddress(":9323")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:x")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> MetricsServer.parseAddress("127.0.0.1:65536")).hasMessageContaining("is not HOST:PORT");
        assertThat(MetricsServer.parseAddress("localhost:9323")).isEqualTo(new InetSocketAddress("localhost", 9323));
    }
}
