package io.javanet.ipam;

import inet.ipaddr.IPAddress;
import io.javanet.api.EmptyResponse;
import io.javanet.api.IpamApi;
import io.javanet.api.ipam.AddressSpacesResponse;
import io.javanet.api.ipam.IpamCapabilitiesResponse;
import io.javanet.api.ipam.PoolRequest;
import io.javanet.api.ipam.ReleaseAddressRequest;
import io.javanet.api.ipam.RequestAddressRequest;
import io.javanet.api.ipam.RequestAddressResponse;
import io.javanet.api.ipam.RequestPoolRequest;
import io.javanet.api.ipam.RequestPoolResponse;
import io.javanet.failure.PluginException;
import io.javanet.kernel.RouteTable;
import io.javanet.net.Cidr;
import io.javanet.net.ReservedRanges;
import io.javanet.net.Subnet;
import io.javanet.store.AllocationRecord;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.PoolRecord;
import io.javanet.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPAM driver. Pools and allocations are persisted before each reply and mirrored in memory for fast
 * decisions; a call that fails changes neither.
 *
 * <p>We report {@code RequiresRequestReplay: false}: our state survives our own restarts and the daemon's, so
 * the daemon never needs to replay pool and address requests at start-up (and a replayed request for a pool
 * in use could not be told from a conflicting new network).
 */
public final class IpamDriver implements IpamApi {

    public static final String LOCAL_ADDRESS_SPACE = "javanet-local";
    public static final String GLOBAL_ADDRESS_SPACE = "javanet-global";
    static final String REQUEST_ADDRESS_TYPE = "RequestAddressType";
    static final String GATEWAY_TYPE = "com.docker.network.gateway";

    private static final Logger log = LoggerFactory.getLogger(IpamDriver.class);

    private final Store store;
    private final DefaultPools defaults;
    private final RouteTable hostRoutes;
    private final Map<String, AddressPool> pools = new LinkedHashMap<>();

    public IpamDriver(Store store, DefaultPools defaults, RouteTable hostRoutes) {
        this.store = store;
        this.defaults = defaults;
        this.hostRoutes = hostRoutes;
        store.read(tx -> {
            tx.pools().forEach(this::remember);
            tx.allocations().forEach(a -> pools.get(a.poolId()).take(Cidr.parseHost("address", a.address())));
            return null;
        });
    }

    @Override
    public IpamCapabilitiesResponse getCapabilities() {
        return new IpamCapabilitiesResponse(false, false);
    }

    @Override
    public AddressSpacesResponse getDefaultAddressSpaces() {
        return new AddressSpacesResponse(LOCAL_ADDRESS_SPACE, GLOBAL_ADDRESS_SPACE);
    }

    @Override
    public synchronized RequestPoolResponse requestPool(RequestPoolRequest request) {
        String space = request.addressSpace();
        if (space == null || space.isEmpty()) {
            throw PluginException.invalid("AddressSpace: missing");
        }
        if (!space.equals(LOCAL_ADDRESS_SPACE) && !space.equals(GLOBAL_ADDRESS_SPACE)) {
            throw PluginException.invalid("AddressSpace: unknown address space \"%s\" (javanet has %s and %s)",
                    space, LOCAL_ADDRESS_SPACE, GLOBAL_ADDRESS_SPACE);
        }
        boolean hasPool = request.pool() != null && !request.pool().isEmpty();
        boolean hasSubPool = request.subPool() != null && !request.subPool().isEmpty();
        IPAddress pool = hasPool ? requestedPool(space, request) : defaultPool(request.v6(), hasSubPool);
        IPAddress range = pool;
        if (hasSubPool) {
            range = Cidr.parseNetwork("SubPool", request.subPool());
            if (!pool.contains(range)) {
                throw PluginException.invalid("SubPool: %s is not inside pool %s",
                        range.toCanonicalString(), pool.toCanonicalString());
            }
        }
        String poolId = space + "/" + pool.toCanonicalString() + (hasSubPool ? "/" + range.toCanonicalString() : "");
        PoolRecord record = new PoolRecord(poolId, space, pool.toCanonicalString(),
                hasSubPool ? range.toCanonicalString() : "", pool.isIPv6(),
                request.options() == null ? Map.of() : Map.copyOf(request.options()));
        store.write(tx -> tx.putPool(record));
        remember(record);
        log.info("pool {} allocated", poolId);
        return new RequestPoolResponse(poolId, pool.toCanonicalString(), Map.of());
    }

