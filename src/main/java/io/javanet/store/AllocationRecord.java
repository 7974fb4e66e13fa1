package io.javanet.store;

/** One address handed out from a pool: a bare IP string and why it was taken. */
public record AllocationRecord(String poolId, String address, Role role) {

    /** The gateway is asked for explicitly; everything else (endpoints, aux addresses) looks alike to IPAM. */
    public enum Role { GATEWAY, ADDRESS }
}
