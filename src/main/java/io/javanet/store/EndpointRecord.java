package io.javanet.store;

import io.javanet.net.PortBinding;
import java.util.List;
import java.util.Map;

/**
 * An endpoint as the driver created it: the veth pair's two names, its addresses (CIDR form, empty when
 * absent), its MAC, the sandbox Join named, the ports published for it, and the options its endpoint features
 * keep (none in a record written before features existed).
 */
public record EndpointRecord(String endpointId, String networkId, String hostIfName, String containerIfName,
                             String address, String addressIpv6, String macAddress, String sandboxKey,
                             List<PortBinding> portMap, Map<String, String> features) {

    public EndpointRecord {
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    public EndpointRecord withSandboxKey(String key) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, key, portMap, features);
    }

    public EndpointRecord withPortMap(List<PortBinding> ports) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, sandboxKey, ports, features);
    }
}
