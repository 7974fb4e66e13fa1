package io.javanet.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
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
import io.javanet.failure.PluginException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of the plugin protocol: {@code POST /Plugin.Activate}, {@code /NetworkDriver.*} and
 * {@code /IpamDriver.*}, and beside it our read-only {@code GET /javanet/v1/status} and {@code /javanet/v1/doctor}. Each route decodes the body, calls the driver, and encodes the reply; every failure
 * becomes HTTP 500 with {@code {"Err": message}}. Each call is logged and timed with its outcome.
 */
final class PluginRoutes {

    static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";

    private static final Logger log = LoggerFactory.getLogger(PluginRoutes.class);

    private final JsonCodec json = new JsonCodec();
    private final MeterRegistry registry;
    private final RoutesConfig routes;

    private PluginRoutes(RoutesConfig routes, MeterRegistry registry) {
        this.routes = routes;
        this.registry = registry;
    }

    static <D extends NetworkDriverApi & StatusApi> void register(RoutesConfig routes, D driver, IpamApi ipam,
                                                                MeterRegistry registry) {
        PluginRoutes r = new PluginRoutes(routes, registry);
        routes.get(PluginStatus.PATH, ctx -> ctx.status(200).contentType("application/json").result(r.json.write(driver.status())));
        routes.get(Diagnosis.PATH, ctx -> ctx.status(200).contentType("application/json").result(r.json.write(driver.diagnose())));
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

        routes.error(404, "*", ctx -> reply(ctx, 404,
                r.json.write(new ErrorResponse("unknown plugin call " + ctx.method() + " " + ctx.path()))));
    }

    /** A call whose request has no body (the daemon sends Content-Length: 0). */
    private void noArgs(String name, Supplier<Object> handler) {
        Timer ok = timer(name, "ok");
        routes.post("/" + name, ctx -> handle(ctx, name, ok, () -> handler.get()));
    }

    private <Q> void call(String name, Class<Q> requestType, Function<Q, ?> handler) {
        Timer ok = timer(name, "ok");
        routes.post("/" + name, ctx -> handle(ctx, name, ok, () -> handler.apply(json.read(body(ctx), requestType))));
    }

    private Timer timer(String name, String outcome) {
        return Timer.builder("javanet.calls").description("plugin protocol calls")
                .tag("call", name).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private static byte[] body(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            throw PluginException.invalid("request body is larger than %d bytes", PluginServer.MAX_REQUEST_BYTES);
        }
    }

    /** Answers one call; the timer of its successes is made once, with its route. */
    private void handle(Context ctx, String name, Timer ok, Supplier<Object> call) {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            reply(ctx, 200, json.write(call.get()));
        } catch (RuntimeException e) {
            FailureKind kind = e instanceof Failure failure ? failure.kind() : FailureKind.INTERNAL;
            outcome = kind.outcome();
            if (e instanceof Failure failure && !failure.labels().isEmpty()) {
                List<Tag> tags = new ArrayList<>(List.of(Tag.of("call", name)));
                failure.labels().forEach((key, value) -> tags.add(Tag.of(key, value)));
                registry.counter("javanet." + outcome + ".errors", tags).increment();
            }
            String message = e instanceof Failure ? e.getMessage() : "internal error: " + e;
            fail(ctx, name, outcome, message, kind.logsStack() ? e : null);
        } finally {
            long nanos = System.nanoTime() - start;
            if (outcome.equals("ok")) {
                ok.record(nanos, TimeUnit.NANOSECONDS);
                log.info("{} ok in {} ms", name, nanos / 10_000 / 100.0);
            } else {
                timer(name, outcome).record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void fail(Context ctx, String name, String outcome, String message, Throwable detail) {
        if (detail != null) {
            log.error("{} failed ({}): {}", name, outcome, message, detail);
        } else {
            log.warn("{} failed ({}): {}", name, outcome, message);
        }
        reply(ctx, 500, json.write(new ErrorResponse(message)));
    }

    private static void reply(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(body);
    }
}
