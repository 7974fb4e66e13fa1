package io.javanet.firewall;

import io.javanet.failure.Failure;
import io.javanet.failure.FailureKind;

/** nftables refused a change; the message holds the commands' purpose and nft's own error text. */
public class FirewallException extends RuntimeException implements Failure {
    public FirewallException(String message) {
        super(message);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.FIREWALL;
    }
}
