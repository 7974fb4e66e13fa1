package io.javanet.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.failure.PluginException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetJsonTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(NetJson.module());

    @Test
    void aSubnetIsStoredInTheTextShapeEarlierDatabasesHold() throws Exception {
        Subnet subnet = Subnet.parse("10.1.0.0/24", "10.1.0.1/24", List.of("10.1.0.5/24"));
        assertThat(json.writeValueAsString(subnet))
                .isEqualTo("{\"pool\":\"10.1.0.0/24\",\"gateway\":\"10.1.0.1/24\",\"auxAddresses\":[\"10.1.0.5/24\"]}");
        // As javanet wrote it before subnets were typed: no gateway is an empty string, no aux list at all.
        Subnet old = json.readValue("{\"pool\":\"fd00:2::/64\",\"gateway\":\"\"}", Subnet.class);
        assertThat(old.isIpv6()).isTrue();
        assertThat(old.gateway()).isEmpty();
        assertThat(old.auxAddresses()).isEmpty();
        assertThat(json.readValue(json.writeValueAsString(subnet), Subnet.class)).isEqualTo(subnet);
    }

    @Test
    void aStoredSubnetThatIsNotOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> json.readValue("{\"pool\":\"10.1.0.7/24\",\"gateway\":\"\"}", Subnet.class))
                .isInstanceOf(PluginException.class)
                .hasMessage("pool: \"10.1.0.7/24\" has host bits set (did you mean 10.1.0.0/24?)");
    }
}
