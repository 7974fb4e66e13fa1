package io.javanet.cli;

import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.engine.EngineInfo;
import io.javanet.engine.EngineNames;
import io.javanet.engine.SwarmNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The rows {@code docker javanet doctor} shows, from each node's engine and plugins; no I/O. */
final class DoctorView {

    private DoctorView() {
    }

    static final String OK = "ok";
    static final String FAIL = "FAIL";
    static final String SKIP = "skip";

    /** One check as shown: its node (empty for this host alone), what it is about, and its fix when it failed. */
    record Row(String node, String status, String subject, String check, String detail, String fix) {

        boolean failed() {
            return status.equals(FAIL);
        }
    }

    /** One javanet plugin of a node: its diagnosis, or why it gave none. */
    record PluginReport(String plugin, Optional<Diagnosis> diagnosis, String error) {

        static PluginReport of(String plugin, Diagnosis diagnosis) {
            return new PluginReport(plugin, Optional.of(diagnosis), "");
        }

        static PluginReport failed(String plugin, String error) {
            return new PluginReport(plugin, Optional.empty(), error);
        }

        boolean global() {
            return diagnosis.map(d -> d.scope().equals("global")).orElse(false);
        }
    }

    /** One node: its engine when it answered, Docker's names there, and its javanet plugins. */
    record NodeReport(String node, Optional<EngineInfo> engine, EngineNames names, List<PluginReport> plugins) {

        /** The node's swarm address: as its global plugin knows it, else as its engine says. */
        String address() {
            return plugins.stream().flatMap(p -> p.diagnosis().stream()).map(Diagnosis::node).filter(a -> !a.isEmpty())
                    .findFirst().orElse(engine.map(EngineInfo::nodeAddress).orElse(""));
        }

        Optional<Diagnosis> global() {
            return plugins.stream().filter(PluginReport::global).flatMap(p -> p.diagnosis().stream()).findFirst();
        }
    }

    /** Every check of every node, each node's engine first. */
    static List<Row> rows(List<NodeReport> nodes) {
        List<Row> rows = new ArrayList<>();
        for (NodeReport node : nodes) {
            rows.add(node.engine().map(e -> new Row(node.node(), OK, "engine", "engine", e.describe(), ""))
                    .orElseGet(() -> new Row(node.node(), FAIL, "engine", "engine", "the engine does not answer",
                            "start dockerd, or give its socket with --engine-socket")));
            for (PluginReport plugin : node.plugins()) {
                if (plugin.diagnosis().isEmpty()) {
                    rows.add(new Row(node.node(), FAIL, plugin.plugin(), "plugin", plugin.error(),
                            "docker plugin enable " + plugin.plugin() + "; see its log (journalctl -u docker)"));
                    continue;
                }
                for (Check check : plugin.diagnosis().get().checks()) {
                    rows.add(new Row(node.node(), check.ok() ? OK : FAIL, subject(plugin.plugin(), node.names(), check),
                            check.check(), check.detail(), check.fix().replace("PLUGIN", plugin.plugin())));
                }
            }
        }
        return rows;
    }

    /**
     * The swarm's nodes compared: each node's own checks, then, for each overlay network, whether every node that
     * has it floods to every other that has it, whether every node runs a global javanet, and which nodes of the
     * swarm could not be reached from here.
     */
    static List<Row> swarmRows(List<NodeReport> nodes, List<SwarmNode> swarm) {
        List<Row> rows = new ArrayList<>(rows(nodes));
        boolean anyGlobal = nodes.stream().anyMatch(n -> n.global().isPresent());
        for (NodeReport node : nodes) {
            if (anyGlobal && node.global().isEmpty()) {
                rows.add(new Row(node.node(), FAIL, "swarm", "global plugin", "no enabled global-scope javanet: javanet's"
                        + " overlay networks cannot reach this node", "install it as on the other nodes (see the README,"
                        + " \"Across hosts: the overlay\")"));
            }
        }
        Map<String, Map<NodeReport, Diagnosis>> holders = new LinkedHashMap<>();
        for (NodeReport node : nodes) {
            node.global().ifPresent(d -> d.floods().keySet().forEach(network ->
                    holders.computeIfAbsent(network, n -> new LinkedHashMap<>()).put(node, d)));
        }
        holders.forEach((network, holding) -> {
            if (holding.size() > 1) {
                holding.forEach((node, diagnosis) -> floodingAgainstTheOthers(network, node, diagnosis, holding.keySet())
                        .ifPresent(rows::add));
            }
        });
        Set<String> reached = nodes.stream().map(NodeReport::address).collect(Collectors.toSet());
        for (SwarmNode other : swarm) {
            if (!reached.contains(other.address())) {
                rows.add(new Row(other.hostname(), SKIP, "swarm", "node", "not checked: no engine of this node runs on"
                        + " this machine (" + other.state() + ", " + other.address() + ")", "run docker javanet doctor on it"));
            }
        }
        return rows;
    }

