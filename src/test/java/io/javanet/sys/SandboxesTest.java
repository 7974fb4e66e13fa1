package io.javanet.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxesTest {

    @Test
    void dockersSandboxKeysAreFoundWhereItsRunDirectoryIsMounted() {
        Sandboxes managed = new Sandboxes(Path.of("/run/docker-host"));
        assertThat(managed.namespace("/var/run/docker/netns/1607da194c60")).isEqualTo(Path.of("/run/docker-host/netns/1607da194c60"));
        assertThat(managed.namespace("/run/docker/netns/1607da194c60")).isEqualTo(Path.of("/run/docker-host/netns/1607da194c60"));
        assertThat(managed.namespace("/run/netns/jnt-1")).as("not Docker's").isEqualTo(Path.of("/run/netns/jnt-1"));
        assertThat(Sandboxes.ON_THE_HOST.namespace("/var/run/docker/netns/x")).isEqualTo(Path.of("/var/run/docker/netns/x"));
    }
}
