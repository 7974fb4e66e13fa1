package io.javanet;

import static org.assertj.core.api.Assertions.assertThat;

import io.javanet.net.Scope;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void aLocalAndAGlobalInstallOfOnePluginShareNoNameAndNoDatabase() {
        Main.Serve serve = new Main.Serve();
        serve.socket = Path.of("/run/docker/plugins/javanet.sock");
        assertThat(serve.instanceName(Scope.LOCAL)).isEqualTo("javanet");
        assertThat(serve.instanceName(Scope.GLOBAL)).isEqualTo("javanet-global");
        assertThat(Main.Serve.databaseName(Scope.LOCAL)).isEqualTo("javanet.db");
        assertThat(Main.Serve.databaseName(Scope.GLOBAL)).isEqualTo("javanet-global.db");
        serve.socket = Path.of("/run/docker/plugins/Not A Name!.sock");
        assertThat(serve.instanceName(Scope.LOCAL)).isEqualTo("javanet");
    }
}
