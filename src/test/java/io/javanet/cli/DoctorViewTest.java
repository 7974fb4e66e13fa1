package io.javanet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.Diagnosis.Check;
import io.javanet.cli.DoctorView.NodeReport;
import io.javanet.cli.DoctorView.PluginReport;
import io.javanet.cli.DoctorView.Row;
import io.javanet.engine.EngineInfo;
import io.javanet.engine.EngineNames;
import io.javanet.engine.SwarmNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What doctor shows of one host and of a swarm's nodes compared, from their plugins' diagnoses. */
class DoctorViewTest {

    private static final String NET = "n1n1n1n1n1n1n1n1";
    private static final EngineNames NAMES = new EngineNames(Map.of("e1e1e1e1e1e1e1e1", "web"), Map.of(NET, "it-ov"));

    private static EngineInfo engine(String name, String address) {
        return new EngineInfo("id-" + name, name, "28.5.2", "iptables", "node-" + name, address, List.of("node-node1"), true);
    }

    private static NodeReport node(String name, String address, Map<String, List<String>> floods, Check... checks) {
        return new NodeReport(name, Optional.of(engine(name, address)), NAMES, List.of(PluginReport.of("javanet-global:latest",
                new Diagnosis("global", address, List.of(checks), floods))));
    }

    private static Check ok(String network, String endpoint, String check, String detail) {
        return new Check(network, endpoint, check, true, detail, "");
    }

    @Test
    void aHostsChecksAreNamedAsDockerNamesThemAndTheFixNamesThePlugin() {
        NodeReport host = new NodeReport("", Optional.of(engine("h", "")), NAMES, List.of(PluginReport.of("javanet:latest",
                new Diagnosis("local", "", List.of(ok("", "", "firewall", "our table is there"),
                        ok(NET, "e1e1e1e1e1e1e1e1", "link", "jnv-e1"),
                        new Check(NET, "", "bridge", false, "jn-n1 is missing", Diagnosis.RESTART_PLUGIN)), Map.of()))));
        List<Row> rows = DoctorView.rows(List.of(host));
        assertThat(rows).extracting(Row::status, Row::subject, Row::check).containsExactly(
                tuple("ok", "engine", "engine"), tuple("ok", "javanet:latest", "firewall"), tuple("ok", "it-ov/web", "link"),
                tuple("FAIL", "it-ov", "bridge"));
        assertThat(rows.get(0).detail()).isEqualTo("Docker 28.5.2, firewall backend iptables");
        assertThat(rows.get(3).fix()).endsWith("docker plugin disable -f javanet:latest && docker plugin enable javanet:latest");
        String text = DoctorView.text(rows, false);
        assertThat(text).startsWith("STATUS").contains("1 problem:\n- it-ov, bridge: jn-n1 is missing\n  fix: restart the plugin");
    }

    @Test
    void aHealthyHostSaysSoAndAnEngineOrPluginThatDoesNotAnswerFails() {
        NodeReport healthy = new NodeReport("", Optional.of(engine("h", "")), NAMES, List.of(PluginReport.of("javanet",
                new Diagnosis("local", "", List.of(ok("", "", "firewall", "x")), Map.of()))));
        assertThat(DoctorView.text(DoctorView.rows(List.of(healthy)), false)).endsWith("No problem found.\n");
        NodeReport silent = new NodeReport("", Optional.empty(), NAMES, List.of(PluginReport.failed("javanet", "no javanet answers")));
        assertThat(DoctorView.rows(List.of(silent))).extracting(Row::status, Row::check, Row::detail).containsExactly(
                tuple("FAIL", "engine", "the engine does not answer"), tuple("FAIL", "plugin", "no javanet answers"));
    }

    /**
     * Three nodes hold the network; node2's flood list lacks node3. Each node's own checks pass (node2's engine
     * did not list node3, say), and only the comparison finds it; a fourth node of the swarm is out of reach.
     */
    @Test
    void theSwarmComparedFindsANodeWhoseFloodListLacksAnotherThatHasTheNetwork() {
        NodeReport node1 = node("node1", "192.168.77.11", Map.of(NET, List.of("192.168.77.12", "192.168.77.13")));
        NodeReport node2 = node("node2", "192.168.77.12", Map.of(NET, List.of("192.168.77.11")));
        NodeReport node3 = node("node3", "192.168.77.13", Map.of(NET, List.of("192.168.77.11", "192.168.77.12")));
        List<SwarmNode> swarm = List.of(new SwarmNode("a", "node1", "192.168.77.11", "ready"),
                new SwarmNode("b", "node2", "192.168.77.12", "ready"), new SwarmNode("c", "node3", "192.168.77.13", "ready"),
                new SwarmNode("d", "node4", "192.168.77.14", "ready"));
        List<Row> rows = DoctorView.swarmRows(List.of(node1, node2, node3), swarm);
        assertThat(rows).filteredOn(r -> r.check().equals("swarm flooding")).extracting(Row::node, Row::status, Row::detail)
                .containsExactly(tuple("node1", "ok", "to every other node that has it (2)"),
                        tuple("node2", "FAIL", "does not flood to node3 (192.168.77.13), which has the network"),
                        tuple("node3", "ok", "to every other node that has it (2)"));
        assertThat(rows).filteredOn(r -> r.status().equals("skip")).extracting(Row::node, Row::detail).containsExactly(
                tuple("node4", "not checked: no engine of this node runs on this machine (ready, 192.168.77.14)"));
        assertThat(DoctorView.text(rows, true)).startsWith("NODE").contains("1 problem:\n- node2: it-ov, swarm flooding:");
    }

    /** A missing peer the node's own plugin found (its engine lists the peer) is said once, by the node. */
    @Test
    void aMissingPeerTheNodeFoundItselfIsNotSaidTwice() {
        Check own = new Check(NET, "", "flooding", false, "jnxn1 does not flood to node 192.168.77.12, which has the network",
                Diagnosis.RESTART_PLUGIN);
        NodeReport node1 = node("node1", "192.168.77.11", Map.of(NET, List.of()), own);
        NodeReport node2 = node("node2", "192.168.77.12", Map.of(NET, List.of("192.168.77.11")));
        List<Row> rows = DoctorView.swarmRows(List.of(node1, node2), List.of());
        assertThat(rows).filteredOn(Row::failed).extracting(Row::node, Row::check).containsExactly(tuple("node1", "flooding"));
        assertThat(DoctorView.text(rows, true)).contains("1 problem:");
    }

    @Test
    void aSwarmNodeWithoutTheGlobalPluginFails() {
        NodeReport node1 = node("node1", "192.168.77.11", Map.of());
        NodeReport bare = new NodeReport("node2", Optional.of(engine("node2", "192.168.77.12")), NAMES, List.of());
        assertThat(DoctorView.swarmRows(List.of(node1, bare), List.of())).filteredOn(Row::failed)
                .extracting(Row::node, Row::check).containsExactly(tuple("node2", "global plugin"));
    }
}
