package io.javanet.sys;

import java.nio.file.Path;
import java.util.List;

/**
 * Where Docker's sandboxes (containers' network namespaces) are seen from here. Docker names a sandbox by its path
 * under its own run directory, {@code /var/run/docker}; a managed plugin sees that directory where its mount puts
 * it ({@code dockerRun}).
 */
public record Sandboxes(Path dockerRun) {

    /** Docker's run directory where Docker has it: a plugin on the host, not in a managed plugin's rootfs. */
    public static final Sandboxes ON_THE_HOST = new Sandboxes(Path.of("/var/run/docker"));

    private static final List<String> DOCKER_RUN = List.of("/var/run/docker/", "/run/docker/");

    /** The namespace file of a sandbox key, as seen from here; a path not under Docker's run directory as it is. */
    public Path namespace(String sandboxKey) {
        for (String prefix : DOCKER_RUN) {
            if (sandboxKey.startsWith(prefix)) {
                return dockerRun.resolve(sandboxKey.substring(prefix.length()));
            }
        }
        return Path.of(sandboxKey);
    }
}
