package io.javanet.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManagedPluginTest {

    private static final String ID = "b2b53cad4ecbe93d39b243b1dd94c1c6efd3470f484952ccc76fd5d4bf769414";

    /** /proc/self/mountinfo of a managed javanet under Docker 20.10, as its JVM read it. */
    private static String managed() throws IOException {
        try (InputStream in = ManagedPluginTest.class.getResourceAsStream("/mountinfo/managed-plugin-20.10")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theIdIsTheRootOfWhatIsMountedOnThePluginsRuntimeDirectory() throws IOException {
        assertThat(managed()).as("Docker's run directory, mounted too, holds every plugin's").contains("/run/docker-host");
        assertThat(ManagedPlugin.id(managed())).contains(ID);
    }

    @Test
    void aSocketFilePluginOnTheHostHasNone() {
        String host = """
                27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
                45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw
                46 27 0:50 / /run rw,nosuid,nodev - tmpfs tmpfs rw,mode=755
                """;
        assertThat(ManagedPlugin.id(host)).isEmpty();
    }

    @Test
    void theMountSeenIsTheLastOnThatPointAndOnlyAnIdCounts() {
        String tmpfsRun = "92 72 0:50 /docker/plugins/" + ID + " /run/docker/plugins rw shared:3 - tmpfs tmpfs rw\n";
        assertThat(ManagedPlugin.id(tmpfsRun)).as("/run a tmpfs of its own on the host").contains(ID);
        assertThat(ManagedPlugin.id(tmpfsRun + "95 92 0:51 / /run/docker/plugins rw - tmpfs tmpfs rw\n"))
                .as("covered by a mount that is no plugin's").isEmpty();
        assertThat(ManagedPlugin.id("92 72 0:50 /docker/plugins/" + ID.substring(1) + " /run/docker/plugins rw - tmpfs tmpfs rw\n"))
                .isEmpty();
    }
}
