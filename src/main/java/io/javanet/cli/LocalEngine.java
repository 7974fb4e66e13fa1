package io.javanet.cli;

import io.javanet.engine.PluginInstall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Docker engine running on this machine, found by its process: several are one machine's swarm nodes in a lab,
 * or Docker-in-Docker. Its files are reached through the process's root ({@code /proc/PID/root}), so its API
 * socket and its plugins' sockets are found whatever mount namespace it runs in.
 *
 * @param root      the engine's view of the file system
 * @param apiSocket its first unix API socket ({@code -H unix://…}; Docker's default without one), as seen from here
 */
record LocalEngine(long pid, Path root, Path apiSocket) {

    private static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    /** A managed plugin's socket: under {@code /run/docker/plugins/ID/} in the engine's view. */
    Path pluginSocket(PluginInstall plugin) {
        return root.resolve("run/docker/plugins").resolve(plugin.id()).resolve(plugin.socket());
    }

    /** Every dockerd process under {@code proc} (normally {@code /proc}); one that vanishes meanwhile is left out. */
    static List<LocalEngine> find(Path proc) {
        List<LocalEngine> engines = new ArrayList<>();
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path dir : entries.filter(d -> d.getFileName().toString().matches("\\d+")).sorted().toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).strip().equals("dockerd")) {
                        Path root = dir.resolve("root");
                        engines.add(new LocalEngine(Long.parseLong(dir.getFileName().toString()), root,
                                root.resolve(apiSocket(Files.readString(dir.resolve("cmdline"))).substring(1))));
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot list " + proc + ": " + e.getMessage());
        }
        return engines;
    }

    /** The first unix socket of dockerd's {@code -H}/{@code --host} arguments, NUL-separated as in /proc. */
    static String apiSocket(String cmdline) {
        String[] args = cmdline.split("\0");
        for (int i = 0; i < args.length; i++) {
            String host = null;
            if ((args[i].equals("-H") || args[i].equals("--host")) && i + 1 < args.length) {
                host = args[i + 1];
            } else if (args[i].startsWith("--host=") || args[i].startsWith("-H=")) {
                host = args[i].substring(args[i].indexOf('=') + 1);
            }
            if (host != null && host.startsWith("unix://")) {
                return host.substring("unix://".length());
            }
        }
        return DEFAULT_SOCKET;
    }
}
