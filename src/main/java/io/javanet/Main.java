package io.javanet;

import io.javanet.driver.LinkRemoval;
import io.javanet.driver.NetworkDriver;
import io.javanet.engine.EngineClient;
import io.javanet.firewall.NftFirewall;
import io.javanet.firewall.NftServiceBalancer;
import io.javanet.firewall.ServiceBalancer;
import io.javanet.firewall.Nftables;
import io.javanet.instance.Instance;
import io.javanet.instance.ManagedPlugin;
import io.javanet.instance.Takeover;
import io.javanet.ipam.DefaultPools;
import io.javanet.ipam.IpamDriver;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.UdpProbe;
import io.javanet.metrics.StateMetrics;
import io.javanet.modes.Modes;
import io.javanet.net.Scope;
import io.javanet.netlink.GenericNetlink;
import io.javanet.netlink.RtNetlink;
import io.javanet.netlink.TcNetlink;
import io.javanet.server.MetricsServer;
import io.javanet.server.PluginServer;
import io.javanet.store.AllocationRecord;
import io.javanet.store.DatabaseFiles;
import io.javanet.store.StateLock;
import io.javanet.store.Store;
import io.javanet.store.StoreException;
import io.javanet.store.Tx;
import io.javanet.sys.LibraryDefaults;
import io.javanet.sys.Sandboxes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The plugin's command line: {@code javanet serve [--socket PATH] [--state-dir DIR] …}. {@code docker javanet} is
 * a program of its own, {@link io.javanet.cli.Cli}.
 */
@Command(name = "javanet", mixinStandardHelpOptions = true, subcommands = Main.Serve.class,
        description = "Docker network and IPAM driver plugin.")
public final class Main {

    public static void main(String[] args) {
        // slf4j-simple reads its level once, when the first logger is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getenv().getOrDefault("JAVANET_LOG_LEVEL", "info"));
        LibraryDefaults.apply();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve the plugin protocol on a unix socket until SIGTERM.")
    static final class Serve implements Callable<Integer> {

        private static final Logger log = LoggerFactory.getLogger(Serve.class);

        @Option(names = "--socket", defaultValue = "${env:JAVANET_SOCKET:-/run/docker/plugins/javanet.sock}",
                description = "Unix socket to serve on (default: ${DEFAULT-VALUE}).")
        Path socket;

        /** Docker's plugin client repeats a call that could not reach the plugin for up to this long. */
        private static final int DOCKER_RETRY_SECONDS = 30;
        private static final long ENGINE_POLL_MILLIS = 500;
        /** How often a global install reads the overlay secret again: how soon a new one rotates the keys. */
        private static final long REKEY_SECONDS = 5;

        @Option(names = "--reclaim-after", defaultValue = "${env:JAVANET_RECLAIM_AFTER:-60}",
                description = "Seconds after start-up before addresses and endpoints left unused by a crash are removed (default: ${DEFAULT-VALUE}).")
        int reclaimAfter;

        @Option(names = "--metrics-socket", defaultValue = "${env:JAVANET_METRICS_SOCKET:-}",
                description = "Serve Prometheus metrics at GET /metrics on this unix socket (default: off).")
        String metricsSocket;

        @Option(names = "--metrics-address", defaultValue = "${env:JAVANET_METRICS_ADDRESS:-}",
                description = "Serve Prometheus metrics at GET /metrics on this HOST:PORT, e.g. 127.0.0.1:9323 (default: off).")
        String metricsAddress;

        @Option(names = "--state-dir", defaultValue = "${env:JAVANET_STATE_DIR:-/var/lib/javanet}",
                description = "Directory of the state database (default: ${DEFAULT-VALUE}).")
        Path stateDir;

        @Option(names = "--overlay-secret", defaultValue = "${env:JAVANET_OVERLAY_SECRET:-}",
                description = "The swarm's secret for encrypted overlay networks, a root-only file the same on every"
                        + " node (default: overlay-secret in the state directory).")
        String overlaySecret;

        @Option(names = "--engine-socket", defaultValue = "${env:JAVANET_ENGINE_SOCKET:-/var/run/docker.sock}",
                description = "The local engine's API socket, read by a global-scope install for what swarm tells no"
                        + " remote driver: the nodes of each overlay network (default: ${DEFAULT-VALUE}).")
        Path engineSocket;

        @Option(names = "--docker-run-dir", defaultValue = "${env:JAVANET_DOCKER_RUN_DIR:-/var/run/docker}",
                description = "Where Docker's run directory, which holds its containers' network namespaces, is seen"
                        + " from here (default: ${DEFAULT-VALUE}).")
        Path dockerRunDir;

        @Option(names = "--scope", defaultValue = "${env:JAVANET_SCOPE:-local}",
                description = "local (networks of this host) or global (overlay networks across a swarm) (default: ${DEFAULT-VALUE}).")
        String scopeName;

        @Override
        public Integer call() throws InterruptedException {
            Scope scope = Scope.parse(scopeName).orElseThrow(() -> new CommandLine.ParameterException(
                    new CommandLine(this), "--scope: \"" + scopeName + "\" is not local or global"));
            Instance instance = Instance.of(ManagedPlugin.id(), socket, scope);
            StateLock lock;
            Optional<Takeover> takeover;
            Store store;
            try {
                lock = StateLock.acquire(instance.database(stateDir), instance.holder());
                takeover = Takeover.begin(Instance.legacy(socket, scope), instance, stateDir);
                store = Store.open(instance.database(stateDir));
            } catch (StoreException e) {
                log.error("not starting: {}", e.getMessage());
                return 1;
            }
            RtNetlink kernel = RtNetlink.open(instance.linkOwner());
            takeover.ifPresent(t -> t.adoptLinks(kernel));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Nftables nftables = Nftables.open();
            RtNetlink removalSocket = RtNetlink.open(instance.linkOwner());
            LinkRemoval removal = LinkRemoval.background(removalSocket);
            Sandboxes sandboxes = new Sandboxes(dockerRunDir);
            NftServiceBalancer balancer = new NftServiceBalancer(sandboxes);
            if (scope == Scope.GLOBAL) {
                balancer.blindness().ifPresent(why -> log.error("{}; containers on overlay networks with services will"
                        + " not start on this node: {}", why, ServiceBalancer.PROPAGATION_FIX));
            }
            NetworkDriver driver = new NetworkDriver(store, HostKernel.of(kernel, GenericNetlink.open(), TcNetlink.open(),
                    UdpProbe.SOCKETS),
                    new NftFirewall(nftables, instance.name()), removal, scope, new Modes(balancer, sandboxes,
                    overlaySecret.isEmpty() ? stateDir.resolve("overlay-secret") : Path.of(overlaySecret)));
            IpamDriver ipam = new IpamDriver(store, DefaultPools.standard(), kernel);
            // Start-up reconciliation and the HTTP server's start take about as long, and there are cores for
            // both; calls that come before reconciliation is done wait for it.
            CompletableFuture<Integer> reconciled = CompletableFuture.supplyAsync(driver::reconcile,
                    task -> new Thread(task, "javanet-reconcile").start());
            PluginServer server = new PluginServer(socket, driver, ipam, registry, reconciled).start();
            registry.counter("javanet.reconcile.repairs").increment(reconciled.join());
            takeover.ifPresent(t -> t.finish(nftables));
            log.info("ready {} ms after the JVM started: {} scope, instance {}, state {}",
                    ManagementFactory.getRuntimeMXBean().getUptime(), scope, instance.name(), instance.database(stateDir));
            List<MetricsServer> metrics = startMetrics(store, registry, driver);
            List<String> leftovers = driver.leftoverEndpoints();
            List<AllocationRecord> suspects = ipam.unclaimed(Set.copyOf(leftovers));
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "javanet-background");
                t.setDaemon(true);
                return t;
            });
            if (reclaimAfter < DOCKER_RETRY_SECONDS) {
                log.warn("--reclaim-after {} s is shorter than the {} s for which Docker retries a call that found us"
                        + " down: an endpoint removed before its Join arrives fails that container's start",
                        reclaimAfter, DOCKER_RETRY_SECONDS);
            }
            if (!suspects.isEmpty() || !leftovers.isEmpty()) {
                log.info("{} addresses unused and {} endpoints unjoined or without their container; removed in {} s"
                        + " unless claimed", suspects.size(), leftovers.size(), reclaimAfter);
                // Endpoints first: the addresses of those removed are then unclaimed, and freed.
                background.schedule(() -> {
                    int endpoints = driver.reapLeftovers(leftovers);
                    int addresses = ipam.reclaim(suspects);
                    registry.counter("javanet.reconcile.repairs").increment(endpoints + addresses);
                    log.info("reclaim done: {} endpoints and {} addresses removed", endpoints, addresses);
                }, reclaimAfter, TimeUnit.SECONDS);
            }

