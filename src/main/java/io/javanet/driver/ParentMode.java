package io.javanet.driver;

import io.javanet.failure.PluginException;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modes whose endpoints are sub-interfaces of a parent link, on the parent's own network: no bridge, no
 * NAT, no published ports. The parent is checked at create, made as an 802.1q VLAN when named {@code BASE.ID}
 * and missing, re-made if it went missing, and removed with the last network on it when ours.
 */
abstract sealed class ParentMode implements NetworkMode permits MacvlanMode, IpvlanMode {

    private static final Logger log = LoggerFactory.getLogger(ParentMode.class);

    protected final HostLinks host;
    protected final Links links;

    ParentMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
    }

    /** Refuses a parent that carries a network of another mode or sub-mode, or that neither is nor can be made. */
    @Override
    public NetworkRecord prepare(NetworkRecord network, List<NetworkRecord> existing) {
        for (NetworkRecord other : existing) {
            if (other.parent().equals(network.parent())
                    && !(other.mode() == network.mode() && other.subMode() == network.subMode())) {
                throw PluginException.conflict("-o %s: %s already carries network %s in %s mode %s, not %s mode %s",
                        Labels.PARENT, network.parent(), other.networkId(), other.mode(), other.subMode(),
                        network.mode(), network.subMode());
            }
        }
        if (links.exists(network.parent())) {
            return network;
        }
        Optional<VlanParent> vlan = VlanParent.of(network.parent());
        if (vlan.isEmpty()) {
            throw PluginException.invalid("-o %s: there is no link named %s on the host", Labels.PARENT,
                    network.parent());
        }
        if (!links.exists(vlan.get().base())) {
            throw PluginException.invalid("-o %s: there is no link named %s on the host, nor %s to make it a VLAN"
                    + " of", Labels.PARENT, network.parent(), vlan.get().base());
        }
        return network;
    }

    /** The VLAN parent a create makes, when the parent does not exist yet. */
    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return links.exists(network.parent()) ? Optional.empty() : Optional.of(network.parent());
    }

    /** The first step of a create: the VLAN parent made, if it is missing. */
    protected SetupSteps parentSteps(NetworkRecord network) {
        String parent = network.parent();
        return new SetupSteps().stepIf(!links.exists(parent), "vlan " + parent, () -> makeVlan(parent), () -> links.delete(parent));
    }

    private void makeVlan(String parent) {
        VlanParent vlan = VlanParent.of(parent).orElseThrow();
        try {
            links.addVlan(parent, vlan.base(), vlan.id());
        } catch (KernelException e) {
            throw PluginException.invalid("-o %s: cannot make %s, VLAN %d on %s (%s)", Labels.PARENT, parent,
                    vlan.id(), vlan.base(), e.getMessage());
        }
        links.setUp(parent);
        log.info("made VLAN parent {}: 802.1q id {} on {}", parent, vlan.id(), vlan.base());
    }

    /** The parent, to delete with the network, if we made it and no other network sits on it. */
    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        boolean shared = others.stream().anyMatch(other -> other.parent().equals(network.parent()));
        return !shared && links.owned().contains(network.parent()) ? List.of(network.parent()) : List.of();
    }

    @Override
    public EndpointLinks endpointLinks(String endpointId) {
        return EndpointLinks.subInterface(endpointId);
    }

    /** The link's MTU: the parent's unless one was asked for, since a sub-interface cannot exceed its parent's. */
    protected static int mtu(NetworkRecord network) {
        return network.generic().containsKey(Labels.MTU) ? network.mtu() : 0;
    }

    @Override
    public boolean vethEndpoints() {
        return false;
    }

    @Override
    public boolean onParentLan() {
        return true;
    }

    /** A VLAN parent of ours that went missing (a reboot, someone's ip link del) is made again. */
    @Override
    public void check(NetworkRecord network, Findings findings) {
        findings.expect(links.exists(network.parent()), "parent", network.parent(), network.parent()
                + " is missing: the network's containers are cut off from its LAN", VlanParent.of(network.parent())
                .isPresent() ? Findings.RESTART_PLUGIN : "make the link " + network.parent() + " again");
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        String parent = network.parent();
        expected.add(parent);
        Optional<VlanParent> vlan = VlanParent.of(parent);
        if (links.exists(parent) || vlan.isEmpty() || !links.exists(vlan.get().base())) {
            return 0;
        }
        log.warn("reconcile: VLAN parent {} of network {} is missing; re-creating it", parent, network.networkId());
        links.addVlan(parent, vlan.get().base(), vlan.get().id());
        links.setUp(parent);
        return 1;
    }
}
