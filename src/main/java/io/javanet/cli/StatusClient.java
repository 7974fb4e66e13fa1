package io.javanet.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.api.status.PluginStatus;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Transport;

/** Reads a running plugin's status endpoint on its socket: never Docker's protocol paths. */
final class StatusClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http = new HttpClient();

    StatusClient() throws Exception {
        http.start();
    }

    /** The plugin's status, or a {@link CliException} saying which socket did not answer and why. */
    PluginStatus status(Path socket) {
        try {
            ContentResponse response = http.newRequest("http://javanet" + PluginStatus.PATH).transport(new Transport.TCPUnix(socket))
                    .timeout(10, TimeUnit.SECONDS).send();
            if (response.getStatus() != 200) {
                throw new CliException("javanet on " + socket + " answered HTTP " + response.getStatus()
                        + " (a plugin older than its status endpoint?)");
            }
            return JSON.readValue(response.getContentAsString(), PluginStatus.class);
        } catch (CliException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (Exception e) {
            throw new CliException("no javanet answers on " + socket + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