    @Override
    public synchronized EmptyResponse releasePool(PoolRequest request) {
        AddressPool pool = pool(request.poolId());
        store.write(tx -> tx.deletePool(request.poolId()));
        pools.remove(request.poolId());
        if (pool.takenCount() > 0) {
            log.warn("pool {} released with {} addresses still allocated", request.poolId(), pool.takenCount());
        }
        log.info("pool {} released", request.poolId());
        return EmptyResponse.INSTANCE;
    }

    @Override
    public synchronized RequestAddressResponse requestAddress(RequestAddressRequest request) {
        AddressPool pool = pool(request.poolId());
        boolean gateway = GATEWAY_TYPE.equals(request.options() == null ? null
                : request.options().get(REQUEST_ADDRESS_TYPE));
        IPAddress address;
        if (request.address() == null || request.address().isEmpty()) {
            address = pool.nextFree().orElseThrow(() -> PluginException.exhausted(
                    "pool %s has no free address left (%d in use)", pool.pool().toCanonicalString(), pool.takenCount()));
        } else {
            address = Cidr.parseHost("Address", request.address());
            Optional<String> problem = pool.checkAssignable(address);
            if (problem.isPresent()) {
                throw pool.isTaken(address)
                        ? PluginException.conflict("Address: %s", problem.get())
                        : PluginException.invalid("Address: %s", problem.get());
            }
        }
        String text = Cidr.hostText(address);
        AllocationRecord.Role role = gateway ? AllocationRecord.Role.GATEWAY : AllocationRecord.Role.ADDRESS;
        store.write(tx -> tx.putAllocation(new AllocationRecord(request.poolId(), text, role)));
        pool.take(address);
        return new RequestAddressResponse(text + "/" + pool.prefixLength(), Map.of());
    }

    @Override
    public synchronized EmptyResponse releaseAddress(ReleaseAddressRequest request) {
        AddressPool pool = pool(request.poolId());
        IPAddress address = Cidr.parseHost("Address", request.address());
        if (!pool.isTaken(address)) {
            throw PluginException.notFound("Address: %s is not allocated in pool %s",
                    Cidr.hostText(address), pool.pool().toCanonicalString());
        }
        store.write(tx -> tx.deleteAllocation(request.poolId(), Cidr.hostText(address)));
        pool.free(address);
        return EmptyResponse.INSTANCE;
    }

    /**
     * Addresses we handed out in the pools of our own networks that nothing uses: no endpoint, not the gateway,
     * not an aux address. A crash between committing an address and replying leaves one such (Docker never
     * got it, and does not ask again). They are only candidates: Docker may be about to use one, so
     * {@link #reclaim} frees those still unclaimed after a grace period.
     */
    public synchronized List<AllocationRecord> unclaimed() {
        return unclaimed(Set.of());
    }

