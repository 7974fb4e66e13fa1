package io.javanet.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NftServiceBalancerTest {

    /** Mountinfo lines as a managed plugin sees them: Docker's run directory a slave of the host's, or private. */
    private static final String ROOT = "1268 1160 0:138 / / rw,relatime - overlay overlay rw\n";
    private static final String SLAVE = "1290 1268 0:25 /docker /run/docker-host ro,nosuid,nodev master:12 - tmpfs tmpfs rw\n";
    private static final String PRIVATE = "1290 1268 0:25 /docker /run/docker-host ro,nosuid,nodev - tmpfs tmpfs rw\n";
    private static final String PEER = "1290 1268 0:25 /docker /run/docker-host ro shared:3 master:12 - tmpfs tmpfs rw\n";

    @Test
    void namespacesAreSeenWhereDockersRunDirectoryReceivesTheHostsMounts() {
        assertThat(NftServiceBalancer.blindness(ROOT + SLAVE, "/run/docker-host")).isEmpty();
        assertThat(NftServiceBalancer.blindness(ROOT + PEER, "/run/docker-host")).isEmpty();
        assertThat(NftServiceBalancer.blindness(ROOT, "/var/run/docker")).as("not a mount of its own: the engine's mounts")
                .isEmpty();
        assertThat(NftServiceBalancer.blindness(ROOT + PRIVATE, "/run/docker-host")).hasValueSatisfying(why -> assertThat(why)
                .contains("/run/docker-host").contains("receives no mounts from the host"));
        assertThat(NftServiceBalancer.blindness(ROOT + SLAVE + PRIVATE, "/run/docker-host")).as("the last mount is the one seen")
                .isPresent();
        assertThat(NftServiceBalancer.blindness(ROOT + PRIVATE + SLAVE, "/run/docker-host")).isEmpty();
    }
}
