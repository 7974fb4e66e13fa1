package io.javanet.driver.bridge;

import io.javanet.driver.Findings;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Endpoints as veth pairs whose host end is a port of a bridge: made, put back, checked. */
final class BridgePorts {

    private static final Logger log = LoggerFactory.getLogger(BridgePorts.class);

    private final Links links;

    BridgePorts(Links links) {
        this.links = links;
    }

    /**
     * The endpoint's veth on {@code bridge}; {@code isolated}, a port that reaches no other isolated port, only the
     * bridge itself (the host) and ports that are not: containers that may not reach each other (enable_icc=false),
     * kept apart by the bridge, whatever the host's firewall sees of bridged frames.
     */
    void add(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, String bridge, boolean isolated,
             UndoLog undo) {
        String veth = endpoint.hostIfName();
        new SetupSteps()
                .step("veth " + veth + " on " + bridge, () -> addVethOnBridge(network, endpoint, mac, bridge),
                        () -> links.delete(veth))
                .stepIf(isolated, "veth " + veth + " isolated on " + bridge, () -> links.setPortIsolated(veth))
                .apply(undo);
    }

    private void addVethOnBridge(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, String bridge) {
        try {
            links.add(new Link.Veth(LinkAttrs.of(endpoint.hostIfName(), network.mtu()).onBridge(bridge),
                    endpoint.containerIfName(), mac));
        } catch (KernelException e) {
            if (e.errno().equals(Errno.EXFULL)) {
                throw PluginException.conflict("network %s is full: its bridge %s has the 1024 ports the kernel allows"
                        + " a bridge (a routed network has no such limit)", network.networkId(), bridge);
            }
            throw e;
        }
    }

    /**
     * An endpoint's veth found off its bridge (someone's nomaster, a re-made bridge) is put back; an isolated one is
     * isolated again whether or not it moved, as a re-made port loses it.
     */
    int repair(EndpointRecord endpoint, String bridge, boolean isolated) {
        String veth = endpoint.hostIfName();
        int repairs = 0;
        if (!links.master(veth).equals(Optional.of(bridge))) {
            log.warn("reconcile: veth {} was not on bridge {}; putting it back", veth, bridge);
            links.setMaster(veth, bridge);
            links.setUp(veth);
            repairs++;
        }
        if (isolated) {
            links.setPortIsolated(veth);
        }
        return repairs;
    }

    void check(EndpointRecord endpoint, String bridge, Findings findings) {
        Optional<String> master = links.master(endpoint.hostIfName());
        findings.expect(master.equals(Optional.of(bridge)), "on the bridge", endpoint.hostIfName() + " on " + bridge,
                endpoint.hostIfName() + " is " + master.map(m -> "on " + m).orElse("on no bridge") + ", not on " + bridge,
                Findings.RESTART_PLUGIN);
    }
}
