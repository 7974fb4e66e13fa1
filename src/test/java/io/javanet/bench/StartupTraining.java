package io.javanet.bench;

import io.javanet.Main;
import io.javanet.driver.NetworkDriver;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.MemoryKernel;
import io.javanet.metrics.StateMetrics;
import io.javanet.net.MacAddress;
import io.javanet.netlink.RtMessages;
import io.javanet.netlink.RtNetlink;
import io.javanet.server.PluginServer;
import io.javanet.server.TestServers;
import io.javanet.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * A training run for the managed plugin's class-data sharing archive (see the Dockerfile): it goes through
 * what a start and Docker's first calls load (server, JSON, driver, IPAM, SQLite, metrics, netlink message
 * encoding), with the kernel faked so that it runs in an unprivileged image build. Run with
 * {@code -XX:DumpLoadedClassList=FILE}; the list names classes, and the archive is dumped from it against the
 * plugin's jar alone.
 */
public final class StartupTraining {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("javanet-training");
        Path socket = dir.resolve("javanet.sock");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MemoryKernel kernel = new MemoryKernel();
        try (Store store = Store.open(dir.resolve("javanet.db"));
             PluginServer server = TestServers.server(socket, store, kernel, registry).start();
             DaemonConnection daemon = new DaemonConnection(socket)) {
            String pool = "\"PoolID\":\"javanet-local/10.128.0.0/24\"";
            String endpoint = "\"NetworkID\":\"" + NET + "\",\"EndpointID\":\"ep1\"";
            String[][] calls = {
                {"Plugin.Activate", ""},
                {"NetworkDriver.GetCapabilities", ""},
                {"IpamDriver.GetDefaultAddressSpaces", ""},
                {"IpamDriver.RequestPool", "{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.128.0.0/24\",\"V6\":false}"},
                {"IpamDriver.RequestAddress", "{" + pool + ",\"Address\":\"\",\"Options\":{\"RequestAddressType\":"
                        + "\"com.docker.network.gateway\"}}"},
                {"NetworkDriver.CreateNetwork", "{\"NetworkID\":\"" + NET + "\",\"Options\":{\"com.docker.network.generic\":"
                        + "{}},\"IPv4Data\":[{\"AddressSpace\":\"javanet-local\",\"Pool\":\"10.128.0.0/24\","
                        + "\"Gateway\":\"10.128.0.1/24\"}]}"},
                {"IpamDriver.RequestAddress", "{" + pool + ",\"Address\":\"\"}"},
                {"NetworkDriver.CreateEndpoint", "{" + endpoint + ",\"Interface\":{\"Address\":\"10.128.0.2/24\"}}"},
                {"NetworkDriver.Join", "{" + endpoint + ",\"SandboxKey\":\"/var/run/docker/netns/x\"}"},
                {"NetworkDriver.ProgramExternalConnectivity", "{" + endpoint + ",\"Options\":{"
                        + "\"com.docker.network.portmap\":[{\"Proto\":6,\"IP\":\"\",\"Port\":80,\"HostIP\":\"\","
                        + "\"HostPort\":8080,\"HostPortEnd\":8080}]}}"},
                {"NetworkDriver.EndpointOperInfo", "{" + endpoint + "}"},
                {"NetworkDriver.RevokeExternalConnectivity", "{" + endpoint + "}"},
                {"NetworkDriver.Leave", "{" + endpoint + "}"},
                {"NetworkDriver.DeleteEndpoint", "{" + endpoint + "}"},
                {"IpamDriver.ReleaseAddress", "{" + pool + ",\"Address\":\"10.128.0.2\"}"},
                {"NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"" + NET + "\"}"},
                {"NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"no-such-network\"}"},
            };
            for (String[] call : calls) {
                daemon.post(call[0], call[1]);
            }
            new StateMetrics(store, registry, () -> 0).refresh();
            registry.scrape();
        }
        RtMessages.newVeth("jnv0", "jnc0", 1500, Optional.of(MacAddress.parse("02:42:0a:80:00:02")), OptionalInt.empty())
                .pack(1, 0);
        // Reading links needs no privilege; the firewall's library may be missing where the image is built.
        try (RtNetlink netlink = RtNetlink.open("javanet:training")) {
            netlink.owned();
            netlink.destinations();
        }
        new CommandLine(new Main()).parseArgs("serve", "--socket", socket.toString());
        for (String name : new String[] {"io.javanet.firewall.NftFirewall", "io.javanet.firewall.Nftables",
                "io.javanet.driver.LinkRemoval", "io.javanet.server.MetricsServer"}) {
            try {
                Class.forName(name, false, StartupTraining.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
