package io.javanet.driver;

/** Option keys the driver reads, as Docker and our users spell them. */
public final class Labels {

    private Labels() {
    }

    public static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
    public static final String INTERNAL = "com.docker.network.internal";
    public static final String GENERIC = "com.docker.network.generic";
    public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    /** Docker's bridge driver's options, which a bridge network honours as that driver does. */
    public static final String ENABLE_ICC = "com.docker.network.bridge.enable_icc";
    public static final String ENABLE_IP_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    public static final String HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";
    public static final String INHIBIT_IPV4 = "com.docker.network.bridge.inhibit_ipv4";
    public static final String GATEWAY_MODE_IPV4 = "com.docker.network.bridge.gateway_mode_ipv4";
    public static final String GATEWAY_MODE_IPV6 = "com.docker.network.bridge.gateway_mode_ipv6";
    public static final String TRUSTED_HOST_INTERFACES = "com.docker.network.bridge.trusted_host_interfaces";
    public static final String HOST_IPV4 = "com.docker.network.host_ipv4";
    public static final String HOST_IPV6 = "com.docker.network.host_ipv6";
    /** The prefix of the container's interface names (eth0, eth1…); every mode takes it. */
    public static final String CONTAINER_IFACE_PREFIX = "com.docker.network.container_iface_prefix";
    /** Docker's namespace: a key in it that javanet does not take is an option of Docker's drivers, refused. */
    public static final String DOCKER_PREFIX = "com.docker.network.";
    /** Docker 28+: the container's interface name, which Docker does not let a remote driver set. */
    public static final String ENDPOINT_IFNAME = "com.docker.network.endpoint.ifname";
    public static final String MTU = "com.docker.network.driver.mtu";
    public static final String MODE = "javanet.mode";
    /** As Docker's own macvlan driver spells them. */
    public static final String PARENT = "parent";
    public static final String MACVLAN_MODE = "macvlan_mode";
    public static final String IPVLAN_MODE = "ipvlan_mode";
    public static final String IPVLAN_FLAG = "ipvlan_flag";
    /** An overlay network's VXLAN id, chosen by AllocateNetwork on the swarm's leader and handed to every node. */
    public static final String VNI = "javanet.vni";
    public static final String ALLOW_HOST_SUBNET = "javanet.allow_host_subnet";
    /** {@code docker network create --opt encrypted}, as Docker's own overlay spells it. */
    public static final String ENCRYPTED = "encrypted";
    public static final String ENDPOINT_MAC = "com.docker.network.endpoint.macaddress";
    public static final String PORT_MAP = "com.docker.network.portmap";

    /** Our own namespace: an unknown key in it is a typo we reject rather than ignore. */
    public static final String JAVANET_PREFIX = "javanet.";
}
