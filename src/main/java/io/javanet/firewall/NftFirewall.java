package io.javanet.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.firewall.sys.Nftables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firewall over nftables. Docker's FORWARD chain drops by default and br_netfilter sends bridged frames
 * through it, so traffic between two containers of one network must be accepted in Docker's DOCKER-USER chain:
 * an accept in a table of our own would not stop Docker's base chain from dropping. Where Docker has no such
 * chain (it runs without iptables), nothing drops that traffic and nothing is added.
 */
public final class NftFirewall implements Firewall {

    private static final Logger log = LoggerFactory.getLogger(NftFirewall.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Nftables nft;

    public NftFirewall(Nftables nft) {
        this.nft = nft;
    }

    @Override
    public synchronized void addNetwork(String bridge) {
        if (!dockerUserExists()) {
            log.info("no {} chain: Docker's firewall is off, so {} needs no accept rule", NftScript.DOCKER_USER, bridge);
            return;
        }
        if (acceptRuleHandles(bridge).isEmpty()) {
            nft.run("accept traffic within " + bridge, NftScript.acceptWithinBridge(bridge));
        }
    }

    @Override
    public synchronized void removeNetwork(String bridge) {
        if (!dockerUserExists()) {
            return;
        }
        List<Long> handles = acceptRuleHandles(bridge);
        if (!handles.isEmpty()) {
            StringBuilder script = new StringBuilder();
            handles.forEach(h -> script.append(NftScript.deleteRule(NftScript.DOCKER_USER, h)).append('\n'));
            nft.run("remove the rules of " + bridge, script.toString());
        }
    }

    private boolean dockerUserExists() {
        try {
            nft.run("look for Docker's chain", NftScript.listDockerUser());
            return true;
        } catch (FirewallException e) {
            return false;
        }
    }

    /** Handles of the rules in DOCKER-USER that accept traffic from {@code bridge} to itself. */
    private List<Long> acceptRuleHandles(String bridge) {
        List<Long> handles = new ArrayList<>();
        for (JsonNode item : parse(nft.run("list Docker's chain", NftScript.listDockerUser())).path("nftables")) {
            JsonNode rule = item.get("rule");
            if (rule != null && isAcceptWithin(rule.path("expr"), bridge)) {
                handles.add(rule.get("handle").asLong());
            }
        }
        return handles;
    }

    private static boolean isAcceptWithin(JsonNode expressions, String bridge) {
        boolean iif = false;
        boolean oif = false;
        boolean accept = false;
        for (JsonNode e : expressions) {
            JsonNode match = e.get("match");
            if (match != null && bridge.equals(match.path("right").asText())) {
                String key = match.at("/left/meta/key").asText();
                iif |= key.equals("iifname");
                oif |= key.equals("oifname");
            }
            accept |= e.has("accept");
        }
        return iif && oif && accept;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "{}" : json);
        } catch (IOException e) {
            throw new FirewallException("nft printed no JSON: " + json);
        }
    }
}
