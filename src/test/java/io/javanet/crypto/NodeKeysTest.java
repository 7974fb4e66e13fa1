package io.javanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javanet.kernel.WireGuardKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node keys derived from the swarm's secret, and the secret file's checks. */
class NodeKeysTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final OverlaySecret SECRET = OverlaySecret.of(new byte[32]);

    @TempDir
    Path dir;

    /** RFC 7748, section 6.1: Alice's key pair. */
    @Test
    void thePublicKeyIsX25519OfThePrivateKeyAsWgPubkeyComputesIt() {
        WireGuardKey alice = WireGuardKey.ofPrivate(HEX.parseHex(
                "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        assertThat(HEX.formatHex(NodeKeys.publicKey(alice).bytes()))
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    }

    @Test
    void eachNodeHasItsOwnKeyTheSameOnEveryNodeAndANewSecretChangesAll() {
        WireGuardKey one = NodeKeys.privateKey(SECRET, "192.0.2.11");
        assertThat(NodeKeys.privateKey(SECRET, "192.0.2.11")).isEqualTo(one);
        assertThat(NodeKeys.privateKey(SECRET, "192.0.2.12")).isNotEqualTo(one);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(NodeKeys.privateKey(OverlaySecret.of(other), "192.0.2.11")).isNotEqualTo(one);
        assertThat(NodeKeys.publicKey(SECRET, "192.0.2.11")).isEqualTo(NodeKeys.publicKey(one));
    }

    @Test
    void keysAndSecretsNeverPrintTheirValue() {
        WireGuardKey key = NodeKeys.privateKey(SECRET, "192.0.2.11");
        String base64 = Base64.getEncoder().encodeToString(key.bytes());
        assertThat(key.toString()).startsWith("private key ").doesNotContain(base64);
        assertThat(SECRET.toString()).startsWith("overlay secret ").doesNotContain(Base64.getEncoder().encodeToString(new byte[32]));
        WireGuardKey pub = NodeKeys.publicKey(key);
        assertThat(pub.toString()).isEqualTo(Base64.getEncoder().encodeToString(pub.bytes()));
    }

    @Test
    void aSecretFileMadeWithWgGenkeyAndOnlyItsOwnerMayReadIsRead() throws Exception {
        Path file = secretFile(Base64.getEncoder().encodeToString(new byte[32]) + "\n", "rw-------");
        assertThat(OverlaySecret.read(file)).isEqualTo(SECRET);
    }

    @Test
    void aSecretFileThatIsMissingOpenShortOrNotBase64IsRefusedSayingHowToFixIt() throws Exception {
        assertThatThrownBy(() -> OverlaySecret.read(dir.resolve("none"))).hasMessageContaining("does not exist")
                .hasMessageContaining("wg genkey");
        String good = Base64.getEncoder().encodeToString(new byte[32]);
        Path open = secretFile(good, "rw-r--r--");
        assertThat(Files.readString(open)).isEqualTo(good);
        assertThatThrownBy(() -> OverlaySecret.read(open)).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> OverlaySecret.read(secretFile(Base64.getEncoder().encodeToString(new byte[16]), "rw-------")))
                .hasMessageContaining("holds 16 bytes; at least 32");
        assertThatThrownBy(() -> OverlaySecret.read(secretFile("not base64!", "rw-------")))
                .hasMessageContaining("does not hold base64");
        Path link = Files.createSymbolicLink(dir.resolve("link"), secretFile(good, "rw-------"));
        assertThatThrownBy(() -> OverlaySecret.read(link)).hasMessageContaining("is not a regular file");
    }

    private int files;

    private Path secretFile(String content, String permissions) throws Exception {
        Path file = dir.resolve("secret" + files++);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
