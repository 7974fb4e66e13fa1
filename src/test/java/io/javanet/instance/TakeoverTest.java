package io.javanet.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.net.Scope;
import io.javanet.store.StateLock;
import io.javanet.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which database a start takes over; the kernel's part is the managed suite's. */
class TakeoverTest {

    private static final Path SOCKET = Path.of("/run/docker/plugins/javanet.sock");
    private static final Instance LEGACY = Instance.legacy(SOCKET, Scope.LOCAL);
    private static final Instance OWN = Instance.of(Optional.of("b2b53cad4ecb" + "0".repeat(52)), SOCKET, Scope.LOCAL);
    private static final Instance SECOND = Instance.of(Optional.of("c0ffee000000" + "0".repeat(52)), SOCKET, Scope.LOCAL);

    @TempDir
    Path dir;

    private void legacyDatabase() {
        Store.open(dir.resolve("javanet.db")).close();
    }

    @Test
    void theFirstInstallToStartTakesTheEarlierReleasesDatabaseAndNoOtherDoes() throws Exception {
        legacyDatabase();
        assertThat(Takeover.begin(LEGACY, OWN, dir)).isPresent();
        assertThat(dir.resolve("javanet.db")).doesNotExist();
        assertThat(dir.resolve(OWN.database())).exists();
        assertThat(Files.readString(StateLock.fileOf(dir.resolve("javanet.db")))).isEqualTo("taking over: " + OWN.database() + "\n");
        assertThat(Takeover.begin(LEGACY, SECOND, dir)).as("held while the takeover runs").isEmpty();
    }

    @Test
    void noDatabaseOfOurOwnIsReplaced() {
        legacyDatabase();
        Store.open(dir.resolve(OWN.database())).close();
        assertThat(Takeover.begin(LEGACY, OWN, dir)).isEmpty();
        assertThat(dir.resolve("javanet.db")).exists();
    }

    @Test
    void aDatabaseAJavanetOfThisReleaseUsedIsItsOwn() throws Exception {
        legacyDatabase();
        StateLock.acquire(dir.resolve("javanet.db"), "socket-file plugin /run/docker/plugins/javanet.sock (pid 9)").close();
        assertThat(Takeover.begin(LEGACY, OWN, dir)).isEmpty();
        assertThat(dir.resolve("javanet.db")).exists();
    }

    @Test
    void aTakeoverCutShortIsResumedByItsInstallOnly() throws Exception {
        legacyDatabase();
        try (StateLock lock = StateLock.tryAcquire(dir.resolve("javanet.db"), true).orElseThrow()) {
            lock.write("taking over: " + OWN.database());
        }
        assertThat(Takeover.begin(LEGACY, SECOND, dir)).isEmpty();
        assertThat(dir.resolve("javanet.db")).exists();
        assertThat(Takeover.begin(LEGACY, OWN, dir)).isPresent();
        assertThat(dir.resolve(OWN.database())).exists();
    }

    @Test
    void aSocketFilePluginNamedAsBeforeHasNothingToTake() {
        legacyDatabase();
        assertThat(Takeover.begin(LEGACY, Instance.of(Optional.empty(), SOCKET, Scope.LOCAL), dir)).isEmpty();
        assertThat(dir.resolve("javanet.db")).exists();
    }
}
