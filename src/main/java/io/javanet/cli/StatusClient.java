package io.javanet.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.PluginStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Transport;

/** Reads a running plugin's status endpoint on its socket: never Docker's protocol paths. */
final class StatusClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What fits in a unix socket address (108 bytes with its NUL); a managed plugin's socket seen through another
     * engine's root ({@code /proc/PID/root/run/docker/plugins/ID/…}) is longer, and is reached through a symlink.
     */
    private static final int MAX_SOCKET_PATH = 107;

    private final HttpClient http = new HttpClient();

    StatusClient() throws Exception {
        http.start();
    }

    /** The plugin's status, or a {@link CliException} saying which socket did not answer and why. */
    PluginStatus status(Path socket) {
        return get(socket, PluginStatus.PATH, PluginStatus.class);
    }

    /** The plugin's checks of its host, as {@link #status} fails. */
    Diagnosis diagnosis(Path socket) {
        return get(socket, Diagnosis.PATH, Diagnosis.class);
    }

    private <T> T get(Path socket, String path, Class<T> type) {
        Path link = null;
        try {
            Path reachable = socket;
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                link = Files.createTempDirectory("javanet-cli").resolve("plugin.sock");
                reachable = Files.createSymbolicLink(link, socket);
            }
            ContentResponse response = http.newRequest("http://javanet" + path).transport(new Transport.TCPUnix(reachable))
                    .timeout(30, TimeUnit.SECONDS).send();
            if (response.getStatus() != 200) {
                throw new CliException("javanet on " + socket + " answered HTTP " + response.getStatus() + " to " + path
                        + " (a plugin older than this command?)");
            }
            return JSON.readValue(response.getContentAsString(), type);
        } catch (CliException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (Exception e) {
            throw new CliException("no javanet answers on " + socket + ": " + e.getMessage());
        } finally {
            if (link != null) {
                deleteLink(link);
            }
        }
    }

    private static void deleteLink(Path link) {
        try {
            Files.delete(link);
            Files.delete(link.getParent());
        } catch (IOException e) {
            // a temporary directory left behind is all it costs
        }
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