    private static Optional<Row> floodingAgainstTheOthers(String network, NodeReport node, Diagnosis diagnosis,
                                                Set<NodeReport> holding) {
        String name = node.names().network(network);
        List<String> floods = diagnosis.floods().get(network);
        List<NodeReport> unflooded = holding.stream().filter(other -> other != node && !floods.contains(other.address()))
                .toList();
        List<String> missing = unflooded.stream().filter(other -> !reportedByItself(diagnosis, network, other.address()))
                .map(other -> other.node() + " (" + other.address() + ")").sorted().toList();
        if (unflooded.isEmpty()) {
            return Optional.of(new Row(node.node(), OK, name, "swarm flooding", "to every other node that has it ("
                    + (holding.size() - 1) + ")", ""));
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Row(node.node(), FAIL, name, "swarm flooding", "does not flood to " + String.join(", ", missing)
                + ", which " + (missing.size() == 1 ? "has" : "have") + " the network", Diagnosis.RESTART_PLUGIN));
    }

    /** The node's own plugin found the peer missing already (its engine lists it): said once, by the node. */
    private static boolean reportedByItself(Diagnosis diagnosis, String network, String peer) {
        return diagnosis.checks().stream().anyMatch(c -> !c.ok() && c.network().equals(network)
                && c.check().equals("flooding") && c.detail().contains("node " + peer + ","));
    }

    /** A host-wide check is about the plugin; a network's by Docker's name; an endpoint's by its container's. */
    private static String subject(String plugin, EngineNames names, Check check) {
        if (check.network().isEmpty()) {
            return plugin;
        }
        String network = names.network(check.network());
        if (check.endpoint().isEmpty()) {
            return network;
        }
        String container = names.container(check.endpoint());
        return network + "/" + (container.isEmpty() ? check.endpoint().substring(0, Math.min(12, check.endpoint().length()))
                : container);
    }

    /** The rows as a table, then the fix of each failed check, then a verdict. */
    static String text(List<Row> rows, boolean withNode) {
        List<String> header = withNode ? List.of("NODE", "STATUS", "SUBJECT", "CHECK", "DETAIL")
                : List.of("STATUS", "SUBJECT", "CHECK", "DETAIL");
        StringBuilder text = new StringBuilder(Table.of(rows, header, r -> withNode
                ? List.of(r.node(), r.status(), r.subject(), r.check(), r.detail())
                : List.of(r.status(), r.subject(), r.check(), r.detail())).text());
        List<Row> failed = rows.stream().filter(Row::failed).toList();
        String nl = System.lineSeparator();
        if (failed.isEmpty()) {
            return text.append(nl).append("No problem found.").append(nl).toString();
        }
        text.append(nl).append(failed.size()).append(failed.size() == 1 ? " problem:" : " problems:").append(nl);
        for (Row row : failed) {
            text.append("- ").append(withNode ? row.node() + ": " : "").append(row.subject()).append(", ").append(row.check())
                    .append(": ").append(row.detail()).append(nl).append("  fix: ").append(row.fix()).append(nl);
        }
        return text.toString();
    }
}
