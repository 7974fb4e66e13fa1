package io.javanet.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.net.Scope;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceTest {

    private static final Path SOCKET = Path.of("/run/docker/plugins/javanet.sock");
    private static final Optional<String> ID = Optional.of("b2b53cad4ecbe93d39b243b1dd94c1c6efd3470f484952ccc76fd5d4bf769414");

    @Test
    void aManagedPluginIsNamedByItsIdNotItsSocket() {
        Instance local = Instance.of(ID, SOCKET, Scope.LOCAL);
        assertThat(local.name()).isEqualTo("javanet-b2b53cad4ecb");
        assertThat(local.database()).isEqualTo("javanet-b2b53cad4ecb.db");
        assertThat(local.linkOwner()).isEqualTo("javanet:javanet-b2b53cad4ecb");
        assertThat(local.holder()).isEqualTo("managed plugin " + ID.get());
        Instance global = Instance.of(ID, SOCKET, Scope.GLOBAL);
        assertThat(global.name()).isEqualTo("javanet-b2b53cad4ecb-global");
        assertThat(global.database()).isEqualTo("javanet-b2b53cad4ecb-global.db");
        assertThat(Instance.of(Optional.of("0".repeat(64)), SOCKET, Scope.LOCAL).name()).isNotEqualTo(local.name());
    }

    @Test
    void aSocketFilePluginIsNamedBySocketAsBefore() {
        Instance local = Instance.of(Optional.empty(), SOCKET, Scope.LOCAL);
        assertThat(local.name()).isEqualTo("javanet");
        assertThat(local.database()).isEqualTo("javanet.db");
        assertThat(local.holder()).startsWith("socket-file plugin /run/docker/plugins/javanet.sock (pid ");
        assertThat(Instance.of(Optional.empty(), SOCKET, Scope.GLOBAL).database()).isEqualTo("javanet-global.db");
        Instance it = Instance.of(Optional.empty(), Path.of("/run/docker/plugins/javanet-it.sock"), Scope.LOCAL);
        assertThat(it.name()).isEqualTo("javanet-it");
        assertThat(it.database()).as("no longer javanet.db, shared by every socket of a state directory").isEqualTo("javanet-it.db");
        assertThat(Instance.of(Optional.empty(), Path.of("/run/docker/plugins/Not A Name!.sock"), Scope.LOCAL).name())
                .isEqualTo("javanet");
    }

    @Test
    void theLegacyNamesAreTheSocketsWithTheOneDatabaseOfEachScope() {
        Instance legacy = Instance.legacy(SOCKET, Scope.LOCAL);
        assertThat(legacy.name()).isEqualTo("javanet");
        assertThat(legacy.database()).isEqualTo("javanet.db");
        assertThat(Instance.legacy(SOCKET, Scope.GLOBAL).name()).isEqualTo("javanet-global");
        assertThat(Instance.legacy(SOCKET, Scope.GLOBAL).database()).isEqualTo("javanet-global.db");
        assertThat(Instance.legacy(Path.of("/x/javanet-it.sock"), Scope.LOCAL).database()).isEqualTo("javanet.db");
    }

    @Test
    void everyNameIsOneNftablesTakes() {
        for (Scope scope : Scope.values()) {
            assertThat(Instance.of(ID, SOCKET, scope).name()).matches(Instance.NAME);
            assertThat(Instance.of(Optional.empty(), Path.of("/r/" + "a".repeat(25) + ".sock"), scope).name()).matches(Instance.NAME);
        }
    }
}
