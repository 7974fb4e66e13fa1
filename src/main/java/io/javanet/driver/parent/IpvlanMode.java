package io.javanet.driver.parent;

import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.StaticRoute;
import io.javanet.driver.HostLinks;
import io.javanet.driver.Labels;
import io.javanet.driver.LinkNames;
import io.javanet.driver.ModeSection;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.MacAddress;
import io.javanet.net.Mode;
import io.javanet.net.SubMode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code -o javanet.mode=ipvlan -o parent=IFACE [-o ipvlan_mode=l2|l3]}: each endpoint is an ipvlan
 * sub-interface of the parent, sharing its MAC. In l2 the containers use the LAN's gateway; in l3 the parent
 * routes and they get an on-link default route instead.
 */
public final class IpvlanMode extends ParentMode {

    public static final String IPVLAN_MODE = "ipvlan_mode";
    public static final String IPVLAN_FLAG = "ipvlan_flag";

    public IpvlanMode(HostLinks host) {
        super(host, Mode.IPVLAN, IpvlanMode.IPVLAN_MODE);
    }

    /**
     * Docker's ipvlan {@code -o ipvlan_flag}: its sub-interfaces switch between each other ({@code bridge}, the
     * default) unless told not to ({@code private}, {@code vepa}), which javanet does not do.
     */
    @Override
    public Set<String> optionKeys() {
        Set<String> keys = new HashSet<>(super.optionKeys());
        keys.add(IpvlanMode.IPVLAN_FLAG);
        return Set.copyOf(keys);
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        String flag = generic.getOrDefault(IpvlanMode.IPVLAN_FLAG, "bridge");
        if (!flag.equals("bridge")) {
            throw PluginException.invalid("-o %s=%s: javanet's ipvlan sub-interfaces switch between each other (bridge);"
                    + " private and vepa are not implemented", IpvlanMode.IPVLAN_FLAG, flag);
        }
        return super.parseOptions(generic);
    }

    /** Layer 2 uses the LAN's router, kept reserved; layer 3 has no gateway at all. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        return ModeSection.read(options.section(), Section.class).subMode() != SubMode.L3;
    }

    /**
     * Makes and removes an ipvlan on the parent, so that a kernel without ipvlan, or a parent that cannot carry
     * one, is refused at {@code docker network create} rather than at the first {@code docker run}.
     */
    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        parentSteps(network)
                .step("probe ipvlan on " + parent(network), () -> probe(network))
                .apply(undo);
    }

    private void probe(NetworkRecord network) {
        String probe = LinkNames.probe(network.networkId());
        try {
            links.add(new Link.Ipvlan(LinkAttrs.of(probe, 0), parent(network), section(network).subMode()));
        } catch (KernelException e) {
            throw PluginException.invalid("-o %s=ipvlan: this host cannot make an ipvlan on %s (%s)", Labels.MODE,
                    parent(network), e.getMessage());
        }
        host.deleteLink(probe);
    }

    /** An ipvlan shares its parent's MAC: none can be given. */
    @Override
    public Optional<MacAddress> mac(Optional<MacAddress> given, String address) {
        if (given.isPresent()) {
            throw PluginException.invalid("Interface.MacAddress: %s cannot be set: an ipvlan shares its parent's MAC"
                    + " address", given.get());
        }
        return Optional.empty();
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String link = endpoint.hostIfName();
        new SetupSteps()
                .step("ipvlan " + link, () -> links.add(new Link.Ipvlan(LinkAttrs.of(link, mtu(network)), parent(network),
                        section(network).subMode())), () -> links.delete(link))
                .apply(undo);
    }

    /** Layer 3 ipvlan answers no ARP: everything leaves through the parent, with no gateway to find. */
    @Override
    public JoinResponse join(NetworkRecord network, EndpointRecord endpoint) {
        InterfaceName name = new InterfaceName(endpoint.containerIfName(), NetworkMode.interfacePrefix(network));
        if (section(network).subMode() != SubMode.L3) {
            return NetworkMode.subnetGateways(network, endpoint);
        }
        List<StaticRoute> defaults = new ArrayList<>();
        defaults.add(new StaticRoute("0.0.0.0/0", StaticRoute.CONNECTED, null));
        if (!endpoint.addressIpv6().isEmpty()) {
            defaults.add(new StaticRoute("::/0", StaticRoute.CONNECTED, null));
        }
        return new JoinResponse(name, null, null, network.internal() ? null : defaults, true);
    }
}
