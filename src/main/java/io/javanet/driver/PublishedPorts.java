package io.javanet.driver;

import io.javanet.firewall.Firewall;
import io.javanet.net.PortBinding;
import io.javanet.store.EndpointRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports an endpoint publishes while it is its container's gateway: Docker's port map resolved against
 * what others publish, put in the firewall, and remembered with the endpoint, all or nothing; one endpoint at a
 * time, since each resolves its ports against the others'.
 */
final class PublishedPorts {

    private static final Logger log = LoggerFactory.getLogger(PublishedPorts.class);

    private final Store store;
    private final Firewall firewall;

    PublishedPorts(Store store, Firewall firewall) {
        this.store = store;
        this.firewall = firewall;
    }

    /** Publishes {@code requested} for the endpoint, as its network publishes, in place of what it published before. */
    synchronized void program(EndpointRecord endpoint, List<Map<String, Object>> requested, Publishing publishing) {
        if (requested.isEmpty() && endpoint.portMap().isEmpty()) {
            return;
        }
        List<PortBinding> others = store.read(Tx::publishedPorts).stream()
                .filter(b -> !endpoint.portMap().contains(b)).toList();
        List<PortBinding> ports = PortMaps.resolve(requested, endpoint, others, publishing);
        firewall.unpublish(endpoint.portMap());
        firewall.publish(ports);
        try {
            store.write(tx -> tx.putEndpoint(endpoint.withPortMap(ports)));
        } catch (RuntimeException e) {
            firewall.unpublish(ports);
            firewall.publish(endpoint.portMap());
            throw e;
        }
        if (!ports.isEmpty()) {
            log.info("endpoint {} publishes {}", endpoint.endpointId(), ports);
        }
    }

    /** The endpoint publishes nothing any more (it lost the gateway role, or its container stops). */
    synchronized void revoke(EndpointRecord endpoint) {
        if (endpoint.portMap().isEmpty()) {
            return;
        }
        firewall.unpublish(endpoint.portMap());
        store.write(tx -> tx.putEndpoint(endpoint.withPortMap(List.of())));
    }
}
