package io.javanet.driver;

import io.javanet.api.status.Diagnosis;
import io.javanet.firewall.FirewallHealth;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Sysctls;
import io.javanet.net.Scope;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The plugin's half of {@code docker javanet doctor}: the host checked against our state, reading only. Each
 * network's mode checks what it made ({@link NetworkMode#check}); here, what is shared: endpoints' host links, the
 * firewall and Docker's hook for it, br_netfilter, and for a global install what its modes add beyond one host
 * ({@link Cluster}).
 */
final class Doctor {

    private static final String BRIDGE_NETFILTER = "net/bridge/bridge-nf-call-iptables";

    private final Store store;
    private final HostLinks host;
    private final Sysctls sysctls;
    private final NetworkModes modes;
    private final Cluster cluster;
    private final EndpointFeatures features;
    private final Scope scope;
    private final CallLocks locks;

    Doctor(Store store, HostLinks host, Sysctls sysctls, NetworkModes modes, EndpointFeatures features, Cluster cluster,
           Scope scope, CallLocks locks) {
        this.features = features;
        this.locks = locks;
        this.store = store;
        this.host = host;
        this.sysctls = sysctls;
        this.modes = modes;
        this.cluster = cluster;
        this.scope = scope;
    }

    /** The state's checks run alone, as no call changes the host meanwhile; the tunnels' probes, which wait, after. */
    Diagnosis diagnose() {
        Findings findings = new Findings();
        Map<String, List<String>> floods = new LinkedHashMap<>();
        List<NetworkRecord> networks = locks.alone(() -> checkState(findings, floods));
        checking(findings, "tunnel", f -> cluster.checkReach(networks, f));
        return new Diagnosis(scope.name().toLowerCase(Locale.ROOT), store.read(Tx::self).orElse(""),
                findings.checks(), floods);
    }

    private List<NetworkRecord> checkState(Findings findings, Map<String, List<String>> floods) {
        List<NetworkRecord> networks = store.read(Tx::networks);
        checking(findings, "firewall", f -> checkFirewall(networks, f));
        checking(findings, "br_netfilter", this::checkBridgeNetfilter);
        checking(findings, "cluster", cluster::check);
        for (NetworkRecord network : networks) {
            Findings about = findings.network(network.networkId());
            NetworkMode mode = modes.of(network);
            checking(about, "network", f -> mode.check(network, f));
            for (EndpointRecord endpoint : store.read(tx -> tx.endpoints(network.networkId()))) {
                checking(about.endpoint(endpoint.endpointId()), "endpoint", f -> {
                    checkEndpoint(mode, network, endpoint, f);
                    features.check(network, endpoint, mode, f);
                });
            }
            checking(about, "flooding", f -> cluster.checkNetwork(network, f).ifPresent(
                    reached -> floods.put(network.networkId(), reached)));
        }
        return networks;
    }

    /** A check that could not read what it looks at is a failure of its own, and the others still run. */
    private static void checking(Findings findings, String check, Consumer<Findings> run) {
        try {
            run.accept(findings);
        } catch (RuntimeException e) {
            findings.fault(check, "could not be checked: " + e.getMessage(), "see the plugin's log");
        }
    }

    /** A veth endpoint's host end lives on the host as long as its container: gone, the container is cut off. */
    private void checkEndpoint(NetworkMode mode, NetworkRecord network, EndpointRecord endpoint, Findings findings) {
        if (!mode.vethEndpoints()) {
            return;
        }
        String link = endpoint.hostIfName();
        if (!host.links.exists(link)) {
            findings.fault("link", link + " is missing: the container is cut off from the network",
                    "restart the container; or restart the plugin, which removes the endpoint, then connect the"
                            + " container again: docker network disconnect/connect");
            return;
        }
        findings.ok("link", link);
        mode.checkEndpoint(network, endpoint, findings);
    }

    /**
     * Our table while a network needs it, and Docker letting what it marks through: our rule in each DOCKER-USER
     * chain, or under Docker's nftables backend, dockerd's {@code --bridge-accept-fwmark} with our mark.
     */
    private void checkFirewall(List<NetworkRecord> networks, Findings findings) {
        boolean needed = networks.stream().anyMatch(n -> modes.of(n).firewallNetwork(n).isPresent());
        if (!needed) {
            findings.ok("firewall", "no network of ours needs it");
            return;
        }
        FirewallHealth health = host.firewall.health();
        findings.expect(health.tableExists(), "firewall", "our table is there", "our nftables table is missing:"
                + " no isolation, NAT or published ports for our networks", Findings.RESTART_PLUGIN);
        for (String chain : health.hookedChains()) {
            findings.ok("docker hook", "our rule in " + chain);
        }
        for (String chain : health.unhookedChains()) {
            findings.fault("docker hook", chain + " has no rule of ours: Docker's forward policy drops our containers'"
                    + " traffic", Findings.RESTART_PLUGIN);
        }
        if (health.hookedChains().isEmpty() && health.unhookedChains().isEmpty()) {
            if (health.dockerNftables()) {
                findings.expect(health.dockerAcceptsMark(), "docker hook", "Docker's nftables firewall accepts our mark",
                        "Docker's nftables firewall drops our containers' forwarded traffic",
                        "start dockerd with --bridge-accept-fwmark=" + FirewallHealth.markOption() + " (Docker 29 and later)");
            } else {
                findings.ok("docker hook", "Docker runs no firewall that would drop our traffic");
            }
        }
    }

    /** Informs only: with br_netfilter, bridged frames pass the host's firewall, which the checks above cover. */
    private void checkBridgeNetfilter(Findings findings) {
        String value;
        try {
            value = sysctls.sysctl(BRIDGE_NETFILTER);
        } catch (KernelException e) {
            findings.ok("br_netfilter", "not loaded: bridged frames skip the host's firewall");
            return;
        }
        findings.ok("br_netfilter", "1".equals(value) ? "loaded: bridged frames pass the host's firewall"
                : "loaded, " + BRIDGE_NETFILTER.replace('/', '.') + " = " + value + ": bridged frames skip it");
    }
}
