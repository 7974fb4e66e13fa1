package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.RouteTable;
import io.javanet.net.Cidr;
import io.javanet.net.Mode;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a global-scope install does for the swarm as a whole: the leader's choices for each overlay network, and
 * the other nodes, kept (nothing replays them after a restart) and flooded to on every overlay network.
 */
final class Swarm {

    private static final Logger log = LoggerFactory.getLogger(Swarm.class);

    private final Store store;
    private final OverlayMode overlay;
    private final RouteTable routes;

    Swarm(Store store, OverlayMode overlay, RouteTable routes) {
        this.store = store;
        this.overlay = overlay;
        this.routes = routes;
    }

    void nodeJoined(IPAddress node) {
        store.write(tx -> tx.putPeer(Cidr.hostText(node)));
        overlays().forEach(n -> overlay.peerJoined(n, node));
        log.info("swarm node {} joined", Cidr.hostText(node));
    }

    void nodeLeft(IPAddress node) {
        overlays().forEach(n -> overlay.peerLeft(n, node));
        store.write(tx -> tx.deletePeer(Cidr.hostText(node)));
        log.info("swarm node {} left", Cidr.hostText(node));
    }

    private List<NetworkRecord> overlays() {
        return store.read(Store.Tx::networks).stream().filter(n -> n.mode() == Mode.OVERLAY).toList();
    }

    /**
     * The options every node will create the network with: the user's, plus what all must agree on, the VXLAN
     * id and the MTU, 50 below the underlay's (taken as the MTU of this node's default route). A repeated call (a
     * new leader) gives the same answer.
     */
    Map<String, String> allocate(String networkId, Map<String, String> given) {
        int vni = store.read(tx -> Optional.ofNullable(tx.vnis().get(networkId))).orElseGet(() -> allocateVni(networkId));
        Map<String, String> options = new LinkedHashMap<>(given);
        options.put(Labels.VNI, Integer.toString(vni));
        if (!options.containsKey(Labels.MTU)) {
            int underlay = routes.uplinkMtu().orElse(NetworkOptions.DEFAULT_MTU);
            options.put(Labels.MTU, Integer.toString(underlay - OverlayMode.VXLAN_OVERHEAD));
        }
        log.info("overlay network {} allocated VXLAN id {}", networkId, vni);
        return options;
    }

    /** A VXLAN id from the network's ID, so every leader picks alike, moved on past any already given. */
    private int allocateVni(String networkId) {
        Set<Integer> taken = Set.copyOf(store.read(Store.Tx::vnis).values());
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