    /** {@link #unclaimed()}, counting the addresses of {@code leavingEndpoints} as unclaimed too. */
    public synchronized List<AllocationRecord> unclaimed(Set<String> leavingEndpoints) {
        return store.read(tx -> {
            Map<String, Set<String>> usedByPool = new HashMap<>();
            for (NetworkRecord network : tx.networks()) {
                Set<String> used = new HashSet<>();
                for (EndpointRecord e : tx.endpoints(network.networkId())) {
                    if (leavingEndpoints.contains(e.endpointId())) {
                        continue;
                    }
                    for (String address : List.of(e.address(), e.addressIpv6())) {
                        if (!address.isEmpty()) {
                            used.add(Cidr.hostText(Cidr.parseInterfaceAddress("address", address)));
                        }
                    }
                }
                for (Subnet subnet : network.subnets()) {
                    subnet.auxAddresses().forEach(a -> used.add(Cidr.hostText(a)));
                    usedByPool.computeIfAbsent(subnet.poolText(), p -> new HashSet<>()).addAll(used);
                }
            }
            List<AllocationRecord> unclaimed = new ArrayList<>();
            for (AllocationRecord a : tx.allocations()) {
                AddressPool pool = pools.get(a.poolId());
                Set<String> used = pool == null ? null : usedByPool.get(pool.pool().toCanonicalString());
                if (used != null && a.role() == AllocationRecord.Role.ADDRESS && !used.contains(a.address())) {
                    unclaimed.add(a);
                }
            }
            return unclaimed;
        });
    }

    /** Frees those of {@code candidates} that are still unclaimed now; returns how many. */
    public synchronized int reclaim(List<AllocationRecord> candidates) {
        List<AllocationRecord> still = unclaimed().stream().filter(candidates::contains).toList();
        for (AllocationRecord a : still) {
            log.warn("reclaiming {} in pool {}: allocated but unused since before our start (a reply lost in a crash)",
                    a.address(), a.poolId());
            releaseAddress(new ReleaseAddressRequest(a.poolId(), a.address()));
        }
        return still.size();
    }

    /**
     * A pool of the request's own, refused where it overlaps another pool of the same address space. The two spaces
     * hold the same pools on a swarm manager: swarm allocates an overlay's pool in the global space, then the node
     * asks again for it in the local space to hand out the addresses swarm chose.
     */
    private IPAddress requestedPool(String space, RequestPoolRequest request) {
        IPAddress pool = Cidr.parseNetwork("Pool", request.pool());
        ReservedRanges.refuseReserved("Pool", pool);
        if (pool.isIPv6() != request.v6()) {
            throw PluginException.invalid("Pool: %s is %s but V6 is %s", pool.toCanonicalString(),
                    pool.isIPv6() ? "IPv6" : "IPv4", request.v6());
        }
        for (Map.Entry<String, AddressPool> e : pools.entrySet()) {
            if (e.getKey().startsWith(space + "/") && e.getValue().pool().overlaps(pool)) {
                throw PluginException.conflict("Pool: %s overlaps pool %s, already allocated as PoolID %s",
                        pool.toCanonicalString(), e.getValue().pool().toCanonicalString(), e.getKey());
            }
        }
        return pool;
    }

    private IPAddress defaultPool(boolean v6, boolean hasSubPool) {
        if (hasSubPool) {
            throw PluginException.invalid("SubPool: given without Pool (an --ip-range needs a --subnet)");
        }
        List<IPAddress> routes = hostRoutes.destinations();
        return defaults.first(v6, candidate -> pools.values().stream().anyMatch(p -> p.pool().overlaps(candidate))
                        || routes.stream().anyMatch(r -> r.overlaps(candidate)))
                .orElseThrow(() -> PluginException.exhausted(
                        "no free default %s pool: every one overlaps a pool in use or a host route; give --subnet",
                        v6 ? "IPv6" : "IPv4"));
    }

    private AddressPool pool(String poolId) {
        if (poolId == null || poolId.isEmpty()) {
            throw PluginException.invalid("PoolID: missing");
        }
        AddressPool pool = pools.get(poolId);
        if (pool == null) {
            throw PluginException.notFound("PoolID: unknown pool \"%s\"", poolId);
        }
        return pool;
    }

    private void remember(PoolRecord record) {
        IPAddress pool = Cidr.parseNetwork("pool", record.pool());
        IPAddress range = record.subPool().isEmpty() ? pool : Cidr.parseNetwork("sub-pool", record.subPool());
        pools.put(record.poolId(), new AddressPool(pool, range));
    }
}
