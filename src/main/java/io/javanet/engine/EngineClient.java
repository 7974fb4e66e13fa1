package io.javanet.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's API on its unix socket, for reads only. An engine that does not answer (restarting, or not
 * there) gives empty views, logged once until it answers again; nothing here ever writes to the engine.
 */
public final class EngineClient implements Engine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 2;
    /** Where javanet's managed plugin keeps its jar, which its entrypoint names. */
    private static final String JAVANET_JAR = "/opt/javanet/javanet.jar";

    private final Path socket;
    private final HttpClient http = new HttpClient();
    private volatile boolean answering = true;

    public EngineClient(Path socket) {
        this.socket = socket;
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the engine's HTTP client: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<SwarmNetwork> swarmNetwork(String networkId) {
        return get("/networks/" + networkId + "?verbose=true").map(EngineClient::parse);
    }

    /**
     * Docker's names for what the plugin knows by ID: each endpoint's container and each network's name, from
     * {@code GET /containers/json?all=1} and {@code GET /networks}. Empty maps where the engine does not answer.
     */
    public EngineNames names() {
        Map<String, String> containers = new HashMap<>();
        Map<String, String> networks = new HashMap<>();
        get("/containers/json?all=1").ifPresent(list -> list.forEach(container -> {
            String name = container.path("Names").path(0).asText("").replaceFirst("^/", "");
            container.path("NetworkSettings").path("Networks").forEach(attachment -> {
                String endpoint = attachment.path("EndpointID").asText("");
                if (!endpoint.isEmpty()) {
                    containers.put(endpoint, name);
                }
            });
        }));
        get("/networks").ifPresent(list -> list.forEach(n -> networks.put(n.path("Id").asText(), n.path("Name").asText())));
        return new EngineNames(containers, networks);
    }

    /** A container's endpoint IDs on its networks, by the container's name or ID; empty if the engine has no such one. */
    public Optional<List<String>> endpointsOf(String container) {
        return get("/containers/" + URLEncoder.encode(container, StandardCharsets.UTF_8) + "/json").map(c -> {
            List<String> endpoints = new ArrayList<>();
            c.path("NetworkSettings").path("Networks").forEach(a -> endpoints.add(a.path("EndpointID").asText("")));
            return endpoints;
        });
    }

    /** A network's ID, by its name or ID; empty if the engine has no such one. */
    public Optional<String> networkId(String network) {
        return get("/networks/" + URLEncoder.encode(network, StandardCharsets.UTF_8)).map(n -> n.path("Id").asText());
    }

    /** {@code GET /info}: the engine's version, firewall backend and place in a swarm; empty if it does not answer. */
    public Optional<EngineInfo> info() {
        return get("/info").map(info -> {
            JsonNode swarm = info.path("Swarm");
            List<String> managers = new ArrayList<>();
            swarm.path("RemoteManagers").forEach(m -> managers.add(m.path("NodeID").asText()));
            return new EngineInfo(info.path("ID").asText(), info.path("Name").asText(), info.path("ServerVersion").asText(),
                    info.path("FirewallBackend").path("Driver").asText("iptables"), swarm.path("NodeID").asText(),
                    swarm.path("NodeAddr").asText(), managers, swarm.path("ControlAvailable").asBoolean());
        });
    }

    /** {@code GET /nodes}: the swarm's nodes, as a manager lists them; empty on a worker or outside a swarm. */
    public List<SwarmNode> nodes() {
        List<SwarmNode> nodes = new ArrayList<>();
        get("/nodes").ifPresent(list -> list.forEach(n -> nodes.add(new SwarmNode(n.path("ID").asText(),
                n.at("/Description/Hostname").asText(), n.at("/Status/Addr").asText(), n.at("/Status/State").asText()))));
        return nodes;
    }

    /** {@code GET /plugins}: the enabled managed plugins that run javanet (their entrypoint names its jar). */
    public List<PluginInstall> javanetPlugins() {
        List<PluginInstall> plugins = new ArrayList<>();
        get("/plugins").ifPresent(list -> list.forEach(p -> {
            JsonNode config = p.path("Config");
            if (p.path("Enabled").asBoolean() && config.path("Entrypoint").toString().contains(JAVANET_JAR)) {
                String scope = "local";
                for (JsonNode env : p.at("/Settings/Env")) {
                    if (env.asText().startsWith("JAVANET_SCOPE=")) {
                        scope = env.asText().substring("JAVANET_SCOPE=".length());
                    }
                }
                plugins.add(new PluginInstall(p.path("Id").asText(), p.path("Name").asText(),
                        config.at("/Interface/Socket").asText(), scope));
            }
        }));
        return plugins;
    }

    private Optional<JsonNode> get(String path) {
        try {
            ContentResponse response = http.newRequest("http://docker" + path).transport(new Transport.TCPUnix(socket))
                    .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).send();
            answered(true, null);
            if (response.getStatus() != 200) {
                log.debug("engine: GET {}: HTTP {}", path, response.getStatus());
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.getContentAsString()));
        } catch (ExecutionException | TimeoutException | IOException e) {
            answered(false, e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void answered(boolean now, Exception e) {
        if (answering && !now) {
            log.warn("engine on {} does not answer ({}): swarm views wait for it", socket, e.getMessage());
        } else if (!answering && now) {
            log.info("engine on {} answers again", socket);
        }
        answering = now;
    }

    /** The verbose network inspect's {@code Peers} and {@code Services} (absent outside swarm mode). */
    static SwarmNetwork parse(JsonNode network) {
        List<IPAddress> peers = new ArrayList<>();
        for (JsonNode peer : network.path("Peers")) {
            address(peer.path("IP").asText()).ifPresent(peers::add);
        }
        List<SwarmNetwork.Service> services = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = network.path("Services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            Optional<IPAddress> vip = address(service.getValue().path("VIP").asText());
            if (vip.isEmpty()) {
                continue;
            }
            List<IPAddress> tasks = new ArrayList<>();
            for (JsonNode task : service.getValue().path("Tasks")) {
                address(task.path("EndpointIP").asText()).ifPresent(tasks::add);
            }
            services.add(new SwarmNetwork.Service(service.getKey(), vip.get(), tasks));
        }
        return new SwarmNetwork(peers, services);
    }

    private static Optional<IPAddress> address(String text) {
        if (text.isBlank()) {
            return Optional.empty();  // IPAddressString reads "" as the loopback address
        }
        IPAddress address = new IPAddressString(text).getAddress();
        return address == null ? Optional.empty() : Optional.of(address.withoutPrefixLength());
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            log.debug("engine client: {}", e.getMessage());
        }
    }
}
