package io.javanet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.net.Subnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkRecordTest {

    /** The store hands one record to every call on its network: none of them can change it for the others. */
    @Test
    void itsSubnetsAndOptionsCannotBeChangedThroughItOrTheCollectionsItWasGiven() {
        List<Subnet> subnets = new ArrayList<>(List.of(Subnet.parse("10.1.0.0/24", "10.1.0.1/24")));
        Map<String, String> generic = new HashMap<>(Map.of("foo", "bar"));
        NetworkRecord network = new NetworkRecord("n1", "jn-n1", 1500, false, false, subnets, generic);
        subnets.clear();
        generic.clear();
        assertThat(network.subnets()).hasSize(1);
        assertThat(network.generic()).containsExactly(Map.entry("foo", "bar"));
        assertThatThrownBy(() -> network.generic().put("foo", "baz")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> network.subnets().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A row written without them (as Jackson gives null for an absent field) reads as none, not as damage. */
    @Test
    void absentSubnetsAndOptionsAreNone() {
        NetworkRecord network = new NetworkRecord("n1", "jn-n1", 1500, false, false, null, null);
        assertThat(network.subnets()).isEmpty();
        assertThat(network.generic()).isEmpty();
    }
}
