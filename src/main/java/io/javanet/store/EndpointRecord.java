package io.javanet.store;

import java.util.List;
import java.util.Map;

/**
 * An endpoint as the driver created it: the veth pair's two names, its addresses (CIDR form, empty when
 * absent), its MAC, and what Join and ProgramExternalConnectivity told us.
 */
public record EndpointRecord(String endpointId, String networkId, String hostIfName, String containerIfName,
                             String address, String addressIpv6, String macAddress, String sandboxKey,
                             List<Map<String, Object>> portMap) {

    public EndpointRecord withSandboxKey(String key) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, key, portMap);
    }

    public EndpointRecord withPortMap(List<Map<String, Object>> ports) {
        return new EndpointRecord(endpointId, networkId, hostIfName, containerIfName, address, addressIpv6,
                macAddress, sandboxKey, ports);
    }
}
