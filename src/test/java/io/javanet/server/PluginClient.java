package io.javanet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;

/** Talks to the plugin as the daemon does: HTTP/1.1 POSTs over the unix socket, no Content-Type. */
final class PluginClient implements AutoCloseable {

    /** A reply: status, raw body, and the body parsed as JSON. */
    record Reply(int status, String body, JsonNode json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = new HttpClient();
    private final Path socket;

    PluginClient(Path socket) throws Exception {
        this.socket = socket;
        http.start();
    }

    Reply post(String call, String body) throws Exception {
        var request = http.newRequest("http://localhost/" + call).method(HttpMethod.POST)
                .transport(new Transport.TCPUnix(socket)).timeout(10, TimeUnit.SECONDS)
                .headers(h -> h.put("Accept", "application/vnd.docker.plugins.v1.2+json"));
        if (body != null) {
            request.body(new BytesRequestContent((String) null, body.getBytes(StandardCharsets.UTF_8)));
        }
        ContentResponse response = request.send();
        String text = response.getContentAsString();
        JsonNode json = text.isEmpty() ? null : JSON.readTree(text);
        return new Reply(response.getStatus(), text, json);
    }

    /** A GET of {@code path}, as {@code docker javanet} sends to our status endpoint. */
    Reply get(String path) throws Exception {
        ContentResponse response = http.newRequest("http://localhost" + path).method(HttpMethod.GET)
                .transport(new Transport.TCPUnix(socket)).timeout(10, TimeUnit.SECONDS).send();
        String text = response.getContentAsString();
        return new Reply(response.getStatus(), text, text.isEmpty() ? null : JSON.readTree(text));
    }

    Reply post(String call, JsonNode body) throws Exception {
        return post(call, body == null || body.isNull() ? null : JSON.writeValueAsString(body));
    }

    /** The HTTP client underneath, for requests of other shapes. */
    HttpClient http() {
        return http;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
