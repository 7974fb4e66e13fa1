package io.javanet.firewall;

import io.javanet.net.PortBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A firewall that tracks what it has been asked for, refuses what nft would (a host port already mapped to
 * another container: a map element's key taken), and can be told to refuse everything. Networks are known by
 * their bridge, or a routed network (which has none) by its subnets, so two routed networks are two.
 */
public final class RecordingFirewall implements Firewall {

    private final Map<String, FirewallNetwork> networks = new LinkedHashMap<>();
    private final Map<String, RoutedLink> routedLinks = new LinkedHashMap<>();
    private final List<PortBinding> ports = new ArrayList<>();
    public boolean refuse;
    /** Someone deleted our table, or our rule in DOCKER-USER, behind our back; a restore puts them back. */
    public boolean tableDeleted;
    public boolean dockerUserRuleDeleted;

    @Override
    public synchronized void addNetwork(FirewallNetwork network) {
        if (refuse) {
            throw new FirewallException("firewall rules of " + network.bridge() + ": nft refused (injected)");
        }
        networks.put(key(network), network);
    }

    private static String key(FirewallNetwork network) {
        return network.bridge().isEmpty() ? "routed " + network.subnets() : network.bridge();
    }

    @Override
    public synchronized void removeNetwork(FirewallNetwork network) {
        networks.remove(key(network));
    }

    @Override
    public synchronized void addRoutedLink(RoutedLink link) {
        if (refuse) {
            throw new FirewallException("firewall rules of " + link.link() + ": nft refused (injected)");
        }
        routedLinks.put(link.link(), link);
    }

    @Override
    public synchronized void removeRoutedLink(RoutedLink link) {
        routedLinks.remove(link.link());
    }

    @Override
    public synchronized void publish(List<PortBinding> bindings) {
        if (refuse && !bindings.isEmpty()) {
            throw new FirewallException("publish " + bindings + ": nft refused (injected)");
        }
        for (PortBinding binding : bindings) {
            for (PortBinding held : ports) {
                if (held.proto() == binding.proto() && held.hostIp().equals(binding.hostIp())
                        && held.hostPort() == binding.hostPort() && !held.equals(binding)) {
                    throw new FirewallException("publish " + binding + ": nft refused: File exists (" + held + " has the port)");
                }
            }
        }
        bindings.stream().filter(b -> !ports.contains(b)).forEach(ports::add);
    }

    @Override
    public synchronized void unpublish(List<PortBinding> bindings) {
        ports.removeAll(bindings);
    }

    @Override
    public synchronized void restore(List<FirewallNetwork> restored, List<RoutedLink> restoredLinks,
                                     List<PortBinding> bindings) {
        networks.clear();
        restored.forEach(n -> networks.put(key(n), n));
        routedLinks.clear();
        restoredLinks.forEach(l -> routedLinks.put(l.link(), l));
        ports.clear();
        ports.addAll(bindings);
        tableDeleted = false;
        dockerUserRuleDeleted = false;
    }

    /** Docker's iptables with its DOCKER-USER chain; our table and rule while we have networks. */
    @Override
    public synchronized FirewallHealth health() {
        boolean inUse = !networks.isEmpty() || !routedLinks.isEmpty();
        List<String> chain = List.of("ip filter DOCKER-USER");
        boolean hooked = inUse && !dockerUserRuleDeleted;
        return new FirewallHealth(inUse && !tableDeleted, hooked ? chain : List.of(), hooked ? List.of() : chain, false, false);
    }

    public synchronized Map<String, FirewallNetwork> networks() {
        return Map.copyOf(networks);
    }

    public synchronized Map<String, RoutedLink> routedLinks() {
        return Map.copyOf(routedLinks);
    }

    public synchronized List<PortBinding> ports() {
        return List.copyOf(ports);
    }
}
