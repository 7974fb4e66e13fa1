package io.javanet.driver;

/** Option keys the driver reads, as Docker and our users spell them. */
public final class Labels {

    private Labels() {
    }

    public static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
    public static final String INTERNAL = "com.docker.network.internal";
    public static final String GENERIC = "com.docker.network.generic";
    public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    public static final String MTU = "com.docker.network.driver.mtu";
    public static final String MODE = "javanet.mode";
    /** As Docker's own macvlan driver spells them. */
    public static final String PARENT = "parent";
    public static final String MACVLAN_MODE = "macvlan_mode";
    public static final String IPVLAN_MODE = "ipvlan_mode";
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
