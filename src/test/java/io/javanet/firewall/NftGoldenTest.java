package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every configuration of the sweep renders exactly its golden file (see {@link NftGolden}). */
class NftGoldenTest {

    @Test
    void eachConfigurationRendersItsGoldenFile() {
        Map<String, String> scripts = NftGolden.scripts();
        if (Boolean.getBoolean("golden.update")) {
            scripts.forEach(NftGolden::write);
        }
        assertThat(scripts).hasSize(20);
        scripts.forEach((name, script) -> assertThat(script).as(name).isEqualTo(NftGolden.read(name)));
    }

    @Test
    void theTableIsItsTemplateFilled() {
        String table = new NftScript("javanet").createTable();
        assertThat(table).startsWith("table inet javanet {\n").endsWith("}\n").doesNotContain("${");
        assertThat(table).contains("oifname @bridges ct state established,related meta mark set meta mark | 0x00200000 accept");
        // nft resolves a protocol's name through /etc/protocols, which the plugin's rootfs does not have: ICMP is 1.
        assertThat(table).contains("meta l4proto 1 ").doesNotContainPattern("(l4proto|protocol) [a-z]");
    }
}
