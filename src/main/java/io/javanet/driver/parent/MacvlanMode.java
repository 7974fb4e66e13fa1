package io.javanet.driver.parent;

import io.javanet.driver.HostLinks;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.net.MacAddress;
import io.javanet.net.Mode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.Optional;

/**
 * {@code -o javanet.mode=macvlan -o parent=IFACE [-o macvlan_mode=…]}: each endpoint is a macvlan
 * sub-interface of the parent with a MAC of its own, on the parent's own network.
 */
public final class MacvlanMode extends ParentMode {

    public static final String MACVLAN_MODE = "macvlan_mode";

    public MacvlanMode(HostLinks host) {
        super(host, Mode.MACVLAN, MacvlanMode.MACVLAN_MODE);
    }

    /** The gateway is the LAN's router: reserved, so that no container is given its address. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        return true;
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        parentSteps(network).apply(undo);
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String link = endpoint.hostIfName();
        new SetupSteps()
                .step("macvlan " + link, () -> links.add(new Link.Macvlan(LinkAttrs.of(link, mtu(network)).withMac(mac),
                        parent(network), section(network).subMode())), () -> links.delete(link))
                .apply(undo);
    }
}
