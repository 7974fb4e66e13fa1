package io.javanet.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace made for one test with {@code ip netns add} and always deleted, taking every link made in
 * it along, so a test run leaves nothing on the host. Tests may run {@code ip}; the product may not.
 */
public final class ThrowawayNamespace implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String name = "jnt-" + UUID.randomUUID().toString().substring(0, 8);
    public final Path path = Path.of("/run/netns", name);

    public ThrowawayNamespace() {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** {@code ip netns exec NS COMMAND…}: the command's output; a failure throws. */
    public String exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** {@code ip -n NS -j ARGS…} parsed. */
    public JsonNode ipJson(String... args) {
        List<String> withJson = new ArrayList<>(List.of("-j"));
        withJson.addAll(List.of(args));
        return json("ip", withJson.toArray(String[]::new));
    }

    /** An iproute2 tool ({@code ip}, {@code bridge}) run in the namespace, its JSON output parsed. */
    public JsonNode json(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(tool, "-n", name));
        command.addAll(List.of(args));
        String out = run(command.toArray(String[]::new));
        try {
            return JSON.readTree(out.isBlank() ? "[]" : out);
        } catch (IOException e) {
            throw new IllegalStateException(tool + " printed no JSON: " + out, e);
        }
    }

    /** The one link of that name, as {@code ip -d -j link show} describes it. */
    public JsonNode link(String link) {
        return ipJson("-d", "link", "show", "dev", link).get(0);
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        run("ip", "netns", "del", name);
    }
}
