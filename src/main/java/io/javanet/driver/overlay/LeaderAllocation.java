package io.javanet.driver.overlay;

import io.javanet.driver.Labels;
import io.javanet.driver.NetworkOptions;
import io.javanet.kernel.RouteTable;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The swarm leader's part: what every node must agree on for an overlay network, chosen once and kept. */
final class LeaderAllocation {

    private static final Logger log = LoggerFactory.getLogger(LeaderAllocation.class);

    private final Store store;
    private final RouteTable routes;

    LeaderAllocation(Store store, RouteTable routes) {
        this.store = store;
        this.routes = routes;
    }

    /**
     * The options every node will create the network with: the user's, plus what all must agree on, the VXLAN
     * id and the MTU, 50 below the underlay's (taken as the MTU of this node's default route), 150 below for an
     * encrypted network (VXLAN over IPv6 inside WireGuard, over IPv4 or IPv6). A repeated call (a
     * new leader) gives the same answer.
     */
    Map<String, String> allocate(String networkId, Map<String, String> given) {
        int vni = store.read(tx -> Optional.ofNullable(tx.vnis().get(networkId))).orElseGet(() -> allocateVni(networkId));
        Map<String, String> options = new LinkedHashMap<>(given);
        options.put(OverlayMode.VNI, Integer.toString(vni));
        if (!options.containsKey(Labels.MTU)) {
            int underlay = routes.uplinkMtu().orElse(NetworkOptions.DEFAULT_MTU);
            int overhead = given.containsKey(OverlayMode.ENCRYPTED) ? OverlayEncryption.OVERHEAD : OverlayMode.VXLAN_OVERHEAD;
            options.put(Labels.MTU, Integer.toString(underlay - overhead));
        }
        log.info("overlay network {} allocated VXLAN id {}", networkId, vni);
        return options;
    }

    /** A VXLAN id from the network's ID, so every leader picks alike, moved on past any already given. */
    private int allocateVni(String networkId) {
        Set<Integer> taken = Set.copyOf(store.read(Tx::vnis).values());
        int span = 0xffffff - OverlayMode.FIRST_VNI + 1;
        int vni = OverlayMode.FIRST_VNI + Math.floorMod(networkId.hashCode(), span);
        while (taken.contains(vni)) {
            vni = vni == 0xffffff ? OverlayMode.FIRST_VNI : vni + 1;
        }
        int chosen = vni;
        store.write(tx -> tx.putVni(networkId, chosen));
        return chosen;
    }

    void free(String networkId) {
        store.write(tx -> tx.deleteVni(networkId));
    }
}
