package io.javanet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why {@link DockerHttpConnectionFactory}, the one class that reaches into Jetty's internals, exists, and that it
 * still works: Jetty's own HTTP/1.1 refuses the blank {@code Host} Docker's plugin client sends, ours takes it.
 * A Jetty release that accepts it fails the first case (the class can then go); one that changes the internals
 * it extends fails the second, or the build.
 */
class DockerHttpConnectionFactoryTest {

    private static final String DOCKERS_REQUEST = "POST /Plugin.Activate HTTP/1.1\r\nHost: \r\n"
            + "User-Agent: Go-http-client/1.1\r\nContent-Length: 0\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void jettysOwnHttpRefusesDockersBlankHost() throws Exception {
        assertThat(answer(new HttpConnectionFactory(new HttpConfiguration())))
                .startsWith("HTTP/1.1 400").contains("Blank Host");
    }

    @Test
    void oursReadsDockersBlankHostAsLocalhostAndLeavesTheRestToJetty() throws Exception {
        assertThat(answer(new DockerHttpConnectionFactory(new HttpConfiguration())))
                .startsWith("HTTP/1.1 200").endsWith("host=localhost");
    }

    /** What a server with that HTTP/1.1 answers Docker's request, its handler echoing the Host it was given. */
    private String answer(HttpConnectionFactory http) throws Exception {
        Path socket = dir.resolve("http.sock");
        Server server = new Server();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, http);
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "host=" + request.getHeaders().get(HttpHeader.HOST);
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(DOCKERS_REQUEST.getBytes(StandardCharsets.US_ASCII)));
            StringBuilder received = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer.clear()) >= 0) {
                received.append(StandardCharsets.US_ASCII.decode(buffer.flip()));
            }
            return received.toString();
        } finally {
            server.stop();
        }
    }
}
