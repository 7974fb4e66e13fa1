package io.javanet.store;

import java.util.Map;

/**
 * An IPAM pool as persisted. {@code pool} and {@code subPool} are CIDR strings; subPool is empty when the
 * whole pool is allocatable.
 */
public record PoolRecord(String poolId, String addressSpace, String pool, String subPool, boolean v6,
                         Map<String, String> options) {
}
