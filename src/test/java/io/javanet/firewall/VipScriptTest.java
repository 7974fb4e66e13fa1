package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The VIP table's text against golden files (src/test/resources/golden/vip-*.nft), over a sweep of services. */
class VipScriptTest {

    private static final String NET = "3db071b3a55c61f5fd884a1b1670088ed451cc0a5c300b0ceca7423f5b64afcf";

    private static VirtualIp vip(String address, String... backends) {
        return new VirtualIp(ip(address), Arrays.stream(backends).map(VipScriptTest::ip).toList());
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }

    record Case(String golden, List<VirtualIp> vips) {
        @Override
        public String toString() {
            return golden;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("vip-none", List.of()),
                new Case("vip-one-service", List.of(vip("10.92.0.2", "10.92.0.4", "10.92.0.3", "10.92.0.5"))),
                new Case("vip-two-services-one-without-tasks", List.of(vip("10.92.0.9", "10.92.0.10"),
                        vip("10.92.0.2", "10.92.0.3", "10.92.0.4"), vip("10.92.0.7"))),
                new Case("vip-ipv6-left-out", List.of(vip("fd00:92::2", "fd00:92::3"), vip("10.92.0.2", "10.92.0.3"))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rendersAsTheGoldenFileSays(Case c) throws IOException {
        try (InputStream golden = VipScriptTest.class.getResourceAsStream("/golden/" + c.golden() + ".nft")) {
            assertThat(golden).as("golden file " + c.golden()).isNotNull();
            assertThat(VipScript.replace(NET, c.vips())).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
