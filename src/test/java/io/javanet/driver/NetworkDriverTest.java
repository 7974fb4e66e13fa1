package io.javanet.driver;

import static io.javanet.failure.PluginFailures.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.javanet.modes.Modes;
import io.javanet.api.EmptyResponse;
import io.javanet.api.network.CapabilitiesResponse;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.GwAllocCheckResponse;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.failure.FailureKind;
import io.javanet.kernel.Errno;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.MemoryKernel;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.Scope;
import io.javanet.store.Tx;
import io.javanet.sys.Sandboxes;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The driver's own work, whatever the mode: IDs, repeated calls, rollback, leftovers, reconciliation, restarts. */
class NetworkDriverTest extends DriverTestBase {

    @Test
    void aReadOnlyProcSysIsAWarningNotAFailure() {
        io.javanet.kernel.Sysctls readOnly = new io.javanet.kernel.Sysctls() {
            @Override
            public void setSysctl(String key, String value) {
                throw new KernelException("sysctl " + key + "=" + value, Errno.EIO, "Read-only file system");
            }

            @Override
            public String sysctl(String key) {
                return "0";
            }
        };
        new NetworkDriver(store, new HostKernel(kernel, kernel, kernel, readOnly, kernel, kernel, NO_UDP), firewall,
                LinkRemoval.inline(kernel), Scope.LOCAL, new Modes(balancer, Sandboxes.ON_THE_HOST, dir.resolve("no-secret")))
                .createNetwork(network(NET, options(false, Map.of()), "10.123.0.0/24", "10.123.0.1/24"));
        assertThat(storedNetwork(NET)).isPresent();
        assertThat(kernel.sysctls()).containsEntry("net/ipv4/conf/jn-3db071b3a55c/route_localnet", "1");
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndCreateNothing() {
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.driver.mtu", "jumbo")), "10.1.0.0/24", "10.1.0.1/24"))))
                .hasMessage("-o com.docker.network.driver.mtu: \"jumbo\" is not an MTU (68 to 65535)");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.bridge.name", "a-name-that-is-too-long")), "10.1.0.0/24", "10.1.0.1/24"))))
                .hasMessage("-o com.docker.network.bridge.name: \"a-name-that-is-too-long\" must be 1 to 15 bytes long");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("com.docker.network.bridge.name", "br;rm -rf")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .contains("may hold only letters");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("javanet.mdoe", "routed")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .startsWith("-o javanet.mdoe: unknown javanet option");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false,
                Map.of("javanet.mode", "warp")), "10.1.0.0/24", "10.1.0.1/24"))).getMessage())
                .startsWith("-o javanet.mode: unknown mode \"warp\"");
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of()), "10.1.0.0/24", "10.2.0.1/24"))))
                .hasMessage("IPv4Data[0].Gateway: 10.2.0.1/24 is not inside pool 10.1.0.0/24");
        assertThat(failure(() -> driver.createNetwork(network(NET, Map.of("com.docker.network.enable_ipv6", "yes"),
                "10.1.0.0/24", "10.1.0.1/24"))).getMessage()).startsWith("Options.com.docker.network.enable_ipv6");
        assertThat(failure(() -> driver.createNetwork(network("", options(false, Map.of()), "10.1.0.0/24", ""))))
                .hasMessage("NetworkID: missing");
        assertThat(failure(() -> driver.createNetwork(new CreateNetworkRequest(NET, options(false, Map.of()), List.of(), null))))
                .hasMessage("IPv4Data: missing; a network needs at least one IPv4 or IPv6 pool");
        assertThat(failure(() -> driver.createNetwork(network("../../etc", options(false, Map.of()), "10.1.0.0/24", ""))).getMessage())
                .startsWith("NetworkID: \"../../etc\" is not a Docker ID");
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(store.read(Tx::networks)).isEmpty();
    }

    @Test
    void conflictsWithOtherNetworksAndForeignLinksAreRefused() {
        createDefaultNetwork();
        assertThat(failure(() -> driver.createNetwork(network(NET, options(false, Map.of()), "10.9.0.0/24", ""))))
                .hasMessage("NetworkID: network " + NET + " already exists");
        assertThat(failure(() -> driver.createNetwork(network("n2", options(false, Map.of()), "10.123.0.0/16", ""))))
                .hasMessage("subnet 10.123.0.0/16 overlaps subnet 10.123.0.0/24 of network " + NET);
        assertThat(failure(() -> driver.createNetwork(network("n3", options(false,
                Map.of("com.docker.network.bridge.name", "jn-3db071b3a55c")), "10.9.0.0/24", ""))).getMessage())
                .contains("bridge jn-3db071b3a55c is already used by network " + NET);
        kernel.addForeignBridge("docker0");
        assertThat(failure(() -> driver.createNetwork(network("n4", options(false,
                Map.of("com.docker.network.bridge.name", "docker0")), "10.9.0.0/24", ""))).getMessage())
                .contains("a link named docker0 already exists on the host");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "docker0");
    }

    /**
     * An endpoint call waiting on the kernel holds up neither calls on other endpoints of the same network nor
     * their commits; a network's create waits until no endpoint call is running.
     */
    @Test
    void endpointCallsRunBesideEachOtherAndANetworkCreateWaitsForThem() throws Exception {
        createDefaultNetwork();
        String slow = "1" + EP.substring(1);
        MemoryKernel.Hold hold = kernel.holdAdding("jnv" + slow.substring(0, 12));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> held = threads.submit(() -> endpoint(slow, "10.123.0.3/24", "", Map.of()));
            assertThat(hold.reached().await(10, TimeUnit.SECONDS)).isTrue();
            endpoint(EP, "10.123.0.2/24", "", Map.of());
            driver.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
            assertThat(storedEndpoint(EP).orElseThrow().sandboxKey()).isEqualTo("/var/run/docker/netns/x");
            Future<?> network = threads.submit(() -> driver.createNetwork(network("n2", options(false, Map.of()),
                    "10.124.0.0/24", "10.124.0.1/24")));
            assertThatThrownBy(() -> network.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(storedNetwork("n2")).isEmpty();
            hold.release().countDown();
            held.get(10, TimeUnit.SECONDS);
            network.get(10, TimeUnit.SECONDS);
            assertThat(storedEndpoint(slow)).isPresent();
            assertThat(storedNetwork("n2")).isPresent();
        } finally {
            hold.release().countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void badEndpointsAreRefusedAndLeaveNoLink() {
        createDefaultNetwork();
        assertThat(failure(() -> endpoint(EP, "10.124.0.2/24", "", Map.of())))
                .hasMessage("Interface.Address: 10.124.0.2/24 is not inside any subnet of network " + NET);
        assertThat(failure(() -> endpoint(EP, "10.123.0.2", "", Map.of())).getMessage()).contains("has no prefix length");
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "zz:zz", Map.of())).getMessage())
                .startsWith("Interface.MacAddress: \"zz:zz\" is not a MAC address");
        assertThat(failure(() -> endpoint(EP, "10.123.0.2/24", "", Map.of("com.docker.network.endpoint.macaddress", "!!"))).getMessage())
                .startsWith("Options.com.docker.network.endpoint.macaddress: \"!!\" is not a base64 MAC address");
        assertThat(failure(() -> driver.createEndpoint(new CreateEndpointRequest(NET, EP, null, Map.of()))))
                .hasMessage("Interface: missing");
        assertThat(failure(() -> driver.createEndpoint(new CreateEndpointRequest("nope", EP,
                new EndpointInterface("10.123.0.2/24", "", ""), Map.of()))))
                .hasMessage("NetworkID: unknown network nope");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
    }

    @Test
    void deleteRemovesLinksAndStateAndToleratesLinksAlreadyGone() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        assertThat(driver.endpointOperInfo(new EndpointRequest(NET, EP)).value())
                .containsEntry("javanet.host_interface", "jnv0caf3d83e0f0");
        program("ep2", List.of(port(6, "", 8080, 8080, 80)));
        driver.deleteEndpoint(new EndpointRequest(NET, EP));
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnvep2", "jncep2");
        // Docker's retry of a DeleteEndpoint whose reply a crash lost: done already.
        assertThat(driver.deleteEndpoint(new EndpointRequest(NET, EP))).isEqualTo(EmptyResponse.INSTANCE);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnvep2", "jncep2");
        assertThat(failure(() -> driver.deleteEndpoint(new EndpointRequest("nope", EP))))
                .hasMessage("NetworkID: unknown network nope");
        kernel.delete("jnvep2");
        driver.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
        assertThat(firewall.networks()).isEmpty();
        assertThat(firewall.ports()).isEmpty();
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(storedEndpoint("ep2")).isEmpty();
        assertThat(failure(() -> driver.deleteNetwork(new NetworkRequest(NET))).kind()).isEqualTo(FailureKind.NOT_FOUND);
    }

    @Test
    void aFailedKernelDeleteLeavesTheLinkToReconciliation() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        kernel.failOn("delete", Errno.EBUSY);
        assertThatThrownBy(() -> driver.deleteNetwork(new NetworkRequest(NET))).isInstanceOf(KernelException.class);
        // Docker forgets the network whatever we answer, so our state goes first; the link waits for start-up.
        assertThat(storedNetwork(NET)).isEmpty();
        assertThat(kernel.exists("jn-3db071b3a55c")).isTrue();
        kernel.stopFailing();
        assertThat(localDriver(store, firewall).reconcile()).isEqualTo(2);
        assertThat(kernel.linkNames()).isEmpty();
        List<String> intents = store.read(Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    @Test
    void endpointLinksRemovedInTheBackgroundAreGoneOnceDrainedAndTheirIntentWithThem() {
        LinkRemoval removal = LinkRemoval.background(kernel);
        NetworkDriver background = new NetworkDriver(store, host(), firewall, removal, Scope.LOCAL,
                new Modes(balancer, Sandboxes.ON_THE_HOST, dir.resolve("no-secret")));
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        background.deleteEndpoint(new EndpointRequest(NET, EP));
        assertThat(storedEndpoint(EP)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !kernel.exists("jnv0caf3d83e0f0"));
        kernel.failOn("delete", Errno.EBUSY);
        background.deleteEndpoint(new EndpointRequest(NET, "ep2"));
        removal.close();
        kernel.stopFailing();
        assertThat(kernel.exists("jnv0caf3d83e0f0")).isFalse();
        assertThat(kernel.exists("jnvep2")).as("its deletion failed").isTrue();
        assertThat(store.read(Tx::linkIntents)).as("kept for the next start").containsExactly("jnvep2");
        assertThat(localDriver(store, firewall).reconcile()).isEqualTo(1);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
    }

    @Test
    void aLinkMadeJustBeforeACrashIsRemovedAtStartEvenUnmarked() {
        createDefaultNetwork();
        // The crash came after the intent was committed and the veth made, before it was marked or recorded.
        store.write(tx -> tx.putLinkIntent("jnv0caf3d83e0f0"));
        kernel.addForeignBridge("jnv0caf3d83e0f0");
        store.write(tx -> tx.putLinkIntent("jnvneverbuilt1"));
        assertThat(localDriver(store, firewall).reconcile()).isEqualTo(1);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        List<String> intents = store.read(Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    /**
     * CreateEndpoint commits its record before making the link: a crash between the two leaves a record without
     * a link. Start-up makes the link, and since Docker never heard of the endpoint, the reaper removes both.
     */
    @Test
    void aCrashBetweenCreateEndpointsCommitAndItsLinkLeavesNothingOnceReaped() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        kernel.delete("jnv0caf3d83e0f0");
        NetworkDriver restarted = localDriver(store, firewall);
        assertThat(restarted.reconcile()).isEqualTo(1);
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.HeldLink::master).contains("jn-3db071b3a55c");
        List<String> leftovers = restarted.leftoverEndpoints();
        assertThat(leftovers).containsExactly(EP);
        assertThat(restarted.reapLeftovers(leftovers)).isEqualTo(1);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        // Had Docker retried a Join for it after the reaper, the Join fails and Docker's DeleteEndpoint must not.
        assertThat(failure(() -> restarted.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of())))
                .kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(restarted.deleteEndpoint(new EndpointRequest(NET, EP))).isEqualTo(EmptyResponse.INSTANCE);
    }

    @Test
    void aFailedCommitOfAnEndpointLeavesNoLinkAndNoIntent() throws Exception {
        createDefaultNetwork();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("javanet.db"));
             var st = c.createStatement()) {
            st.execute("CREATE TRIGGER fail BEFORE INSERT ON endpoints BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
        }
        assertThatThrownBy(() -> endpoint(EP, "10.123.0.2/24", "", Map.of())).hasMessageContaining("disk on fire");
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c");
        List<String> intents = store.read(Tx::linkIntents);
        assertThat(intents).isEmpty();
    }

    @Test
    void reconcileRebuildsWhatWentMissingAndRemovesOrphansButNotForeignLinks() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        driver.join(new JoinRequest(NET, "ep2", "/var/run/docker/netns/x", Map.of()));
        // A host reboot, a crash and an admin all at once:
        kernel.delete("jn-3db071b3a55c");
        kernel.delete("jnvep2");
        kernel.add(new Link.Veth(LinkAttrs.of("jnvorphan", 1500), "jncorphan", Optional.empty()));
        kernel.addForeignBridge("docker0");
        firewall.restore(List.of(), List.of(), List.of());

        int repairs = localDriver(store, firewall).reconcile();

        assertThat(repairs).isEqualTo(4);
        MemoryKernel.HeldLink bridge = kernel.link("jn-3db071b3a55c").orElseThrow();
        assertThat(bridge.up()).isTrue();
        assertThat(bridge.addresses()).containsExactly(Cidr.parseInterfaceAddress("t", "10.123.0.1/24"));
        assertThat(kernel.link("jnv0caf3d83e0f0")).map(MemoryKernel.HeldLink::master).contains("jn-3db071b3a55c");
        assertThat(kernel.exists("jnvep2")).as("a joined endpoint's veth went with its sandbox").isFalse();
        assertThat(kernel.exists("jnvorphan")).isFalse();
        assertThat(kernel.exists("docker0")).isTrue();
        assertThat(firewall.networks()).containsOnlyKeys("jn-3db071b3a55c");
        assertThat(localDriver(store, firewall).reconcile()).isZero();
    }

    @Test
    void aRepeatedIdenticalCreateIsAnsweredAsTheFirstWas() {
        createDefaultNetwork();
        createDefaultNetwork();
        CreateEndpointResponse first = endpoint(EP, "10.123.0.2/24", "", Map.of());
        CreateEndpointResponse again = endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(again).isEqualTo(first);
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnv0caf3d83e0f0", "jnc0caf3d83e0f0");
        assertThat(failure(() -> endpoint(EP, "10.123.0.9/24", "", Map.of())).kind()).isEqualTo(FailureKind.CONFLICT);
    }

    @Test
    void aGlobalScopeDriverSaysSoToDocker() {
        NetworkDriver global = new NetworkDriver(store, host(), firewall, LinkRemoval.inline(kernel), Scope.GLOBAL,
                new Modes(balancer, Sandboxes.ON_THE_HOST, Path.of("/nonexistent")));
        assertThat(global.getCapabilities()).isEqualTo(new CapabilitiesResponse("global", "global", true));
        assertThat(driver.getCapabilities()).isEqualTo(new CapabilitiesResponse("local", "local", true));
    }

    @Test
    void dockerReservesNoGatewayWhereTheNetworkUsesNone() {
        Map<String, GwAllocCheckResponse> answers = new java.util.LinkedHashMap<>();
        answers.put("bridge", driver.gwAllocCheck(new GwAllocCheckRequest(options(false, Map.of()))));
        answers.put("internal bridge", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, Map.of()))));
        answers.put("routed", driver.gwAllocCheck(new GwAllocCheckRequest(options(false, ROUTED))));
        answers.put("internal routed", driver.gwAllocCheck(new GwAllocCheckRequest(options(true, ROUTED))));
        answers.put("macvlan", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "macvlan", "parent", "eth0")))));
        answers.put("ipvlan l2", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan", "parent", "eth0")))));
        answers.put("ipvlan l3", driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan", "parent", "eth0", "ipvlan_mode", "l3")))));
        answers.put("no options", driver.gwAllocCheck(new GwAllocCheckRequest(null)));
        assertThat(answers).containsExactly(
                Map.entry("bridge", new GwAllocCheckResponse(false, false)),
                Map.entry("internal bridge", new GwAllocCheckResponse(false, false)),
                Map.entry("routed", new GwAllocCheckResponse(true, true)),
                Map.entry("internal routed", new GwAllocCheckResponse(true, true)),
                Map.entry("macvlan", new GwAllocCheckResponse(false, false)),
                Map.entry("ipvlan l2", new GwAllocCheckResponse(false, false)),
                Map.entry("ipvlan l3", new GwAllocCheckResponse(true, true)),
                Map.entry("no options", new GwAllocCheckResponse(false, false)));
        assertThat(driver.getCapabilities().gwAllocChecker()).isTrue();
    }

    @Test
    void aGatewayCheckWithBadOptionsFailsAsCreateWouldAndChangesNothing() {
        assertThat(failure(() -> driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "tunnel"))))))
                .hasMessage("-o javanet.mode: unknown mode \"tunnel\" (supported: attach, bridge, ipvlan, macvlan, overlay, routed)");
        assertThat(failure(() -> driver.gwAllocCheck(new GwAllocCheckRequest(options(false,
                Map.of("javanet.mode", "ipvlan"))))))
                .hasMessage("-o parent: required with -o javanet.mode=ipvlan (the host link the network sits on)");
        assertThat(store.read(Tx::networks)).isEmpty();
        assertThat(kernel.linkNames()).isEmpty();
    }

    @Test
    void endpointsStillUnjoinedAfterTheGracePeriodAreRemoved() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        endpoint("ep2", "10.123.0.3/24", "", Map.of());
        endpoint("ep3", "10.123.0.4/24", "", Map.of());
        driver.join(new JoinRequest(NET, "ep3", "/var/run/docker/netns/x", Map.of()));
        kernel.moveToContainer("jncep3");
        List<String> candidates = driver.leftoverEndpoints();
        assertThat(candidates).containsExactlyInAnyOrder(EP, "ep2");
        // ep2 is joined within the grace period after all:
        driver.join(new JoinRequest(NET, "ep2", "/var/run/docker/netns/y", Map.of()));
        kernel.moveToContainer("jncep2");
        assertThat(driver.reapLeftovers(candidates)).isEqualTo(1);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(kernel.exists("jnv0caf3d83e0f0")).isFalse();
        assertThat(storedEndpoint("ep2")).isPresent();
    }

    @Test
    void joinedEndpointsWhoseContainerWentWhileWeWereDownAreRemovedAfterTheGracePeriod() {
        createDefaultNetwork();
        for (String id : List.of(EP, "ep2", "ep3")) {
            endpoint(id, "10.123.0." + (2 + List.of(EP, "ep2", "ep3").indexOf(id)) + "/24", "", Map.of());
            driver.join(new JoinRequest(NET, id, "/var/run/docker/netns/" + id, Map.of()));
        }
        kernel.moveToContainer("jnc0caf3d83e0f0");
        kernel.moveToContainer("jncep2");
        // While we are down, EP's container is removed with its namespace, which takes the veth pair with it;
        // ep3's container leaves, and Docker moves its end back to us under its own name.
        kernel.delete("jnv0caf3d83e0f0");
        NetworkDriver restarted = localDriver(store, firewall);
        assertThat(restarted.reconcile()).isZero();
        List<String> candidates = restarted.leftoverEndpoints();
        assertThat(candidates).containsExactlyInAnyOrder(EP, "ep3");
        assertThat(restarted.reapLeftovers(candidates)).isEqualTo(2);
        assertThat(storedEndpoint(EP)).isEmpty();
        assertThat(storedEndpoint("ep3")).isEmpty();
        assertThat(kernel.exists("jnvep3")).isFalse();
        assertThat(storedEndpoint("ep2")).as("its container lives").isPresent();
    }

    @Test
    void endpointOfAnotherNetworkIsNotFoundThroughThisOne() {
        createDefaultNetwork();
        driver.createNetwork(network("other", options(false, Map.of()), "10.9.0.0/24", "10.9.0.1/24"));
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        assertThat(failure(() -> driver.leave(new EndpointRequest("other", EP))))
                .hasMessage("NetworkID: endpoint " + EP + " belongs to network " + NET + ", not other");
    }

    @Test
    void stateIsReadBackByANewDriverAfterARestart() {
        createDefaultNetwork();
        endpoint(EP, "10.123.0.2/24", "", Map.of());
        NetworkDriver restarted = localDriver(store, firewall);
        JoinResponse join = restarted.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        assertThat(join.gateway()).isEqualTo("10.123.0.1");
        restarted.deleteEndpoint(new EndpointRequest(NET, EP));
        restarted.deleteNetwork(new NetworkRequest(NET));
        assertThat(kernel.linkNames()).isEmpty();
    }
}
