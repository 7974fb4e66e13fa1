package io.javanet.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ID Docker gave the managed plugin this process runs as, which names nothing else inside it: no variable of
 * its environment, not its hostname. Docker mounts the host's {@code /run/docker/plugins/ID} on the plugin's
 * {@code /run/docker/plugins} (moby's {@code InitSpec}), and {@code /proc/self/mountinfo} shows that mount's root.
 * {@code docker plugin upgrade} keeps the ID; each install, alias or not, has its own.
 */
public final class ManagedPlugin {

    static final String RUNTIME_DIR = "/run/docker/plugins";
    /** A mount's root: the ID is the last component, whatever the path to the engine's exec root. */
    private static final Pattern ID_ROOT = Pattern.compile(".*/([0-9a-f]{64})");

    private ManagedPlugin() {
    }

    /** This process's plugin ID; none for a socket-file plugin, run on the host as it is. */
    public static Optional<String> id() {
        try {
            return id(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The plugin ID in a mountinfo listing (proc(5): ID, parent, device, root, mount point, …): the root of what is
     * mounted on {@code /run/docker/plugins}, the last such mount being the one seen.
     */
    static Optional<String> id(String mountinfo) {
        Optional<String> id = Optional.empty();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(RUNTIME_DIR)) {
                Matcher root = ID_ROOT.matcher(fields[3]);
                id = root.matches() ? Optional.of(root.group(1)) : Optional.empty();
            }
        }
        return id;
    }
}
