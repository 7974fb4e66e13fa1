package io.javanet.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javanet.api.ActivateResponse;
import io.javanet.api.ErrorResponse;
import io.javanet.api.IpamApi;
import io.javanet.api.NetworkDriverApi;
import io.javanet.api.StatusApi;
import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.PluginStatus;
import io.javanet.api.ipam.PoolRequest;
import io.javanet.api.ipam.ReleaseAddressRequest;
import io.javanet.api.ipam.RequestAddressRequest;
import io.javanet.api.ipam.RequestPoolRequest;
import io.javanet.api.network.AllocateNetworkRequest;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.DiscoveryNotification;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.NetworkRequest;
import io.javanet.failure.Failure;
import io.javanet.failure.FailureKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of the plugin protocol: {@code POST /Plugin.Activate}, {@code /NetworkDriver.*} and
 * {@code /IpamDriver.*}, and beside it our read-only {@code GET /javanet/v1/status} and {@code /javanet/v1/doctor}.
 * Each route reads its request through Javalin's JSON mapper ({@link PluginJsonMapper}), calls the driver and
 * answers its reply; the exception route makes every failure HTTP 500 with {@code {"Err": message}}. Each call is
 * logged and timed with its outcome.
 */
final class PluginRoutes {

    static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";

    private static final Logger log = LoggerFactory.getLogger(PluginRoutes.class);
    /** The request attribute holding when a call's route began, for its failure's timing. */
    private static final String STARTED = "javanet.started";

    private final MeterRegistry registry;
    private final RoutesConfig routes;
    private final Set<String> calls = new HashSet<>();

    private PluginRoutes(RoutesConfig routes, MeterRegistry registry) {
        this.routes = routes;
        this.registry = registry;
    }

    static <D extends NetworkDriverApi & StatusApi> void register(RoutesConfig routes, D driver, IpamApi ipam,
                                                                MeterRegistry registry) {
        PluginRoutes r = new PluginRoutes(routes, registry);
        routes.get(PluginStatus.PATH, ctx -> ctx.json(driver.status()));
        routes.get(Diagnosis.PATH, ctx -> ctx.json(driver.diagnose()));
        r.noArgs("Plugin.Activate", () -> new ActivateResponse(List.of("NetworkDriver", "IpamDriver")));

        r.noArgs("NetworkDriver.GetCapabilities", driver::getCapabilities);
        r.call("NetworkDriver.GwAllocCheck", GwAllocCheckRequest.class, driver::gwAllocCheck);
        r.call("NetworkDriver.CreateNetwork", CreateNetworkRequest.class, driver::createNetwork);
        r.call("NetworkDriver.DeleteNetwork", NetworkRequest.class, driver::deleteNetwork);
        r.call("NetworkDriver.CreateEndpoint", CreateEndpointRequest.class, driver::createEndpoint);
        r.call("NetworkDriver.EndpointOperInfo", EndpointRequest.class, driver::endpointOperInfo);
        r.call("NetworkDriver.DeleteEndpoint", EndpointRequest.class, driver::deleteEndpoint);
        r.call("NetworkDriver.Join", JoinRequest.class, driver::join);
        r.call("NetworkDriver.Leave", EndpointRequest.class, driver::leave);
        r.call("NetworkDriver.DiscoverNew", DiscoveryNotification.class, driver::discoverNew);
        r.call("NetworkDriver.DiscoverDelete", DiscoveryNotification.class, driver::discoverDelete);
        r.call("NetworkDriver.ProgramExternalConnectivity", ExternalConnectivityRequest.class,
                driver::programExternalConnectivity);
        r.call("NetworkDriver.RevokeExternalConnectivity", EndpointRequest.class, driver::revokeExternalConnectivity);
        r.call("NetworkDriver.AllocateNetwork", AllocateNetworkRequest.class, driver::allocateNetwork);
        r.call("NetworkDriver.FreeNetwork", NetworkRequest.class, driver::freeNetwork);

        r.noArgs("IpamDriver.GetCapabilities", ipam::getCapabilities);
        r.noArgs("IpamDriver.GetDefaultAddressSpaces", ipam::getDefaultAddressSpaces);
        r.call("IpamDriver.RequestPool", RequestPoolRequest.class, ipam::requestPool);
        r.call("IpamDriver.ReleasePool", PoolRequest.class, ipam::releasePool);
        r.call("IpamDriver.RequestAddress", RequestAddressRequest.class, ipam::requestAddress);
        r.call("IpamDriver.ReleaseAddress", ReleaseAddressRequest.class, ipam::releaseAddress);

        routes.exception(Exception.class, r::failed);
        routes.error(404, "*", ctx -> answer(ctx, 404, new ErrorResponse("unknown plugin call " + ctx.method() + " "
                + ctx.path())));
    }

    /** A call whose request has no body (the daemon sends Content-Length: 0). */
    private void noArgs(String name, Supplier<Object> handler) {
        route(name, ctx -> handler.get());
    }

    private <Q> void call(String name, Class<Q> requestType, Function<Q, ?> handler) {
        route(name, ctx -> handler.apply(ctx.<Q>bodyAsClass(requestType)));
    }

    /** Answers one call; the timer of its successes is made once, with its route. */
    private void route(String name, Function<Context, Object> call) {
        Timer ok = timer(name, "ok");
        calls.add(name);
        routes.post("/" + name, ctx -> {
            long start = System.nanoTime();
            ctx.attribute(STARTED, start);
            answer(ctx, 200, call.apply(ctx));
            long nanos = System.nanoTime() - start;
            ok.record(nanos, TimeUnit.NANOSECONDS);
            log.info("{} ok in {} ms", name, nanos / 10_000 / 100.0);
        });
    }

    private Timer timer(String name, String outcome) {
        return Timer.builder("javanet.calls").description("plugin protocol calls")
                .tag("call", name).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * The exception route: a failure in the protocol's form, logged, counted by its labels and timed by its kind
     * (a call's; one of a before-handler, waiting for start-up repair, is answered alike).
     */
    private void failed(Exception e, Context ctx) {
        String name = ctx.path().substring(1);
        FailureKind kind = e instanceof Failure failure ? failure.kind() : FailureKind.INTERNAL;
        String outcome = kind.outcome();
        String message = e instanceof Failure ? e.getMessage() : "internal error: " + e;
        if (kind.logsStack()) {
            log.error("{} failed ({}): {}", name, outcome, message, e);
        } else {
            log.warn("{} failed ({}): {}", name, outcome, message);
        }
        if (calls.contains(name)) {
            if (e instanceof Failure failure && !failure.labels().isEmpty()) {
                List<Tag> tags = new ArrayList<>(List.of(Tag.of("call", name)));
                failure.labels().forEach((key, value) -> tags.add(Tag.of(key, value)));
                registry.counter("javanet." + outcome + ".errors", tags).increment();
            }
            Long started = ctx.attribute(STARTED);
            if (started != null) {
                timer(name, outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }
        answer(ctx, 500, new ErrorResponse(message));
    }

    private static void answer(Context ctx, int status, Object reply) {
        ctx.status(status).json(reply).contentType(CONTENT_TYPE);
    }
}
