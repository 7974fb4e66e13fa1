package io.javanet.driver;

import io.javanet.failure.PluginException;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The driver's state as its calls use it: networks and endpoints read and checked against the request's IDs,
 * and host work committed all or nothing with the durable intent of the link it makes.
 */
final class DriverState {

    private final Store store;

    DriverState(Store store) {
        this.store = store;
    }

    NetworkRecord network(String networkId) {
        String id = RequestValues.requireId("NetworkID", networkId);
        return store.network(id)
                .orElseThrow(() -> PluginException.notFound("NetworkID: unknown network %s", id));
    }

    EndpointRecord endpoint(String networkId, String endpointId) {
        return attachment(networkId, endpointId).endpoint();
    }

    /** An endpoint with the network it belongs to, both read and checked once. */
    record Attachment(NetworkRecord network, EndpointRecord endpoint) {
    }

    Attachment attachment(String networkId, String endpointId) {
        return findAttachment(networkId, endpointId).orElseThrow(
                () -> PluginException.notFound("EndpointID: unknown endpoint %s", endpointId));
    }

    /** The endpoint on its network; empty if no endpoint of ours has that ID. The network must be one of ours. */
    Optional<Attachment> findAttachment(String networkId, String endpointId) {
        NetworkRecord network = network(networkId);
        String id = RequestValues.requireId("EndpointID", endpointId);
        Optional<EndpointRecord> endpoint = store.read(tx -> tx.endpoint(id));
        if (endpoint.isPresent() && !endpoint.get().networkId().equals(network.networkId())) {
            throw PluginException.invalid("NetworkID: endpoint %s belongs to network %s, not %s", id,
                    endpoint.get().networkId(), network.networkId());
        }
        return endpoint.map(e -> new Attachment(network, e));
    }

    /**
     * Runs {@code steps} and commits {@code record} as one all-or-nothing call: the intent to make {@code link},
     * if the steps make one, is committed first, the record and the intent's end together last; a failure
     * between undoes the steps done.
     */
    void build(Optional<String> link, Consumer<UndoLog> steps, Consumer<Tx> record) {
        UndoLog undo = new UndoLog();
        link.ifPresent(l -> store.write(tx -> tx.putLinkIntent(l)));
        try {
            steps.accept(undo);
            store.write(tx -> {
                record.accept(tx);
                link.ifPresent(tx::deleteLinkIntent);
            });
        } catch (RuntimeException e) {
            undo.rollback(e);
            link.ifPresent(l -> writeAfter(e, tx -> tx.deleteLinkIntent(l)));
            throw e;
        }
    }

    /**
     * Commits {@code record}, then runs {@code steps}; if they fail, undoes them and commits {@code forget}. One
     * commit where {@link #build} takes two: a crash after it leaves a record whose links start-up reconciliation
     * makes, and whose owner Docker never heard of is reaped as a leftover.
     */
    void recordFirst(Consumer<Tx> record, Consumer<Tx> forget, Consumer<UndoLog> steps) {
        store.write(record);
        UndoLog undo = new UndoLog();
        try {
            steps.accept(undo);
        } catch (RuntimeException e) {
            undo.rollback(e);
            writeAfter(e, forget);
            throw e;
        }
    }

    void clearIntent(String link) {
        store.write(tx -> tx.deleteLinkIntent(link));
    }

    /**
     * After a rollback: the state follows it (an intent cleared, a record forgotten), or, if the store is what
     * failed, stays for reconciliation; {@code cause} stays the error reported.
     */
    private void writeAfter(RuntimeException cause, Consumer<Tx> work) {
        try {
            store.write(work);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
