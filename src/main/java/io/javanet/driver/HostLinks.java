package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.firewall.Firewall;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.Sysctls;
import io.javanet.net.Cidr;
import io.javanet.net.Subnet;
import io.javanet.store.NetworkRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host as the network modes see it: its links, addresses, routes and firewall, and what several modes do
 * alike with them (forwarding switches, deleting a link that may be gone already).
 */
public final class HostLinks {

    private static final Logger log = LoggerFactory.getLogger(HostLinks.class);

    public final Links links;
    public final Addresses addresses;
    public final RouteTable routes;
    public final Firewall firewall;
    private final Sysctls sysctls;

    public HostLinks(Links links, Addresses addresses, RouteTable routes, Sysctls sysctls, Firewall firewall) {
        this.links = links;
        this.addresses = addresses;
        this.routes = routes;
        this.sysctls = sysctls;
        this.firewall = firewall;
    }

    /** The host forwards what the network's containers send out (IPv6 too if the network has it). */
    public void enableForwarding(NetworkRecord network) {
        ensureSysctl("net/ipv4/ip_forward", "traffic leaving the host from network " + network.networkId()
                + " is not forwarded");
        if (network.subnets().stream().anyMatch(Subnet::isIpv6)) {
            ensureSysctl("net/ipv6/conf/all/forwarding", "IPv6 traffic leaving the host is not forwarded");
        }
    }

    /** Read only: whether {@link #enableForwarding} still holds. */
    public void checkForwarding(NetworkRecord network, Findings findings) {
        checkSysctl("net/ipv4/ip_forward", findings);
        if (network.subnets().stream().anyMatch(Subnet::isIpv6)) {
            checkSysctl("net/ipv6/conf/all/forwarding", findings);
        }
    }

    private void checkSysctl(String key, Findings findings) {
        String name = key.replace('/', '.');
        String value = sysctls.sysctl(key);
        findings.expect("1".equals(value), "forwarding", name + " = 1", name + " = " + value
                + ": the host forwards nothing the network's containers send out", "sysctl -w " + name + "=1");
    }

    /**
     * Sets a forwarding switch to 1 unless it already is (Docker sets them at its start). Where it cannot be
     * written (a managed plugin sees /proc/sys read-only) the network still works within the host, so this is a
     * warning, not a failure.
     */
    private void ensureSysctl(String key, String consequence) {
        if ("1".equals(sysctls.sysctl(key))) {
            return;
        }
        try {
            sysctls.setSysctl(key, "1");
        } catch (KernelException e) {
            log.warn("cannot set {}=1 ({}): {}", key.replace('/', '.'), e.getMessage(), consequence);
        }
    }

    public void deleteLink(String name) {
        LinkRemoval.deleteIfPresent(links, name);
    }

    public static List<IPAddress> pools(NetworkRecord network) {
        return network.subnets().stream().map(Subnet::pool).toList();
    }

    /** An endpoint's address as the host routes it: the one address, /32 or /128. */
    public static IPAddress hostAddress(String address) {
        IPAddress host = Cidr.parseInterfaceAddress("address", address);
        return host.setPrefixLength(host.getBitCount(), false);
    }
}