            // What the engine knows and Docker tells no remote driver, followed twice a second by a global install.
            Optional<EngineClient> engine = scope == Scope.GLOBAL ? Optional.of(new EngineClient(engineSocket))
                    : Optional.empty();
            if (scope == Scope.GLOBAL) {
                background.scheduleWithFixedDelay(() -> rekey(driver), REKEY_SECONDS, REKEY_SECONDS, TimeUnit.SECONDS);
            }
            engine.ifPresent(e -> background.scheduleWithFixedDelay(() -> follow(driver, e), 0, ENGINE_POLL_MILLIS,
                    TimeUnit.MILLISECONDS));

            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping: finishing calls in flight");
                background.shutdownNow();
                engine.ifPresent(EngineClient::close);
                metrics.forEach(MetricsServer::close);
                server.close();
                removal.close();
                // An install that is disabled with nothing to keep leaves no file: removed, its ID is never seen again.
                boolean nothingKept = store.read(Tx::holdsNothing);
                store.close();
                if (nothingKept) {
                    DatabaseFiles.delete(instance.database(stateDir));
                    lock.closeAndDelete();
                    log.info("state database {} held nothing: removed", instance.database(stateDir));
                } else {
                    lock.close();
                }
                removalSocket.close();
                kernel.close();
                nftables.close();
                stopped.countDown();
            }, "javanet-shutdown"));
            stopped.await();
            return 0;
        }

        /** One round of following the engine; a failure is logged and the next round comes as planned. */
        private static void follow(NetworkDriver driver, EngineClient engine) {
            try {
                driver.followEngine(engine);
            } catch (RuntimeException e) {
                log.warn("following the engine's view of the swarm: {}", e.getMessage());
            }
        }

        private static void rekey(NetworkDriver driver) {
            try {
                driver.rotateKeys();
            } catch (RuntimeException e) {
                log.warn("rotating encrypted overlays' keys: {}", e.getMessage());
            }
        }

        /** The metrics servers the options ask for: none unless one is named. */
        private List<MetricsServer> startMetrics(Store store, PrometheusMeterRegistry registry, NetworkDriver driver) {
            StateMetrics state = new StateMetrics(store, registry, driver::swarmPeers);
            List<MetricsServer> servers = new ArrayList<>();
            if (!metricsSocket.isEmpty()) {
                servers.add(MetricsServer.onSocket(Path.of(metricsSocket), registry, state::refresh).start());
            }
            if (!metricsAddress.isEmpty()) {
                servers.add(MetricsServer.onAddress(MetricsServer.parseAddress(metricsAddress), registry, state::refresh)
                        .start());
            }
            return servers;
        }
    }
}
