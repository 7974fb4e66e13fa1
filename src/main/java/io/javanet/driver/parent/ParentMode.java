package io.javanet.driver.parent;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.javanet.driver.Findings;
import io.javanet.driver.HostLinks;
import io.javanet.driver.Labels;
import io.javanet.driver.ModeSection;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.SetupSteps;
import io.javanet.failure.PluginException;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.Mode;
import io.javanet.net.SubMode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Map;
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

    private final Mode mode;
    private final String subModeKey;

    /** @param subModeKey the {@code -o} key that names the mode's sub-mode */
    ParentMode(HostLinks host, Mode mode, String subModeKey) {
        this.host = host;
        this.links = host.links;
        this.mode = mode;
        this.subModeKey = subModeKey;
    }

    /** A macvlan or ipvlan network's part of its record: its parent link and its sub-mode. */
    record Section(String parent, @JsonAlias("macvlanMode") SubMode subMode) {
    }

    static Section section(NetworkRecord network) {
        return ModeSection.read(network, Section.class);
    }

    static String parent(NetworkRecord network) {
        return section(network).parent();
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(Labels.PARENT, subModeKey);
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        return ModeSection.of(new Section(NetworkOptions.requiredParent(generic, mode, "the host link the network sits on"),
                NetworkOptions.subMode(generic, subModeKey, mode)));
    }

    @Override
    public String link(NetworkRecord network) {
        return parent(network);
    }

    @Override
    public String variant(NetworkRecord network) {
        return section(network).subMode().wireName();
    }

    /** Refuses a parent that carries a network of another mode or sub-mode, or that neither is nor can be made. */
    @Override
    public NetworkRecord prepare(NetworkRecord network, List<NetworkRecord> existing) {
        Section asked = section(network);
        for (NetworkRecord other : existing) {
            Section theirs = section(other);
            if (asked.parent().equals(theirs.parent()) && !(other.mode() == network.mode() && theirs.subMode() == asked.subMode())) {
                throw PluginException.conflict("-o %s: %s already carries network %s in %s mode %s, not %s mode %s",
                        Labels.PARENT, asked.parent(), other.networkId(), other.mode(), theirs.subMode(),
                        network.mode(), asked.subMode());
            }
        }
        if (links.exists(parent(network))) {
            return network;
        }
        Optional<VlanParent> vlan = VlanParent.of(parent(network));
        if (vlan.isEmpty()) {
            throw PluginException.invalid("-o %s: there is no link named %s on the host", Labels.PARENT,
                    parent(network));
        }
        if (!links.exists(vlan.get().base())) {
            throw PluginException.invalid("-o %s: there is no link named %s on the host, nor %s to make it a VLAN"
                    + " of", Labels.PARENT, parent(network), vlan.get().base());
        }
        return network;
    }

    /** The VLAN parent a create makes, when the parent does not exist yet. */
    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return links.exists(parent(network)) ? Optional.empty() : Optional.of(parent(network));
    }

    /** The first step of a create: the VLAN parent made, if it is missing. */
    protected SetupSteps parentSteps(NetworkRecord network) {
        String parent = parent(network);
        return new SetupSteps().stepIf(!links.exists(parent), "vlan " + parent, () -> makeVlan(parent), () -> links.delete(parent));
    }

    private void makeVlan(String parent) {
        VlanParent vlan = VlanParent.of(parent).orElseThrow();
        try {
            links.add(new Link.Vlan(LinkAttrs.of(parent, 0), vlan.base(), vlan.id()));
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
        boolean shared = others.stream().anyMatch(other -> parent(network).equals(parent(other)));
        return !shared && links.owned().contains(parent(network)) ? List.of(parent(network)) : List.of();
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
    public boolean onParentLan(NetworkRecord network) {
        return true;
    }

    /** A VLAN parent of ours that went missing (a reboot, someone's ip link del) is made again. */
    @Override
    public void check(NetworkRecord network, Findings findings) {
        findings.expect(links.exists(parent(network)), "parent", parent(network), parent(network)
                + " is missing: the network's containers are cut off from its LAN", VlanParent.of(parent(network))
                .isPresent() ? Findings.RESTART_PLUGIN : "make the link " + parent(network) + " again");
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        String parent = parent(network);
        expected.add(parent);
        Optional<VlanParent> vlan = VlanParent.of(parent);
        if (links.exists(parent) || vlan.isEmpty() || !links.exists(vlan.get().base())) {
            return 0;
        }
        log.warn("reconcile: VLAN parent {} of network {} is missing; re-creating it", parent, network.networkId());
        links.add(new Link.Vlan(LinkAttrs.of(parent, 0), vlan.get().base(), vlan.get().id()));
        links.setUp(parent);
        return 1;
    }
}
