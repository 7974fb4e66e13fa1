package io.javanet.driver.overlay;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.javanet.api.network.AllocateNetworkRequest;
import io.javanet.api.network.DiscoveryNotification;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.api.status.Diagnosis;
import io.javanet.crypto.NodeKeys;
import io.javanet.crypto.OverlaySecret;
import io.javanet.driver.DriverTestBase;
import io.javanet.driver.LinkNames;
import io.javanet.driver.LinkRemoval;
import io.javanet.driver.NetworkDriver;
import io.javanet.engine.Engine;
import io.javanet.engine.SwarmNetwork;
import io.javanet.firewall.VirtualIp;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.MemoryKernel;
import io.javanet.kernel.UdpProbe;
import io.javanet.kernel.WireGuardKey;
import io.javanet.kernel.WireGuardPeer;
import io.javanet.modes.Modes;
import io.javanet.net.Cidr;
import io.javanet.net.Scope;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import io.javanet.sys.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlay networks of a global-scope install: allocation on the leader, and a VXLAN device per node with macvlans on it. */
class OverlayModeTest extends DriverTestBase {

    private static final String VXLAN = "jnx3db071b3a55c";
    private NetworkDriver global;
    @TempDir
    Path stateDir;
    private Path secret;
    /** Nodes' ports that refuse UDP, as "ADDRESS:PORT", with the reason the probe gives. */
    private final Map<String, String> refusing = new HashMap<>();

    @BeforeEach
    void globalDriver() {
        secret = stateDir.resolve("overlay-secret");
        global = globalDriver(store);
    }

    /** A global-scope driver on this test's kernel, its overlay secret in {@link #secret}. */
    private NetworkDriver globalDriver(Store on) {
        UdpProbe probe = (address, port, datagram) -> Optional.ofNullable(refusing.get(Cidr.hostText(address) + ":" + port));
        return new NetworkDriver(on, HostKernel.of(kernel, kernel, kernel, probe), firewall, LinkRemoval.inline(kernel),
                Scope.GLOBAL, new Modes(balancer, Sandboxes.ON_THE_HOST, secret));
    }

    private static DiscoveryNotification node(String address, boolean self) {
        return new DiscoveryNotification(1, Map.of("Address", address, "BindAddress", "0.0.0.0", "Self", self));
    }

    /** The options AllocateNetwork gave, as swarm hands them to every node's CreateNetwork. */
    private Map<String, Object> allocated(String networkId, boolean internal) {
        Map<String, String> generic = global.allocateNetwork(new AllocateNetworkRequest(networkId, Map.of(), List.of(), List.of()))
                .options();
        return internal ? Map.of("com.docker.network.generic", generic, "com.docker.network.internal", true)
                : Map.of("com.docker.network.generic", generic);
    }

    @Test
    void theLeaderGivesEachNetworkItsOwnVxlanIdTheSameEachTimeUntilFreed() {
        Map<String, String> first = global.allocateNetwork(new AllocateNetworkRequest(NET, Map.of("foo", "bar"), List.of(), List.of()))
                .options();
        assertThat(first).containsEntry("foo", "bar").containsEntry("com.docker.network.driver.mtu", "1450")
                .containsKey("javanet.vni");
        assertThat(global.allocateNetwork(new AllocateNetworkRequest(NET, Map.of("foo", "bar"), List.of(), List.of())).options())
                .isEqualTo(first);
        String other = global.allocateNetwork(new AllocateNetworkRequest("n2", Map.of(), List.of(), List.of()))
                .options().get("javanet.vni");
        assertThat(other).isNotEqualTo(first.get("javanet.vni"));
        kernel.setUplinkMtu(9000);
        assertThat(global.allocateNetwork(new AllocateNetworkRequest("jumbo", Map.of(), List.of(), List.of())).options())
                .as("50 below the underlay's").containsEntry("com.docker.network.driver.mtu", "8950");
        assertThat(global.allocateNetwork(new AllocateNetworkRequest("asked", Map.of("com.docker.network.driver.mtu",
                "1400"), List.of(), List.of())).options()).as("the user's").containsEntry("com.docker.network.driver.mtu", "1400");
        global.freeNetwork(new NetworkRequest("jumbo"));
        global.freeNetwork(new NetworkRequest("asked"));
        global.freeNetwork(new NetworkRequest(NET));
        assertThat(store.read(Tx::vnis)).containsOnlyKeys("n2");
        assertThat(failure(() -> driver.allocateNetwork(new AllocateNetworkRequest("n3", Map.of(), List.of(), List.of()))))
                .hasMessageContaining("this javanet install is local-scope");
    }

