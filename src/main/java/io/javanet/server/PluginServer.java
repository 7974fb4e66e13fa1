package io.javanet.server;

import io.javalin.Javalin;
import io.javanet.api.IpamApi;
import io.javanet.api.NetworkDriverApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the plugin protocol over HTTP/1.1 on a unix domain socket. A socket file left by a process that died
 * is removed at start; one that still answers means another plugin is serving there, and we refuse to start.
 */
public final class PluginServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginServer.class);

    static final int MAX_REQUEST_BYTES = 1 << 20;

    private final Path socket;
    private final Javalin app;

    public PluginServer(Path socket, NetworkDriverApi driver, IpamApi ipam, MeterRegistry registry) {
        this.socket = socket;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jetty.addConnector((server, httpConfig) -> {
                var connector = new UnixDomainServerConnector(server, new DockerHttpConnectionFactory(httpConfig));
                connector.setUnixDomainPath(socket);
                return connector;
            });
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
            PluginRoutes.register(config.routes, driver, ipam, registry);
        });
    }

    /** Binds the socket (mode 0600) and starts serving. */
    public PluginServer start() {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            removeStaleSocket();
            app.start();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve on " + socket + ": " + e.getMessage(), e);
        }
        log.info("serving the plugin protocol on {}", socket);
        return this;
    }

    /** Finishes the calls in flight (up to 10 s), then closes the socket. */
    @Override
    public void close() {
        app.stop();
    }

    private void removeStaleSocket() throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        boolean answered;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            answered = true;
        } catch (IOException e) {
            answered = false;
        }
        if (answered) {
            throw new IOException("another process is already serving on " + socket);
        }
        log.info("removing stale socket {}", socket);
        Files.delete(socket);
    }
}
