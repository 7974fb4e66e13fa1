package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.firewall.Firewall;
import io.javanet.firewall.RoutedLink;
import io.javanet.ipam.Cidr;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.kernel.MacAddress;
import io.javanet.kernel.RouteTable;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.NetworkRecord.Subnet;
import io.javanet.store.PortBinding;
import io.javanet.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up reconciliation: the host made to match our state again. Runs under the driver's lock. */
final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Store store;
    private final Links links;
    private final Addresses addresses;
    private final RouteTable routes;
    private final Firewall firewall;
    private final HostLinks hostLinks;

    Reconciler(Store store, Links links, Addresses addresses, RouteTable routes, Firewall firewall, HostLinks hostLinks) {
        this.store = store;
        this.links = links;
        this.addresses = addresses;
        this.routes = routes;
        this.firewall = firewall;
        this.hostLinks = hostLinks;
    }

    /** See {@link NetworkDriver#reconcile()}; returns the number of repairs. */
    int reconcile() {
        int repairs = 0;
        Set<String> expected = new HashSet<>();
        for (NetworkRecord network : store.read(Store.Tx::networks)) {
            if (!network.isBridge()) {
                if (network.isRouted() && !network.internal()) {
                    hostLinks.enableForwarding(network);
                }
                if (network.hasParent()) {
                    expected.add(network.parent());
                    repairs += reconcileParent(network);
                }
                for (EndpointRecord endpoint : store.read(tx -> tx.endpoints(network.networkId()))) {
                    repairs += reconcileEndpoint(network, endpoint, expected);
                }
                continue;
            }
            String bridge = network.bridgeName();
            expected.add(bridge);
            if (!links.exists(bridge)) {
                log.warn("reconcile: bridge {} of network {} is missing; re-creating it", bridge, network.networkId());
                links.addBridge(bridge, network.mtu());
                repairs++;
            }
            List<IPAddress> present = addresses.addresses(bridge);
            for (Subnet subnet : network.subnets()) {
                IPAddress gateway = subnet.gateway().isEmpty() ? null : Cidr.parseInterfaceAddress("gateway", subnet.gateway());
                if (gateway != null && !present.contains(gateway)) {
                    log.warn("reconcile: gateway {} missing on {}; adding it", subnet.gateway(), bridge);
                    addresses.add(bridge, gateway);
                    repairs++;
                }
            }
            links.setUp(bridge);
            if (!network.internal()) {
                hostLinks.enableForwarding(network);
            }
            for (EndpointRecord endpoint : store.read(tx -> tx.endpoints(network.networkId()))) {
                repairs += reconcileEndpoint(network, endpoint, expected);
            }
        }
        for (String intended : store.read(Store.Tx::linkIntents)) {
            if (!expected.contains(intended) && links.exists(intended)) {
                log.warn("reconcile: removing {}, left half-made or half-removed by a crash", intended);
                hostLinks.deleteLink(intended);
                repairs++;
            }
            store.write(tx -> tx.deleteLinkIntent(intended));
        }
        for (String orphan : links.owned()) {
            if (!expected.contains(orphan)) {
                log.warn("reconcile: removing {}, made by us but unknown to our state (left by a crash)", orphan);
                hostLinks.deleteLink(orphan);
                repairs++;
            }
        }
        restoreFirewall();
        log.info("reconcile: {} repairs", repairs);
        return repairs;
    }

    /** A VLAN parent of ours that went missing (a reboot, someone's ip link del) is made again. */
    private int reconcileParent(NetworkRecord network) {
        String parent = network.parent();
        Optional<VlanParent> vlan = VlanParent.of(parent);
        if (links.exists(parent) || vlan.isEmpty() || !links.exists(vlan.get().base())) {
            return 0;
        }
        log.warn("reconcile: VLAN parent {} of network {} is missing; re-creating it", parent, network.networkId());
        links.addVlan(parent, vlan.get().base(), vlan.get().id());
        links.setUp(parent);
        return 1;
    }

    private int reconcileEndpoint(NetworkRecord network, EndpointRecord endpoint, Set<String> expected) {
        String hostIf = endpoint.hostIfName();
        expected.add(hostIf);
        if (!links.exists(hostIf)) {
            if (endpoint.sandboxKey() != null) {
                log.warn("reconcile: veth {} of endpoint {} is gone with its container's sandbox; Docker will remove"
                        + " the endpoint", hostIf, endpoint.endpointId());
                return 0;
            }
            log.warn("reconcile: link {} of endpoint {} is missing; re-creating it", hostIf, endpoint.endpointId());
            Optional<MacAddress> mac = endpoint.macAddress().isEmpty() ? Optional.empty()
                    : Optional.of(MacAddress.parse(endpoint.macAddress()));
            hostLinks.makeEndpointLink(network, endpoint, mac, new UndoLog());
            return 1;
        }
        if (network.isBridge() && !links.master(hostIf).equals(Optional.of(network.bridgeName()))) {
            log.warn("reconcile: veth {} was not on bridge {}; putting it back", hostIf, network.bridgeName());
            links.setMaster(hostIf, network.bridgeName());
            links.setUp(hostIf);
            return 1;
        }
        if (network.isRouted() && !endpoint.address().isEmpty()) {
            try {
                routes.addOnLinkRoute(HostLinks.hostAddress(endpoint.address()), hostIf);
                log.warn("reconcile: route to {} via {} was missing; added it", endpoint.address(), hostIf);
                return 1;
            } catch (KernelException e) {
                if (!e.isExists()) {
                    throw e;
                }
            }
        }
        return 0;
    }

    /** Makes the firewall hold exactly what our state says. */
    void restoreFirewall() {
        List<NetworkRecord> networks = store.read(Store.Tx::networks);
        List<PortBinding> ports = store.read(Store.Tx::publishedPorts);
        List<RoutedLink> routedLinks = new ArrayList<>();
        for (NetworkRecord network : networks) {
            if (network.isRouted()) {
                store.read(tx -> tx.endpoints(network.networkId())).forEach(e -> routedLinks.add(HostLinks.routedLink(network, e)));
            }
        }
        firewall.restore(networks.stream().filter(NetworkRecord::hasVeths).map(HostLinks::firewallNetwork).toList(),
                routedLinks, ports);
    }
}