    private static final String WG = OverlayEncryption.DEVICE;

    /** The swarm's secret, as wg genkey makes it: 32 bytes, root's alone. */
    private OverlaySecret writeSecret(int seed) throws Exception {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        Files.writeString(secret, Base64.getEncoder().encodeToString(bytes));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        return OverlaySecret.of(bytes);
    }

    private Map<String, Object> allocatedEncrypted(String networkId) {
        Map<String, String> generic = global.allocateNetwork(new AllocateNetworkRequest(networkId, Map.of("encrypted", ""),
                List.of(), List.of())).options();
        return Map.of("com.docker.network.generic", generic);
    }

    /**
     * An encrypted network: the node's WireGuard device, keyed from the secret and this node's address, has every
     * other node as a peer (its key derived alike, its tunnel address allowed); the VXLAN device sends from this
     * node's tunnel address through the device and floods to the others' tunnel addresses; the MTU leaves room
     * for both headers.
     */
    @Test
    void anEncryptedNetworkIsVxlanInsideTheNodesWireGuardDeviceKeyedFromTheSecret() throws Exception {
        OverlaySecret swarmSecret = writeSecret(1);
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));
        Map<String, Object> options = allocatedEncrypted(NET);
        assertThat(((Map<?, ?>) options.get("com.docker.network.generic")).get("com.docker.network.driver.mtu"))
                .as("150 below the underlay's").isEqualTo("1350");
        global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"));

        MemoryKernel.WireGuardDevice device = kernel.wireguard(WG).orElseThrow();
        assertThat(device.privateKey()).isEqualTo(NodeKeys.privateKey(swarmSecret, "192.0.2.11"));
        assertThat(device.listenPort()).isEqualTo(OverlayEncryption.WIREGUARD_PORT);
        assertThat(device.peers().values()).containsExactly(new WireGuardPeer(NodeKeys.publicKey(swarmSecret, "192.0.2.12"),
                Cidr.parseHost("peer", "192.0.2.12"), OverlayEncryption.WIREGUARD_PORT, Cidr.parseHost("t", "fe80::c000:20c")));
        assertThat(kernel.link(WG).orElseThrow().mtu()).isEqualTo(1350 + 70);
        assertThat(kernel.addresses(WG)).containsExactly(Cidr.parseInterfaceAddress("a", "fe80::c000:20b/64"));
        assertThat(kernel.link(WG).orElseThrow().up()).isTrue();
        String vni = ((Map<?, ?>) options.get("com.docker.network.generic")).get("javanet.vni").toString();
        assertThat(kernel.vxlan(VXLAN)).contains(vni + "/" + OverlayEncryption.VXLAN_PORT + "/fe80::c000:20b%" + WG);
        assertThat(kernel.floods(VXLAN)).containsExactly("fe80::c000:20c");

        global.discoverNew(node("192.0.2.13", false));
        assertThat(device().peers()).hasSize(2);
        assertThat(kernel.floods(VXLAN)).containsExactlyInAnyOrder("fe80::c000:20c", "fe80::c000:20d");
        global.discoverDelete(node("192.0.2.12", false));
        assertThat(device().peers().keySet()).as("a node that left can no longer decrypt")
                .containsExactly(NodeKeys.publicKey(swarmSecret, "192.0.2.13"));
        assertThat(kernel.floods(VXLAN)).containsExactly("fe80::c000:20d");

        Map<String, Object> second = allocatedEncrypted("n2");
        global.createNetwork(network("n2", second, "10.95.0.0/24", "10.95.0.1/24"));
        global.createNetwork(network("plain", allocated("plain", false), "10.96.0.0/24", "10.96.0.1/24"));
        assertThat(kernel.floods(LinkNames.vxlan("plain"))).as("in the clear, to the node's own address")
                .containsExactly("192.0.2.13");
        global.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).as("kept for the other encrypted network").contains(WG);
        global.deleteNetwork(new NetworkRequest("n2"));
        assertThat(kernel.linkNames()).as("gone with the last encrypted network").containsExactly(LinkNames.vxlan("plain"));
    }

    private MemoryKernel.WireGuardDevice device() {
        return kernel.wireguard(WG).orElseThrow();
    }

    @Test
    void aNewSecretRotatesEveryKeyAndTheOldPeersKeysGo() throws Exception {
        writeSecret(1);
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));
        global.createNetwork(network(NET, allocatedEncrypted(NET), "10.92.0.0/24", "10.92.0.1/24"));
        WireGuardKey before = device().privateKey();
        global.rotateKeys();
        assertThat(device().privateKey()).as("an unchanged secret changes nothing").isEqualTo(before);

        OverlaySecret rotated = writeSecret(2);
        global.rotateKeys();
        assertThat(device().privateKey()).isEqualTo(NodeKeys.privateKey(rotated, "192.0.2.11")).isNotEqualTo(before);
        assertThat(device().peers().keySet()).containsExactly(NodeKeys.publicKey(rotated, "192.0.2.12"));

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        global.rotateKeys();
        assertThat(device().privateKey()).as("a secret others may read is not taken; the keys in use stay")
                .isEqualTo(NodeKeys.privateKey(rotated, "192.0.2.11"));
    }

    /**
     * Without WireGuard in the kernel, without the secret, or before Docker said which node this is, an encrypted
     * network is refused with what to do, and nothing is made: never a network in the clear in its place.
     */
    @Test
    void anEncryptedNetworkThisNodeCannotEncryptIsRefusedAndNothingIsMade() throws Exception {
        Map<String, Object> options = allocatedEncrypted(NET);
        kernel.wireguardSupported = false;
        assertThat(failure(() -> global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"))))
                .as("the kernel first: no secret or address fixes that")
                .hasMessageStartingWith("-o encrypted: this node's kernel has no WireGuard");
        kernel.wireguardSupported = true;
        writeSecret(1);
        assertThat(failure(() -> global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"))))
                .hasMessageStartingWith("-o encrypted: this node's swarm address is not known yet");
        assertThat(kernel.linkNames()).isEmpty();
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));

        kernel.wireguardSupported = false;
        assertThat(failure(() -> global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"))))
                .hasMessage("-o encrypted: this node's kernel has no WireGuard (modprobe wireguard, or a kernel built"
                        + " with it); javanet does not make an encrypted network in the clear");
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(kernel.linkNames()).isEmpty();

        kernel.wireguardSupported = true;
        Files.delete(secret);
        assertThat(failure(() -> global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"))))
                .hasMessageStartingWith("-o encrypted: the swarm's overlay secret: " + secret + " does not exist");
        assertThat(kernel.linkNames()).isEmpty();

        writeSecret(1);
        global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"));
        assertThat(kernel.linkNames()).containsExactlyInAnyOrder(WG, VXLAN);
    }

    @Test
    void encryptionIsForOverlayNetworksAndTakesNoValue() {
        assertThat(failure(() -> driver.createNetwork(network("local", Map.of("com.docker.network.generic",
                Map.of("encrypted", "")), "10.94.0.0/24", "10.94.0.1/24"))))
                .hasMessage("-o encrypted: only for -o javanet.mode=overlay, not bridge");
        assertThat(failure(() -> global.allocateNetwork(new AllocateNetworkRequest(NET, Map.of("encrypted", "no"),
                List.of(), List.of())))).hasMessageStartingWith("-o encrypted: takes no value (or true), got \"no\"");
    }

    /** A secret gone while the plugin was down stops neither its start nor its other networks. */
    @Test
    void aSecretGoneAtStartLeavesTheEncryptedNetworkAsItIsAndTheOthersStart() throws Exception {
        writeSecret(1);
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));
        global.createNetwork(network(NET, allocatedEncrypted(NET), "10.92.0.0/24", "10.92.0.1/24"));
        global.createNetwork(network("plain", allocated("plain", false), "10.96.0.0/24", "10.96.0.1/24"));
        WireGuardKey key = device().privateKey();
        Files.delete(secret);
        kernel.delete(LinkNames.vxlan("plain"));

        assertThat(globalDriver(store).reconcile()).isEqualTo(1);
        assertThat(kernel.linkNames()).containsExactlyInAnyOrder(WG, VXLAN, LinkNames.vxlan("plain"));
        assertThat(device().privateKey()).isEqualTo(key);
    }

    /** After a crash, or someone deleting the device: reconciliation makes it again, keyed, with its peers. */
    @Test
    void reconciliationRebuildsTheWireGuardDeviceAndItsPeers() throws Exception {
        OverlaySecret swarmSecret = writeSecret(1);
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));
        global.createNetwork(network(NET, allocatedEncrypted(NET), "10.92.0.0/24", "10.92.0.1/24"));
        kernel.delete(WG);
        kernel.delete(VXLAN);

        NetworkDriver restarted = globalDriver(store);
        assertThat(restarted.reconcile()).isEqualTo(2);
        assertThat(device().privateKey()).isEqualTo(NodeKeys.privateKey(swarmSecret, "192.0.2.11"));
        assertThat(device().peers().keySet()).containsExactly(NodeKeys.publicKey(swarmSecret, "192.0.2.12"));
        assertThat(kernel.addresses(WG)).containsExactly(Cidr.parseInterfaceAddress("a", "fe80::c000:20b/64"));
        assertThat(kernel.floods(VXLAN)).containsExactly("fe80::c000:20c");
    }

    @Test
    void aNodeIsAVxlanDeviceFloodingToEveryOtherNodeOfTheSwarm() {
        global.discoverNew(node("192.0.2.11", true));
        global.discoverNew(node("192.0.2.12", false));
        Map<String, Object> options = allocated(NET, false);
        global.createNetwork(network(NET, options, "10.92.0.0/24", "10.92.0.1/24"));
        String vni = ((Map<?, ?>) options.get("com.docker.network.generic")).get("javanet.vni").toString();
        assertThat(kernel.vxlan(VXLAN)).contains(vni + "/" + OverlayMode.VXLAN_PORT);
        assertThat(kernel.link(VXLAN).orElseThrow().mtu()).isEqualTo(1450);
        assertThat(kernel.link(VXLAN).orElseThrow().up()).isTrue();
        assertThat(kernel.floods(VXLAN)).containsExactly("192.0.2.12");
        assertThat(kernel.linkNames()).as("no bridge, no gateway of ours").containsExactly(VXLAN);

        global.discoverNew(node("192.0.2.13", false));
        assertThat(kernel.floods(VXLAN)).containsExactlyInAnyOrder("192.0.2.12", "192.0.2.13");
        assertThat(failure(() -> global.discoverNew(new DiscoveryNotification(1, null))))
                .hasMessage("DiscoveryData: expected an object with Address, got null");
        global.discoverDelete(node("192.0.2.12", false));
        assertThat(kernel.floods(VXLAN)).containsExactly("192.0.2.13");
        assertThat(store.read(Tx::peers)).containsExactly("192.0.2.13");

        global.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).isEmpty();
    }

    /**
     * A plugin installed on a node already in the swarm hears of no other node (Docker announces a node only as
     * it joins): the engine's view of each network, which has them, is followed instead, joined to what Docker
     * did announce.
     */
    @Test
    void theNodesTheEngineSaysHaveANetworkAreFloodedToUntilItNoLongerListsThem() {
        kernel.addForeignBridge("eth0");
        kernel.add("eth0", Cidr.parseInterfaceAddress("self", "192.0.2.11/24"));
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        global.createNetwork(network("other", allocated("other", false), "10.94.0.0/24", "10.94.0.1/24"));
        assertThat(kernel.floods(VXLAN)).as("a late install: no node announced").isEmpty();
        Map<String, List<String>> peers = new HashMap<>(Map.of(NET, List.of("192.0.2.11", "192.0.2.12", "192.0.2.13")));
        Engine engine = id -> Optional.ofNullable(peers.get(id)).map(p -> new SwarmNetwork(
                p.stream().map(a -> Cidr.parseHost("peer", a)).toList(), List.of()));

        global.followEngine(engine);
        assertThat(kernel.floods(VXLAN)).as("every node but this one").containsExactlyInAnyOrder("192.0.2.12", "192.0.2.13");
        assertThat(kernel.floods(LinkNames.vxlan("other"))).as("a network the engine does not list").isEmpty();
        assertThat(global.swarmPeers()).as("the peers gauge counts them").isEqualTo(2);

        global.discoverNew(node("192.0.2.13", false));
        peers.put(NET, List.of("192.0.2.11"));
        global.followEngine(engine);
        assertThat(kernel.floods(VXLAN)).as("announced by Docker: kept until DiscoverDelete").containsExactly("192.0.2.13");
        assertThat(kernel.floods(LinkNames.vxlan("other"))).containsExactly("192.0.2.13");
        assertThat(global.swarmPeers()).as("announced, or listed by the engine").isEqualTo(1);

        global.followEngine(id -> Optional.empty());
        assertThat(kernel.floods(VXLAN)).as("an engine that does not answer changes nothing").containsExactly("192.0.2.13");
        driver.followEngine(engine);
        assertThat(kernel.floods(VXLAN)).as("a local install follows nothing").containsExactly("192.0.2.13");
    }

    /**
     * Doctor on a node: a flood entry someone deleted, for a node the engine says has the network, is named with
     * its fix and a restart clears it; a node whose tunnel port refuses UDP is named; the kernel's flood list is
     * reported by node address, an encrypted network's too.
     */
    @Test
    void doctorNamesAMissingFloodEntryAndANodeThatRefusesTheTunnel() throws Exception {
        writeSecret(1);
        kernel.addForeignBridge("eth0");
        kernel.add("eth0", Cidr.parseInterfaceAddress("self", "192.0.2.11/24"));
        global.discoverNew(node("192.0.2.11", true));
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        global.createNetwork(network("secret", allocatedEncrypted("secret"), "10.93.0.0/24", "10.93.0.1/24"));
        Engine engine = id -> Optional.of(new SwarmNetwork(List.of(Cidr.parseHost("p", "192.0.2.11"),
                Cidr.parseHost("p", "192.0.2.12")), List.of()));
        global.followEngine(engine);

        Diagnosis healthy = global.diagnose();
        assertThat(healthy.checks()).filteredOn(c -> !c.ok()).isEmpty();
        assertThat(healthy.node()).isEqualTo("192.0.2.11");
        assertThat(healthy.floods()).containsEntry(NET, List.of("192.0.2.12")).containsEntry("secret", List.of("192.0.2.12"));
        assertThat(healthy.checks()).filteredOn(c -> c.check().equals("flooding")).extracting(Check::network, Check::detail)
                .containsExactlyInAnyOrder(tuple(NET, "to node 192.0.2.12"), tuple("secret", "to node 192.0.2.12"));
        assertThat(healthy.checks()).filteredOn(c -> c.check().equals("tunnel")).extracting(Check::detail)
                .containsExactlyInAnyOrder("node 192.0.2.12 takes UDP " + OverlayMode.VXLAN_PORT,
                        "node 192.0.2.12 takes UDP " + OverlayEncryption.WIREGUARD_PORT);

        kernel.removeFlood(VXLAN, Cidr.parseHost("p", "192.0.2.12"));
        refusing.put("192.0.2.12:" + OverlayMode.VXLAN_PORT, "nothing listens on UDP 4800 there (ICMP port unreachable)");
        Diagnosis broken = global.diagnose();
        assertThat(broken.floods()).containsEntry(NET, List.of());
        assertThat(broken.checks()).filteredOn(c -> !c.ok()).extracting(Check::network, Check::check, Check::detail)
                .containsExactly(tuple(NET, "flooding", VXLAN + " does not flood to node 192.0.2.12, which has the network:"
                                + " its containers and this node's cannot start a conversation"),
                        tuple("", "tunnel", "node 192.0.2.12 refuses UDP 4800: nothing listens on UDP 4800 there (ICMP port"
                                + " unreachable)"));

        refusing.clear();
        NetworkDriver restarted = globalDriver(store);
        restarted.reconcile();
        restarted.followEngine(engine);
        assertThat(restarted.diagnose().checks()).filteredOn(c -> !c.ok()).isEmpty();
    }

    private void attach(String endpoint, String address, String sandbox) {
        global.createEndpoint(new io.javanet.api.network.CreateEndpointRequest(NET, endpoint,
                new io.javanet.api.network.EndpointInterface(address, "", ""), Map.of()));
        global.join(new JoinRequest(NET, endpoint, sandbox, Map.of()));
    }

    private static SwarmNetwork services(String vip, String... tasks) {
        return new SwarmNetwork(List.of(), List.of(new SwarmNetwork.Service("web", Cidr.parseHost("vip", vip),
                java.util.Arrays.stream(tasks).map(t -> Cidr.parseHost("task", t)).toList())));
    }

    private static VirtualIp vip(String vip, String... tasks) {
        return new VirtualIp(Cidr.parseHost("vip", vip), java.util.Arrays.stream(tasks).map(t -> Cidr.parseHost("t", t)).toList());
    }

    /**
     * A service's VIP answers from every container of the network on this node: each container's namespace holds
     * the network's VIPs as the engine last gave them, a container joining later gets them at Join, one leaving
     * takes none along, and a restarted plugin programs them all again.
     */
    @Test
    void servicesVipsAreBalancedInEveryContainerOfTheNetworkAndFollowTheEngine() {
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        String c1 = "/var/run/docker/netns/c1";
        String c2 = "/var/run/docker/netns/c2";
        String c3 = "/var/run/docker/netns/c3";
        attach("e1", "10.92.0.3/24", c1);
        attach("e2", "10.92.0.4/24", c2);
        AtomicReference<SwarmNetwork> view = new AtomicReference<>(services("10.92.0.2", "10.92.0.3", "10.92.0.4"));
        Engine engine = id -> Optional.of(view.get());

        global.followEngine(engine);
        assertThat(balancer.vips(c1, NET)).containsExactly(vip("10.92.0.2", "10.92.0.3", "10.92.0.4"));
        assertThat(balancer.vips(c2, NET)).containsExactly(vip("10.92.0.2", "10.92.0.3", "10.92.0.4"));

        view.set(services("10.92.0.2", "10.92.0.4"));
        global.followEngine(engine);
        assertThat(balancer.vips(c1, NET)).as("a task gone").containsExactly(vip("10.92.0.2", "10.92.0.4"));
        attach("e3", "10.92.0.5/24", c3);
        assertThat(balancer.vips(c3, NET)).as("at Join").containsExactly(vip("10.92.0.2", "10.92.0.4"));

        global.leave(new EndpointRequest(NET, "e2"));
        assertThat(balancer.vips(c2, NET)).as("left: no table").isEmpty();
        global.deleteEndpoint(new EndpointRequest(NET, "e2"));
        balancer.namespaceGone(c1);
        view.set(services("10.92.0.2", "10.92.0.4", "10.92.0.6"));
        global.followEngine(engine);
        assertThat(balancer.vips(c3, NET)).as("a stopped container's namespace stops no other")
                .containsExactly(vip("10.92.0.2", "10.92.0.4", "10.92.0.6"));

        balancer.remove(c3, NET);
        NetworkDriver restarted = globalDriver(store);
        restarted.followEngine(engine);
        assertThat(balancer.vips(c3, NET)).as("rebuilt after a restart").containsExactly(vip("10.92.0.2", "10.92.0.4", "10.92.0.6"));
        view.set(services("10.92.0.2"));
        restarted.followEngine(engine);
        assertThat(balancer.vips(c3, NET)).as("no task left: no table").isEmpty();
    }

    /** The engine lists a service's tasks in another order at every answer: that is no change, and costs nothing. */
    @Test
    void theSameTasksInAnotherOrderReprogramNothing() {
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        String c1 = "/var/run/docker/netns/c1";
        attach("e1", "10.92.0.3/24", c1);
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.3", "10.92.0.4", "10.92.0.5")));
        assertThat(balancer.vips(c1, NET)).containsExactly(vip("10.92.0.2", "10.92.0.3", "10.92.0.4", "10.92.0.5"));
        int programmed = balancer.programs();
        assertThat(programmed).isPositive();
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.5", "10.92.0.3", "10.92.0.4")));
        assertThat(balancer.programs()).as("the same tasks, listed in another order").isEqualTo(programmed);
        assertThat(balancer.changes()).isZero();
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.5", "10.92.0.4")));
        assertThat(balancer.changes()).as("a task gone: a change").isEqualTo(1);
        assertThat(balancer.programs()).as("not the table made whole").isEqualTo(programmed);
        assertThat(balancer.vips(c1, NET)).containsExactly(vip("10.92.0.2", "10.92.0.4", "10.92.0.5"));
    }

    /**
     * A node whose containers' namespaces cannot be entered from here (Docker's run directory without propagation):
     * doctor says so with the fix, and a container joining a network with services starts without its VIPs.
     */
    @Test
    void namespacesNotSeenHereAreADoctorsFaultWithItsFixAndContainersStartWithoutVips() {
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        assertThat(global.diagnose().checks()).filteredOn(c -> c.check().equals("service vips"))
                .extracting(Check::ok).containsExactly(true);
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.3")));
        balancer.namespaceGone("/var/run/docker/netns/c0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> attach("e0", "10.92.0.5/24", "/var/run/docker/netns/c0"))
                .as("any other failure fails the Join").hasMessageContaining("no namespace");

        balancer.blind("Docker's run directory receives no mounts from the host");
        assertThat(global.diagnose().checks()).filteredOn(c -> !c.ok()).extracting(Check::check, Check::detail, Check::fix)
                .containsExactly(tuple("service vips", "Docker's run directory receives no mounts from the host",
                        io.javanet.firewall.ServiceBalancer.PROPAGATION_FIX));

        attach("e1", "10.92.0.4/24", "/var/run/docker/netns/c1");
        assertThat(balancer.vips("/var/run/docker/netns/c1", NET)).as("started without its VIPs").isEmpty();
    }

    /** A table that does not hold what was programmed (emptied by hand, say) is made whole at the next change. */
    @Test
    void aTableThatDoesNotHoldWhatWasProgrammedIsMadeWholeAtTheNextChange() {
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        String c1 = "/var/run/docker/netns/c1";
        attach("e1", "10.92.0.3/24", c1);
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.3", "10.92.0.4")));
        balancer.remove(c1, NET);
        assertThat(balancer.vips(c1, NET)).isEmpty();
        global.followEngine(id -> Optional.of(services("10.92.0.2", "10.92.0.4")));
        assertThat(balancer.changes()).as("tried").isEqualTo(1);
        assertThat(balancer.vips(c1, NET)).containsExactly(vip("10.92.0.2", "10.92.0.4"));
    }

    @Test
    void endpointsAreMacvlansOfTheVxlanWithNoGatewayOfOursSoDockerGivesThemItsGwbridgeUnlessInternal() {
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        global.createEndpoint(new io.javanet.api.network.CreateEndpointRequest(NET, EP,
                new io.javanet.api.network.EndpointInterface("10.92.0.2/24", "", ""), Map.of()));
        MemoryKernel.HeldLink link = kernel.link("jnm0caf3d83e0f0").orElseThrow();
        assertThat(link.kind()).isEqualTo("macvlan");
        assertThat(link.peer()).isEqualTo(VXLAN);
        assertThat(link.mtu()).isEqualTo(1450);
        assertThat(link.mac()).map(Object::toString).contains("02:42:0a:5c:00:02");
        assertThat(firewall.networks()).as("nothing of the overlay passes the host's firewall").isEmpty();
        JoinResponse joined = global.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(joined.interfaceName().srcName()).isEqualTo("jnm0caf3d83e0f0");
        assertThat(joined.gateway()).isNull();
        assertThat(joined.disableGatewayService()).isFalse();
        global.leave(new EndpointRequest(NET, EP));
        global.deleteEndpoint(new EndpointRequest(NET, EP));

        global.createNetwork(network("n2", allocated("n2", true), "10.93.0.0/24", "10.93.0.1/24"));
        global.createEndpoint(new io.javanet.api.network.CreateEndpointRequest("n2", "e2",
                new io.javanet.api.network.EndpointInterface("10.93.0.2/24", "", ""), Map.of()));
        assertThat(global.join(new JoinRequest("n2", "e2", "/var/run/docker/netns/y", Map.of())).disableGatewayService()).isTrue();
    }

    @Test
    void overlaysBelongToTheGlobalInstallAndAreMadeThroughSwarmOnly() {
        assertThat(failure(() -> driver.createNetwork(network(NET, Map.of("com.docker.network.generic",
                Map.of("javanet.mode", "overlay", "javanet.vni", "5000")), "10.92.0.0/24", ""))))
                .hasMessage("-o javanet.mode=overlay: overlay networks need javanet's global-scope install (JAVANET_SCOPE=global)");
        assertThat(failure(() -> global.createNetwork(network(NET, Map.of("com.docker.network.generic",
                Map.of("javanet.mode", "bridge")), "10.92.0.0/24", ""))))
                .hasMessage("-o javanet.mode=bridge: this javanet install is global-scope and makes overlay networks only;"
                        + " use the local one");
        assertThat(failure(() -> global.createNetwork(network(NET, Map.of(), "10.92.0.0/24", ""))))
                .hasMessageStartingWith("-o javanet.vni: missing; overlay networks are made by swarm");
        assertThat(failure(() -> global.createNetwork(network(NET, Map.of("com.docker.network.generic",
                Map.of("javanet.vni", "0")), "10.92.0.0/24", ""))))
                .hasMessage("-o javanet.vni: \"0\" is not a VXLAN id (1 to 16777215)");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(store.read(Tx::networks)).isEmpty();
    }

    @Test
    void reconcileRemakesAMissingVxlanAndItsFloodingAfterARestart() {
        global.discoverNew(node("192.0.2.12", false));
        global.createNetwork(network(NET, allocated(NET, false), "10.92.0.0/24", "10.92.0.1/24"));
        kernel.delete(VXLAN);
        NetworkDriver restarted = globalDriver(store);
        assertThat(restarted.reconcile()).isEqualTo(1);
        assertThat(kernel.link(VXLAN).orElseThrow().up()).isTrue();
        assertThat(kernel.floods(VXLAN)).containsExactly("192.0.2.12");
    }
}
