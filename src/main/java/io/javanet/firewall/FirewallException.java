package io.javanet.firewall;

/** nftables refused a change; the message holds the commands' purpose and nft's own error text. */
public class FirewallException extends RuntimeException {
    public FirewallException(String message) {
        super(message);
    }
}
