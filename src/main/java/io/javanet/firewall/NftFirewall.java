package io.javanet.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.net.PortBinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firewall over nftables: everything of ours in the table {@code inet NAME} (see {@link NftScript}),
 * plus one rule in each of Docker's DOCKER-USER chains (IPv4, and IPv6 where Docker runs ip6tables), commented
 * with our name, while we have networks. That rule is needed because Docker's FORWARD chains drop by default and
 * br_netfilter sends bridged frames through them; an accept in our own table would not stop Docker's chain from
 * dropping. Our forward chain marks what it allows and the DOCKER-USER rule accepts marked packets, so every
 * decision stays in our table. Where Docker has no DOCKER-USER chain it either runs without a firewall (nothing
 * drops our traffic) or runs its nftables backend, which accepts marked packets only when dockerd is started with
 * {@code --bridge-accept-fwmark} naming our mark: we cannot arrange that, so we say it, once.
 */
public final class NftFirewall implements Firewall {

    private static final Logger log = LoggerFactory.getLogger(NftFirewall.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Nftables nft;
    private final NftScript script;
    /** What was last said about Docker's firewall, so that each finding is logged once, not at every network. */
    private String dockerFirewallFinding = "";

    /** @param instance names our table and our rule in DOCKER-USER, so two javanet plugins can share a host */
    public NftFirewall(Nftables nft, String instance) {
        this.nft = nft;
        this.script = new NftScript(instance);
    }

    @Override
    public synchronized void addNetwork(FirewallNetwork network) {
        addElements("firewall rules of " + name(network), script.addNetwork(network));
    }

    @Override
    public synchronized void removeNetwork(FirewallNetwork network) {
        removeElements("remove the firewall rules of " + name(network), script.removeNetwork(network));
    }

    private static String name(FirewallNetwork network) {
        return network.bridge().isEmpty() ? "routed network " + network.subnets() : network.bridge();
    }

    @Override
    public synchronized void addRoutedLink(RoutedLink link) {
        addElements("firewall rules of " + link.link(), script.addRoutedLink(link));
    }

    @Override
    public synchronized void removeRoutedLink(RoutedLink link) {
        removeElements("remove the firewall rules of " + link.link(), script.removeRoutedLink(link));
    }

    /** Adds elements, making our table first if this is the first thing of ours. */
    private void addElements(String what, String elements) {
        nft.run(what, tableExists() ? elements : script.createTable() + elements);
        ensureDockerUserRule();
    }

    /** Removes elements; with nothing of ours left, our table and our rule in DOCKER-USER go too. */
    private void removeElements(String what, String elements) {
        if (tableExists()) {
            nft.run(what, elements);
            if (inUse()) {
                return;
            }
            nft.run("remove our table with our last network", script.deleteTable());
        }
        removeDockerUserRules();
    }

    @Override
    public synchronized void publish(List<PortBinding> bindings) {
        if (!bindings.isEmpty()) {
            nft.run("publish " + bindings, script.publish(bindings));
        }
    }

    @Override
    public synchronized void unpublish(List<PortBinding> bindings) {
        if (!bindings.isEmpty() && tableExists()) {
            nft.run("unpublish " + bindings, script.unpublish(bindings));
        }
    }

    @Override
    public synchronized void restore(List<FirewallNetwork> networks, List<RoutedLink> routedLinks,
                                     List<PortBinding> bindings) {
        if (networks.isEmpty() && routedLinks.isEmpty()) {
            nft.run("remove our table: no networks", script.deleteTable());
            removeDockerUserRules();
            return;
        }
        nft.run("rebuild our table", script.recreate(networks, routedLinks, bindings));
        ensureDockerUserRule();
        log.info("firewall rebuilt: {} networks, {} routed endpoints, {} published ports", networks.size(),
                routedLinks.size(), bindings.size());
    }

    @Override
    public synchronized FirewallHealth health() {
        List<String> hooked = new ArrayList<>();
        List<String> unhooked = new ArrayList<>();
        for (String chain : NftScript.DOCKER_USER) {
            List<Long> handles = dockerUserRuleHandles(chain);
            if (handles != null) {
                (handles.isEmpty() ? unhooked : hooked).add(chain);
            }
        }
        boolean dockerNftables = dockerNftables();
        return new FirewallHealth(tableExists(), hooked, unhooked, dockerNftables, dockerNftables && dockerAcceptsMark());
    }

    /** Whether a rule of Docker's nftables table accepts our mark, as dockerd's --bridge-accept-fwmark makes one. */
    private boolean dockerAcceptsMark() {
        for (JsonNode item : parse(nft.run("list Docker's nftables", script.listDockerNftables())).path("nftables")) {
            JsonNode rule = item.get("rule");
            if (rule != null && isAcceptMarked(rule.path("expr"))) {
                return true;
            }
        }
        return false;
    }

    private boolean tableExists() {
        for (JsonNode item : parse(nft.run("look for our table", script.listTables())).path("nftables")) {
            if (script.instance().equals(item.path("table").path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean inUse() {
        for (String listing : script.listInUse()) {
            for (JsonNode item : parse(nft.run("list our sets", listing)).path("nftables")) {
                if (item.has("set") && item.get("set").has("elem") && !item.get("set").get("elem").isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void ensureDockerUserRule() {
        List<String> found = new ArrayList<>();
        for (String chain : NftScript.DOCKER_USER) {
            List<Long> handles = dockerUserRuleHandles(chain);
            if (handles == null) {
                continue;
            }
            found.add(chain);
            if (handles.isEmpty()) {
                nft.run("let marked traffic past Docker's forward policy", script.acceptMarked(chain));
            }
        }
        if (found.isEmpty() && dockerNftables()) {
            report(String.format(Locale.ROOT, "Docker runs its nftables firewall (table ip %s): it has no DOCKER-USER chain and"
                    + " drops what it does not know unless dockerd runs with --bridge-accept-fwmark=0x%x/0x%x, javanet's"
                    + " mark (Docker 29+; see the README)", NftScript.DOCKER_NFTABLES, NftScript.MARK, NftScript.MARK));
        } else if (found.isEmpty()) {
            report("no DOCKER-USER chain and no nftables table of Docker's: Docker's firewall is off, nothing drops our traffic");
        } else {
            report("marked traffic accepted in " + String.join(" and ", found));
        }
    }

    /** What was found of Docker's firewall when our rules were last put in place. */
    synchronized String dockerFirewallFinding() {
        return dockerFirewallFinding;
    }

    private void report(String finding) {
        if (!finding.equals(dockerFirewallFinding)) {
            dockerFirewallFinding = finding;
            log.info("Docker's firewall: {}", finding);
        }
    }

    private boolean dockerNftables() {
        for (JsonNode item : parse(nft.run("look for Docker's nftables", script.listIpTables())).path("nftables")) {
            if (NftScript.DOCKER_NFTABLES.equals(item.path("table").path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private void removeDockerUserRules() {
        StringBuilder deletions = new StringBuilder();
        for (String chain : NftScript.DOCKER_USER) {
            List<Long> handles = dockerUserRuleHandles(chain);
            if (handles != null) {
                handles.forEach(h -> deletions.append(script.deleteRule(chain, h)));
            }
        }
        if (!deletions.isEmpty()) {
            nft.run("remove our rules from Docker's chains", deletions.toString());
        }
    }

    /** Handles of our accept-marked rules in one DOCKER-USER chain; null when Docker has no such chain. */
    private List<Long> dockerUserRuleHandles(String chain) {
        String listing;
        try {
            listing = nft.run("list Docker's chain", script.listChain(chain));
        } catch (FirewallException e) {
            return null;
        }
        List<Long> handles = new ArrayList<>();
        for (JsonNode item : parse(listing).path("nftables")) {
            JsonNode rule = item.get("rule");
            if (rule != null && script.instance().equals(rule.path("comment").asText()) && isAcceptMarked(rule.path("expr"))) {
                handles.add(rule.get("handle").asLong());
            }
        }
        return handles;
    }

    private static boolean isAcceptMarked(JsonNode expressions) {
        boolean marked = false;
        boolean accept = false;
        for (JsonNode e : expressions) {
            JsonNode match = e.get("match");
            if (match != null && match.path("right").asLong() == NftScript.MARK) {
                JsonNode and = match.at("/left/&");
                marked |= and.isArray() && "mark".equals(and.at("/0/meta/key").asText())
                        && and.get(1).asLong() == NftScript.MARK;
            }
            accept |= e.has("accept");
        }
        return marked && accept;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "{}" : json);
        } catch (IOException e) {
            throw new FirewallException("nft printed no JSON: " + json);
        }
    }
}
