package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.javanet.netlink.ThrowawayNamespace;
import io.javanet.sys.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service VIPs balanced in a client's own namespace, with real traffic: a client and two tasks (busybox httpd
 * answering its name) on one switch, as containers of one overlay network on one node are.
 */
@Tag("kernel")
class ServiceBalancerKernelTest {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";
    private static final String VIP = "10.92.0.2";

    @TempDir
    Path dir;
    private final List<ThrowawayNamespace> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private ThrowawayNamespace client;
    private final ServiceBalancer balancer = new NftServiceBalancer(Sandboxes.ON_THE_HOST);

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    private ThrowawayNamespace namespace() {
        ThrowawayNamespace ns = new ThrowawayNamespace();
        namespaces.add(ns);
        return ns;
    }

    /** A host on the switch: eth0 with the address, its peer a port of the switch's bridge. */
    private ThrowawayNamespace host(ThrowawayNamespace lan, String port, String address) {
        ThrowawayNamespace host = namespace();
        ThrowawayNamespace.run("ip", "-n", lan.name, "link", "add", port, "type", "veth", "peer", "name", "eth0",
                "netns", host.name);
        ThrowawayNamespace.run("ip", "-n", lan.name, "link", "set", port, "master", "br0", "up");
        ThrowawayNamespace.run("ip", "-n", host.name, "addr", "add", address + "/24", "dev", "eth0");
        ThrowawayNamespace.run("ip", "-n", host.name, "link", "set", "eth0", "up");
        return host;
    }

    private void task(ThrowawayNamespace lan, String name, String address) throws IOException {
        ThrowawayNamespace task = host(lan, "p" + name, address);
        Path www = Files.createDirectories(dir.resolve(name));
        Files.writeString(www.resolve("index.html"), name + "\n");
        servers.add(new ProcessBuilder("ip", "netns", "exec", task.name, "busybox", "httpd", "-f", "-p", "80",
                "-h", www.toString()).start());
        // A bound on readiness, not a timing: under QEMU's TCG an httpd takes long to answer its first request.
        await().atMost(Duration.ofSeconds(90)).until(() -> get(address).equals(name));
    }

    /** What a GET from the client to the address answers: the task's name, or empty. */
    private String get(String address) {
        try {
            return ThrowawayNamespace.run("ip", "netns", "exec", client.name, "curl", "-sf", "-m", "2",
                    "http://" + address + "/").strip();
        } catch (IllegalStateException e) {
            return "";
        }
    }

    private Map<String, Integer> answers(int requests) {
        return answers(VIP, requests);
    }

    private Map<String, Integer> answers(String vip, int requests) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            seen.merge(get(vip), 1, Integer::sum);
        }
        return seen;
    }

    /** The handle of the rule in a service's chain: a rule made anew gets another. */
    private String ruleHandle(String chain) {
        String listing = ThrowawayNamespace.run("ip", "netns", "exec", client.name, "nft", "-a", "list", "chain", "ip",
                "javanet-vip-3db071b3a55c", chain);
        return listing.lines().filter(l -> l.contains("dnat")).map(l -> l.replaceAll(".*# handle ", "")).findFirst()
                .orElseThrow(() -> new AssertionError("no rule in " + listing));
    }

    private String tables() {
        return ThrowawayNamespace.run("ip", "netns", "exec", client.name, "nft", "list", "tables");
    }

    @BeforeEach
    void setUp() throws IOException {
        ThrowawayNamespace lan = namespace();
        ThrowawayNamespace.run("ip", "-n", lan.name, "link", "add", "br0", "type", "bridge");
        ThrowawayNamespace.run("ip", "-n", lan.name, "link", "set", "br0", "up");
        client = host(lan, "pclient", "10.92.0.10");
        task(lan, "a", "10.92.0.3");
        task(lan, "b", "10.92.0.4");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process server : servers) {
            server.destroyForcibly().waitFor();
        }
        namespaces.forEach(ThrowawayNamespace::close);
    }

    /** A change of one service leaves the others' chains as they were, and traffic follows it. */
    @Test
    void aChangeTouchesOnlyTheServicesThatChanged() {
        String other = "10.92.0.20";
        String gone = "10.92.0.30";
        List<VirtualIp> before = List.of(new VirtualIp(ip(VIP), List.of(ip("10.92.0.3"))),
                new VirtualIp(ip(other), List.of(ip("10.92.0.4"))), new VirtualIp(ip(gone), List.of(ip("10.92.0.4"))));
        balancer.program(client.path.toString(), NET, before);
        assertThat(answers(5)).containsOnlyKeys("a");
        assertThat(answers(gone, 3)).containsOnlyKeys("b");
        String untouched = ruleHandle("vip-10-92-0-20");
        String scaled = ruleHandle("vip-10-92-0-2");

        String added = "10.92.0.40";
        balancer.change(client.path.toString(), NET, before, List.of(
                new VirtualIp(ip(VIP), List.of(ip("10.92.0.3"), ip("10.92.0.4"))),
                new VirtualIp(ip(other), List.of(ip("10.92.0.4"))), new VirtualIp(ip(added), List.of(ip("10.92.0.3")))));
        assertThat(answers(30)).as("scaled up: both tasks answer").containsOnlyKeys("a", "b");
        assertThat(answers(other, 3)).containsOnlyKeys("b");
        assertThat(answers(added, 3)).as("a new service").containsOnlyKeys("a");
        assertThat(answers(gone, 2)).as("a service gone").containsOnlyKeys("");
        assertThat(ruleHandle("vip-10-92-0-20")).as("the unchanged service's rule").isEqualTo(untouched);
        assertThat(ruleHandle("vip-10-92-0-2")).as("the changed one's, made anew").isNotEqualTo(scaled);
    }

    @Test
    void connectionsToTheVipSpreadOverItsTasksFollowTheirChangesAndStopWithTheTable() {
        assertThat(get(VIP)).as("no one holds the VIP itself").isEmpty();

        balancer.program(client.path.toString(), NET, List.of(new VirtualIp(ip(VIP), List.of(ip("10.92.0.3"), ip("10.92.0.4")))));
        assertThat(answers(30)).as("both tasks answer, and only they").containsOnlyKeys("a", "b");

        balancer.program(client.path.toString(), NET, List.of(new VirtualIp(ip(VIP), List.of(ip("10.92.0.4")))));
        assertThat(answers(10)).as("a task gone is asked no more").containsOnlyKeys("b");
        assertThat(tables()).contains("table ip javanet-vip-3db071b3a55c");

        balancer.remove(client.path.toString(), NET);
        assertThat(tables()).as("the table goes").doesNotContain("javanet-vip");
        assertThat(get("10.92.0.4")).as("the task is still there").isEqualTo("b");
        assertThat(get(VIP)).as("but no longer behind the VIP").isEmpty();
        balancer.remove(client.path.toString(), NET);
        balancer.remove(dir.resolve("a-namespace-gone").toString(), NET);
    }
}
