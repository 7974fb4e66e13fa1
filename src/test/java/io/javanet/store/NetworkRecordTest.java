package io.javanet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.net.Mode;
import io.javanet.net.Subnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkRecordTest {

    /** The store hands one record to every call on its network: none of them can change it for the others. */
    @Test
    void itsSubnetsOptionsAndSectionCannotBeChangedThroughItOrTheCollectionsItWasGiven() {
        List<Subnet> subnets = new ArrayList<>(List.of(Subnet.parse("10.1.0.0/24", "10.1.0.1/24")));
        Map<String, String> generic = new HashMap<>(Map.of("foo", "bar"));
        Map<String, String> section = new HashMap<>(Map.of("bridgeName", "jn-n1"));
        NetworkRecord network = new NetworkRecord("n1", 1500, false, false, subnets, generic, Mode.BRIDGE, section);
        subnets.clear();
        generic.clear();
        section.clear();
        assertThat(network.subnets()).hasSize(1);
        assertThat(network.generic()).containsExactly(Map.entry("foo", "bar"));
        assertThat(network.section()).containsExactly(Map.entry("bridgeName", "jn-n1"));
        assertThatThrownBy(() -> network.generic().put("foo", "baz")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> network.section().put("foo", "baz")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> network.subnets().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A row written without them (as Jackson gives null for an absent field) reads as none, not as damage. */
    @Test
    void absentSubnetsOptionsAndSectionAreNone() {
        NetworkRecord network = new NetworkRecord("n1", 1500, false, false, null, null, null, null);
        assertThat(network.subnets()).isEmpty();
        assertThat(network.generic()).isEmpty();
        assertThat(network.section()).isEmpty();
        assertThat(network.mode()).as("records from before modes are bridge networks").isEqualTo(Mode.BRIDGE);
    }

    /**
     * The mode's section is stored beside the other fields, as each mode's fields were before sections: a row
     * an older javanet wrote reads with them in the section, and a record writes them back in the same place.
     */
    @Test
    void theSectionIsStoredBesideTheOtherFieldsAsOlderRowsHaveThem() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String older = "{\"networkId\":\"n1\",\"bridgeName\":\"\",\"mtu\":1500,\"internal\":false,\"enableIpv6\":false,"
                + "\"subnets\":[],\"generic\":{\"javanet.mode\":\"routed\"},\"mode\":\"routed\",\"parent\":\"\","
                + "\"subMode\":\"\",\"routedGateway\":\"169.254.1.1\"}";
        NetworkRecord read = json.readValue(older, NetworkRecord.class);
        assertThat(read.mode()).isEqualTo(Mode.ROUTED);
        assertThat(read.section()).containsEntry("routedGateway", "169.254.1.1").containsEntry("bridgeName", "");
        NetworkRecord routed = read.withSection(Map.of("routedGateway", "169.254.1.1"));
        assertThat(json.readTree(json.writeValueAsString(routed)).get("routedGateway").asText()).isEqualTo("169.254.1.1");
        assertThat(json.readValue(json.writeValueAsString(routed), NetworkRecord.class)).isEqualTo(routed);
    }
}
