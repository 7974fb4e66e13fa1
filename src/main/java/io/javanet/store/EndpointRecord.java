package io.javanet.store;

import io.javanet.net.PortBinding;
import java.util.List;

/**
 * An endpoint as the driver created it: the veth pair's two names, its addresses (CIDR form, empty when
 * absent), its MAC, the sandbox Join named, and the ports published for it.
 */
public record EndpointRecord(String endpointId, String networkId, String hostIfName, String containerIfName,
                             String address, String addressIpv6, String macAddress, String sandboxKey,
                             List<PortBinding> portMap) {

    public EndpointRecord withSandboxKey(String key) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, key, portMap);
    }

    public EndpointRecord withPortMap(List<PortBinding> ports) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, sandboxKey, ports);
    }
}
