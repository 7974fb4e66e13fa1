package io.javanet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.net.PortBinding;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The operations available inside one transaction. */
public final class Tx {

    private final Session session;
    private final Path file;
    private final ObjectMapper json;
    /** Where the networks this transaction puts or deletes are noted, for the store's cache of them. */
    private final Set<String> networksWritten;

    Tx(Session session, Path file, ObjectMapper json, Set<String> networksWritten) {
        this.session = session;
        this.file = file;
        this.json = json;
        this.networksWritten = networksWritten;
    }

    /** Whether the database holds nothing to keep: no network, pool, address, link intent or swarm knowledge. */
    public boolean holdsNothing() {
        return networks().isEmpty() && pools().isEmpty() && allocations().isEmpty() && linkIntents().isEmpty()
                && peers().isEmpty() && self().isEmpty() && vnis().isEmpty();
    }

    public void putPool(PoolRecord pool) {
        update("INSERT OR REPLACE INTO pools (pool_id, record) VALUES (?, ?)", pool.poolId(), toJson(pool));
    }

    public void deletePool(String poolId) {
        update("DELETE FROM pools WHERE pool_id = ?", poolId);
    }

    public List<PoolRecord> pools() {
        return query("SELECT record FROM pools ORDER BY pool_id", rs -> fromJson(rs.getString(1), PoolRecord.class));
    }

    public void putAllocation(AllocationRecord allocation) {
        update("INSERT INTO allocations (pool_id, address, role) VALUES (?, ?, ?)",
                allocation.poolId(), allocation.address(), allocation.role().name());
    }

    public void deleteAllocation(String poolId, String address) {
        update("DELETE FROM allocations WHERE pool_id = ? AND address = ?", poolId, address);
    }

    public List<AllocationRecord> allocations() {
        return query("SELECT pool_id, address, role FROM allocations ORDER BY pool_id, address",
                rs -> new AllocationRecord(rs.getString(1), rs.getString(2),
                        AllocationRecord.Role.valueOf(rs.getString(3))));
    }

    public void putNetwork(NetworkRecord network) {
        update("INSERT OR REPLACE INTO networks (network_id, record) VALUES (?, ?)",
                network.networkId(), toJson(network));
        networksWritten.add(network.networkId());
    }

    public void deleteNetwork(String networkId) {
        update("DELETE FROM networks WHERE network_id = ?", networkId);
        networksWritten.add(networkId);
    }

    public Optional<NetworkRecord> network(String networkId) {
        return query("SELECT record FROM networks WHERE network_id = ?",
                rs -> fromJson(rs.getString(1), NetworkRecord.class), networkId).stream().findFirst();
    }

    public List<NetworkRecord> networks() {
        return query("SELECT record FROM networks ORDER BY network_id",
                rs -> fromJson(rs.getString(1), NetworkRecord.class));
    }

    public void putEndpoint(EndpointRecord endpoint) {
        update("INSERT OR REPLACE INTO endpoints (endpoint_id, network_id, record, publishes) VALUES (?, ?, ?, ?)",
                endpoint.endpointId(), endpoint.networkId(), toJson(endpoint), endpoint.portMap().isEmpty() ? 0 : 1);
    }

    public void deleteEndpoint(String endpointId) {
        update("DELETE FROM endpoints WHERE endpoint_id = ?", endpointId);
    }

    public Optional<EndpointRecord> endpoint(String endpointId) {
        return query("SELECT record FROM endpoints WHERE endpoint_id = ?",
                rs -> fromJson(rs.getString(1), EndpointRecord.class), endpointId).stream().findFirst();
    }

    public List<EndpointRecord> endpoints(String networkId) {
        return query("SELECT record FROM endpoints WHERE network_id = ? ORDER BY endpoint_id",
                rs -> fromJson(rs.getString(1), EndpointRecord.class), networkId);
    }

    /** Every port published by any endpoint, read from the endpoints that publish some. */
    public List<PortBinding> publishedPorts() {
        List<PortBinding> ports = new ArrayList<>();
        query("SELECT record FROM endpoints WHERE publishes = 1 ORDER BY endpoint_id",
                rs -> ports.addAll(fromJson(rs.getString(1), EndpointRecord.class).portMap()));
        return ports;
    }

    /** How many endpoints each network has, by network ID; networks without any are absent. */
    public Map<String, Integer> endpointCounts() {
        return counts("SELECT network_id, COUNT(*) FROM endpoints GROUP BY network_id");
    }

    /** How many addresses are allocated in each pool, by pool ID; pools without any are absent. */
    public Map<String, Integer> allocationCounts() {
        return counts("SELECT pool_id, COUNT(*) FROM allocations GROUP BY pool_id");
    }

    private Map<String, Integer> counts(String sql) {
        Map<String, Integer> counts = new HashMap<>();
        query(sql, rs -> counts.put(rs.getString(1), rs.getInt(2)));
        return counts;
    }

    /**
     * Records, before the kernel is touched, that we are about to create or delete a link: if we crash before
     * the call's final commit, start-up reconciliation finds the name here and cleans up.
     */
    public void putLinkIntent(String link) {
        update("INSERT OR REPLACE INTO link_intents (link) VALUES (?)", link);
    }

    public void deleteLinkIntent(String link) {
        update("DELETE FROM link_intents WHERE link = ?", link);
    }

    public List<String> linkIntents() {
        return query("SELECT link FROM link_intents ORDER BY link", rs -> rs.getString(1));
    }

    /** A node of the swarm, by its address. */
    public void putPeer(String address) {
        update("INSERT OR REPLACE INTO peers (address) VALUES (?)", address);
    }

    public void deletePeer(String address) {
        update("DELETE FROM peers WHERE address = ?", address);
    }

    public List<String> peers() {
        return query("SELECT address FROM peers ORDER BY address", rs -> rs.getString(1));
    }

    /** This node's own swarm address, as Docker announced it. */
    public void putSelf(String address) {
        update("DELETE FROM self");
        update("INSERT INTO self (address) VALUES (?)", address);
    }

    public Optional<String> self() {
        return query("SELECT address FROM self", rs -> rs.getString(1)).stream().findFirst();
    }

    /** The VXLAN id allocated to an overlay network; one another network holds is refused, never taken. */
    public void putVni(String networkId, int vni) {
        update("INSERT INTO vnis (network_id, vni) VALUES (?, ?)"
                + " ON CONFLICT (network_id) DO UPDATE SET vni = excluded.vni", networkId, vni);
    }

    public void deleteVni(String networkId) {
        update("DELETE FROM vnis WHERE network_id = ?", networkId);
    }

    public Map<String, Integer> vnis() {
        Map<String, Integer> vnis = new java.util.TreeMap<>();
        query("SELECT network_id, vni FROM vnis", rs -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> vnis.put(e.getKey(), e.getValue()));
        return vnis;
    }

    private void update(String sql, Object... args) {
        try {
            bind(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(StoreErrors.during(file, "write", e), e);
        }
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException(StoreErrors.during(file, "read", e), e);
        }
    }

    private PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement ps = session.statement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private <T> T fromJson(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt " + type.getSimpleName() + " row: " + e.getMessage(), e);
        }
    }
}
