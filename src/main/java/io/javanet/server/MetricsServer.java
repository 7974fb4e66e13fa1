package io.javanet.server;

import com.google.common.net.HostAndPort;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in Prometheus' text format, on a unix socket or a TCP address, only when asked
 * to: metrics are off unless the operator names where to serve them.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;
    private final String where;
    private final Path socket;

    private MetricsServer(String where, Path socket, PrometheusMeterRegistry registry, Runnable beforeScrape,
                          Consumer<JavalinConfig> bind) {
        this.where = where;
        this.socket = socket;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // A scrape now and then: a few threads are plenty, and each costs memory.
            config.jetty.threadPool = new QueuedThreadPool(4, 1);
            bind.accept(config);
            config.routes.get("/metrics", ctx -> {
                beforeScrape.run();
                ctx.contentType(CONTENT_TYPE).result(registry.scrape());
            });
        });
    }

    /** On a unix socket of mode 0600, replacing a stale socket file. */
    public static MetricsServer onSocket(Path socket, PrometheusMeterRegistry registry, Runnable beforeScrape) {
        return new MetricsServer(socket.toString(), socket, registry, beforeScrape, config ->
                config.jetty.addConnector((server, httpConfig) -> {
                    var connector = new UnixDomainServerConnector(server, new DockerHttpConnectionFactory(httpConfig));
                    connector.setUnixDomainPath(socket);
                    return connector;
                }));
    }

    /** On a TCP address; port 0 picks a free port (see {@link #port()}). */
    public static MetricsServer onAddress(InetSocketAddress address, PrometheusMeterRegistry registry,
                                          Runnable beforeScrape) {
        InetAddress host = address.getAddress();
        if (host != null && !host.isLoopbackAddress()) {
            log.warn("metrics served on {}, which is not a loopback address: anyone who reaches it can read them",
                    address);
        }
        return new MetricsServer(address.toString(), null, registry, beforeScrape, config -> {
            config.jetty.host = address.getHostString();
            config.jetty.port = address.getPort();
        });
    }

    /**
     * Parses {@code HOST:PORT} or {@code [V6HOST]:PORT}; the host must be given, so that nothing is served on
     * every interface by accident.
     */
    public static InetSocketAddress parseAddress(String text) {
        try {
            HostAndPort parsed = HostAndPort.fromString(text);
            if (!parsed.getHost().isEmpty() && parsed.hasPort()) {
                return new InetSocketAddress(parsed.getHost(), parsed.getPort());
            }
        } catch (IllegalArgumentException e) {
            // reported below, with what a good one looks like
        }
        throw new IllegalArgumentException("--metrics-address: \"" + text + "\" is not HOST:PORT (e.g. 127.0.0.1:9323)");
    }

    /** Starts serving; a socket file is ours alone, so one left from an earlier run is replaced. */
    public MetricsServer start() {
        try {
            if (socket != null) {
                Files.createDirectories(socket.toAbsolutePath().getParent());
                Files.deleteIfExists(socket);
            }
            app.start();
            if (socket != null) {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + where + ": " + e.getMessage(), e);
        }
        log.info("serving metrics on {}", where);
        return this;
    }

    /** The TCP port served on, once started. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
