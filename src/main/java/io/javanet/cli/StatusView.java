package io.javanet.cli;

import io.javanet.api.status.PluginStatus;
import io.javanet.api.status.PluginStatus.EndpointStatus;
import io.javanet.api.status.PluginStatus.NetworkStatus;
import io.javanet.api.status.PluginStatus.PublishedPort;
import io.javanet.engine.EngineNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The rows {@code docker javanet} shows, from the plugins' status and Docker's names; no I/O. */
final class StatusView {

    /** A published port of a container, as {@code docker port} shows it. */
    record PortRow(String container, String network, String containerPort, String hostIp, int hostPort) {

        /** {@code 80/tcp -> 0.0.0.0:49153}, in docker port's words. */
        String dockerPortLine() {
            return containerPort + " -> " + host(hostIp, hostPort);
        }
    }

    /** A network of javanet's, with Docker's name. */
    record NetworkRow(String name, String id, String mode, String link, List<String> subnets, int endpoints,
                      List<String> flags) {
    }

    /** An endpoint of a network, with its container's name. */
    record EndpointRow(String container, String endpointId, String address, String addressIpv6, String macAddress,
                       String hostLink, List<String> ports) {
    }

    /** A network in full: its row and its endpoints. */
    record NetworkDetail(NetworkRow network, List<EndpointRow> endpoints) {
    }

    private final List<PluginStatus> plugins;
    private final EngineNames names;

    StatusView(List<PluginStatus> plugins, EngineNames names) {
        this.plugins = List.copyOf(plugins);
        this.names = names;
    }

    private List<NetworkStatus> networks() {
        return plugins.stream().flatMap(p -> p.networks().stream()).toList();
    }

    /** Every published port, or those of the endpoints in {@code only} (a container's), by container and port. */
    List<PortRow> ports(Set<String> only) {
        List<PortRow> rows = new ArrayList<>();
        for (NetworkStatus network : networks()) {
            for (EndpointStatus endpoint : network.endpoints()) {
                if (!only.isEmpty() && !only.contains(endpoint.endpointId())) {
                    continue;
                }
                for (PublishedPort port : endpoint.ports()) {
                    rows.add(new PortRow(container(endpoint), names.network(network.networkId()),
                            port.containerPort() + "/" + port.proto(), port.hostIp(), port.hostPort()));
                }
            }
        }
        rows.sort((a, b) -> (a.container() + a.containerPort()).compareTo(b.container() + b.containerPort()));
        return rows;
    }

    List<NetworkRow> networkRows() {
        return networks().stream().map(this::row).sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** The network with this ID, if javanet has it. */
    Optional<NetworkDetail> network(String networkId) {
        return networks().stream().filter(n -> n.networkId().equals(networkId)).findFirst()
                .map(n -> new NetworkDetail(row(n), n.endpoints().stream().map(this::endpointRow).toList()));
    }

    private NetworkRow row(NetworkStatus network) {
        List<String> flags = new ArrayList<>();
        if (network.internal()) {
            flags.add("internal");
        }
        if (network.encrypted()) {
            flags.add("encrypted");
        }
        return new NetworkRow(names.network(network.networkId()), network.networkId(),
                network.mode() + (network.subMode().isEmpty() ? "" : "/" + network.subMode()), network.link(),
                network.subnets(), network.endpoints().size(), flags);
    }

    private EndpointRow endpointRow(EndpointStatus endpoint) {
        return new EndpointRow(container(endpoint), endpoint.endpointId(), endpoint.address(), endpoint.addressIpv6(),
                endpoint.macAddress(), endpoint.hostLink(), endpoint.ports().stream()
                        .map(p -> p.containerPort() + "/" + p.proto() + " -> " + host(p.hostIp(), p.hostPort())).toList());
    }

    /** ADDRESS:PORT, any address as 0.0.0.0 and an IPv6 one in brackets, as Docker writes them. */
    static String host(String hostIp, int hostPort) {
        String host = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + hostPort;
    }

    /** The container's name, or the endpoint's short ID where the engine does not say. */
    private String container(EndpointStatus endpoint) {
        String name = names.container(endpoint.endpointId());
        return name.isEmpty() ? endpoint.endpointId().substring(0, Math.min(12, endpoint.endpointId().length())) : name;
    }
}
