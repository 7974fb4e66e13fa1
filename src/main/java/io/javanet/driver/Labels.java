package io.javanet.driver;

/** Option keys the driver reads, as Docker and our users spell them. */
public final class Labels {

    private Labels() {
    }

    public static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
    public static final String INTERNAL = "com.docker.network.internal";
    public static final String GENERIC = "com.docker.network.generic";
    /** The prefix of the container's interface names (eth0, eth1…); every mode takes it. */
    public static final String CONTAINER_IFACE_PREFIX = "com.docker.network.container_iface_prefix";
    /** Docker's namespace: a key in it that javanet does not take is an option of Docker's drivers, refused. */
    public static final String DOCKER_PREFIX = "com.docker.network.";
    /** Docker 28+: the container's interface name, which Docker does not let a remote driver set. */
    public static final String ENDPOINT_IFNAME = "com.docker.network.endpoint.ifname";
    public static final String MTU = "com.docker.network.driver.mtu";
    public static final String MODE = "javanet.mode";
    /** The link a mode builds on, as Docker's own drivers spell it. */
    public static final String PARENT = "parent";
    public static final String ALLOW_HOST_SUBNET = "javanet.allow_host_subnet";
    public static final String ENDPOINT_MAC = "com.docker.network.endpoint.macaddress";
    public static final String PORT_MAP = "com.docker.network.portmap";

    /** Our own namespace: an unknown key in it is a typo we reject rather than ignore. */
    public static final String JAVANET_PREFIX = "javanet.";
}
