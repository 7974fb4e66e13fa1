package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NftServiceBalancerTest {

    @Test
    void dockersSandboxKeysAreFoundWhereItsRunDirectoryIsMounted() {
        NftServiceBalancer managed = new NftServiceBalancer(Path.of("/run/docker-host"));
        assertThat(managed.namespace("/var/run/docker/netns/1607da194c60")).isEqualTo(Path.of("/run/docker-host/netns/1607da194c60"));
        assertThat(managed.namespace("/run/docker/netns/1607da194c60")).isEqualTo(Path.of("/run/docker-host/netns/1607da194c60"));
        assertThat(managed.namespace("/run/netns/jnt-1")).as("not Docker's").isEqualTo(Path.of("/run/netns/jnt-1"));
        assertThat(new NftServiceBalancer(Path.of("/var/run/docker")).namespace("/var/run/docker/netns/x"))
                .isEqualTo(Path.of("/var/run/docker/netns/x"));
    }
}
