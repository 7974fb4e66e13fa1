package io.javanet.server;

import io.javalin.Javalin;
import io.javanet.api.IpamApi;
import io.javanet.api.NetworkDriverApi;
import io.javanet.api.StatusApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the plugin protocol over HTTP/1.1 on a unix domain socket. A socket file left by a process that died
 * is removed at start; one that still answers means another plugin is serving there, and we refuse to start.
 */
public final class PluginServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginServer.class);

    static final int MAX_REQUEST_BYTES = 1 << 20;
    static final int MAX_THREADS = 32;
    /** The prefix of the names of the threads that serve calls. */
    static final String THREAD_NAME = "javanet-http";
    /**
     * A connection that sends nothing for this long is closed, whatever it was doing: half-sent headers, a body
     * that stopped. Docker keeps its connection open between calls, so not shorter than its own idle timeout.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final Javalin app;

    /** A server whose calls wait until {@code ready} is done (start-up reconciliation) before they run. */
    public <D extends NetworkDriverApi & StatusApi> PluginServer(Path socket, D driver, IpamApi ipam,
                                                                 MeterRegistry registry, CompletableFuture<?> ready) {
        this(socket, driver, ipam, registry, ready, IDLE_TIMEOUT);
    }

    <D extends NetworkDriverApi & StatusApi> PluginServer(Path socket, D driver, IpamApi ipam, MeterRegistry registry,
                                                          CompletableFuture<?> ready, Duration idleTimeout) {
        this.socket = socket;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new PluginJsonMapper());
            // Enough for a burst of parallel calls, whose kernel and disk work is serialized anyway; threads idle
            // for 5 s go, so a burst leaves none behind.
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 5_000);
            threads.setName(THREAD_NAME);
            config.jetty.threadPool = threads;
            config.jetty.addConnector((server, httpConfig) -> {
                var connector = new UnixDomainServerConnector(server, new DockerHttpConnectionFactory(httpConfig));
                connector.setUnixDomainPath(socket);
                connector.setIdleTimeout(idleTimeout.toMillis());
                return connector;
            });
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                // Bodies are read as they come, without a thread; a call is handed to one once its body is whole,
                // so clients that stop half-way hold no thread until the idle timeout closes them.
                server.insertHandler(new WholeBodyHandler(MAX_REQUEST_BYTES));
            });
            config.routes.before(ctx -> ready.join());
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
