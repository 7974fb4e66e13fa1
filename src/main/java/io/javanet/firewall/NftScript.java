package io.javanet.firewall;

/**
 * The nft commands we send, as text in nft's own language, one builder per change so each can be tested
 * against its expected text. Bridge names are checked before they get here (letters, digits, '_', '.', '-').
 */
final class NftScript {

    /** Docker's chain for user rules, in its iptables-nft table; its FORWARD jumps there before anything drops. */
    static final String DOCKER_USER = "ip filter DOCKER-USER";

    private NftScript() {
    }

    static String listDockerUser() {
        return "list chain " + DOCKER_USER;
    }

    /**
     * Inserted first, before Docker's {@code return}: bridged traffic inside one network is accepted. Written in
     * the exact shape {@code iptables -I DOCKER-USER -i BR -o BR -j ACCEPT} produces, so iptables-nft (and
     * Docker through it) can still read and check the chain.
     */
    static String acceptWithinBridge(String bridge) {
        return "insert rule " + DOCKER_USER + " iifname \"" + bridge + "\" oifname \"" + bridge + "\" counter accept";
    }

    static String deleteRule(String chain, long handle) {
        return "delete rule " + chain + " handle " + handle;
    }
}
