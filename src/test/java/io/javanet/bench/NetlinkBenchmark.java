package io.javanet.bench;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.Cidr;
import io.javanet.netlink.RtNetlink;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same kernel work done two ways in one run: through our netlink layer, and by forking {@code ip} as
 * plugins that shell out do. Each operation creates and deletes, so the namespace holds the same between
 * iterations. Run with scripts/bench-netlink.sh (root), which prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetlinkBenchmark {

    private final String ns = "jnb-" + UUID.randomUUID().toString().substring(0, 8);
    private final IPAddress address = Cidr.parseInterfaceAddress("a", "10.99.0.1/24");
    private RtNetlink nl;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        run("ip", "netns", "add", ns);
        nl = RtNetlink.openIn(java.nio.file.Path.of("/run/netns", ns), "javanet:bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        nl.close();
        run("ip", "netns", "del", ns);
    }

    @Benchmark
    public void vethCreateDeleteNetlink() {
        nl.add(new Link.Veth(LinkAttrs.of("bv0", 1500), "bv1", Optional.empty()));
        nl.delete("bv0");
    }

    @Benchmark
    public void vethCreateDeleteForkIp() throws Exception {
        run("ip", "-n", ns, "link", "add", "bv0", "mtu", "1500", "type", "veth", "peer", "name", "bv1");
        run("ip", "-n", ns, "link", "del", "bv0");
    }

    /** A network's bridge with its gateway address, as a bridge network's create makes it, and its removal. */
    @Benchmark
    public void bridgeWithGatewayNetlink() {
        nl.add(new Link.Bridge(LinkAttrs.of("bb0", 1500)));
        nl.add("bb0", address);
        nl.delete("bb0");
    }

    @Benchmark
    public void bridgeWithGatewayForkIp() throws Exception {
        run("ip", "-n", ns, "link", "add", "bb0", "mtu", "1500", "type", "bridge");
        run("ip", "-n", ns, "address", "add", "10.99.0.1/24", "dev", "bb0");
        run("ip", "-n", ns, "link", "del", "bb0");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
