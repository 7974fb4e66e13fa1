package io.javanet.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.JoinRequest;
import io.javanet.netlink.ThrowawayNamespace;
import io.javanet.store.EndpointRecord;
import io.javanet.store.Store;
import io.javanet.store.StoreException;
import io.javanet.store.Tx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state directory full or read-only (a small tmpfs of our own): every call fails naming the directory and
 * changes nothing, and javanet works again by itself once there is space or the directory is writable.
 */
class StateDirectoryKernelTest extends DriverTestBase {

    private Path tight;
    private Store tightStore;
    private NetworkDriver onTight;

    @BeforeEach
    void smallStateDirectory() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        tight = Files.createDirectory(dir.resolve("tight"));
        ThrowawayNamespace.run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", tight.toString());
        tightStore = Store.open(tight.resolve("javanet.db"));
        onTight = localDriver(tightStore, firewall);
        onTight.createNetwork(network(NET, options(false, Map.of()), "10.123.0.0/24", "10.123.0.1/24"));
    }

    @AfterEach
    void unmount() {
        if (tightStore != null) {
            tightStore.close();
        }
        if (tight != null) {
            ThrowawayNamespace.run("umount", tight.toString());
        }
    }

    private String endpoint(String id, String address) {
        onTight.createEndpoint(new CreateEndpointRequest(NET, id, new EndpointInterface(address, "", ""), Map.of()));
        return id;
    }

    private String refusedEndpoint(String id, String address) {
        return storeFailure(() -> endpoint(id, address));
    }

    /** The message of the store's failure the call must end in. */
    private static String storeFailure(Runnable call) {
        StoreException e = catchThrowableOfType(StoreException.class, call::run);
        assertThat(e).as("the call fails with the store's error").isNotNull();
        return e.getMessage();
    }

    private void assertOnlyTheFirstNetwork() {
        assertThat(kernel.linkNames()).containsExactly("jn-3db071b3a55c", "jnvpublished", "jncpublished");
        List<EndpointRecord> endpoints = tightStore.read(tx -> tx.endpoints(NET));
        assertThat(endpoints).extracting(EndpointRecord::endpointId).containsExactly("published");
        assertThat(tightStore.read(Tx::networks)).hasSize(1);
    }

    @Test
    void aFullStateDirectoryFailsEveryCallChangingNothingUntilThereIsSpace() throws IOException {
        endpoint("published", "10.123.0.9/24");
        onTight.programExternalConnectivity(new ExternalConnectivityRequest(NET, "published",
                Map.of("com.docker.network.portmap", List.of(port(6, "", 8080, 8080, 80)))));
        Path filler = tight.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left");
        }
        assertThat(refusedEndpoint(EP, "10.123.0.2/24")).startsWith("state directory " + tight + " is full")
                .contains("nothing was changed");
        assertThat(storeFailure(() -> onTight.createNetwork(network("n2", options(false, Map.of()), "10.124.0.0/24",
                "10.124.0.1/24")))).startsWith("state directory " + tight + " is full");
        assertThat(storeFailure(() -> onTight.deleteEndpoint(new EndpointRequest(NET, "published"))))
                .startsWith("state directory " + tight + " is full");
        assertThat(firewall.ports()).as("still published").hasSize(1);
        assertThat(kernel.exists("jnvpublished")).isTrue();
        assertOnlyTheFirstNetwork();

        Files.delete(filler);
        endpoint(EP, "10.123.0.2/24");
        onTight.join(new JoinRequest(NET, EP, "/var/run/docker/netns/x", Map.of()));
        String sandbox = tightStore.read(tx -> tx.endpoint(EP)).orElseThrow().sandboxKey();
        assertThat(sandbox).isEqualTo("/var/run/docker/netns/x");
    }

    /** Read-only from the start (a mount gone wrong): javanet does not start, and says why. */
    @Test
    void aReadOnlyStateDirectoryIsNamedAtStart() {
        tightStore.close();
        tightStore = null;
        ThrowawayNamespace.run("mount", "-o", "remount,ro", tight.toString());
        try {
            StoreException refused = catchThrowableOfType(StoreException.class, () -> Store.open(tight.resolve("javanet.db")));
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).startsWith("state directory " + tight + " is read-only");
        } finally {
            ThrowawayNamespace.run("mount", "-o", "remount,rw", tight.toString());
        }
        tightStore = Store.open(tight.resolve("javanet.db"));
        assertThat(tightStore.read(Tx::networks)).hasSize(1);
    }

    /**
     * SQLite's write-ahead log needs shared memory next to the database; where the filesystem cannot give it (9p,
     * some network filesystems; here an immutable {@code -shm} file on ext4 stands in), the first error names the
     * cause and what to do.
     */
    @Test
    void aStateDirectoryWithoutSharedMemoryIsNamedForWhatItLacks() throws IOException {
        Path ext4 = Files.createDirectory(dir.resolve("ext4"));
        Path shm = ext4.resolve("javanet.db-shm");
        try {
            Store.open(ext4.resolve("javanet.db")).close();
            Files.write(shm, new byte[0]);
            ThrowawayNamespace.run("chattr", "+i", shm.toString());
            StoreException refused = catchThrowableOfType(StoreException.class, () -> Store.open(ext4.resolve("javanet.db")));
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).startsWith("state directory " + ext4
                    + " is on a filesystem where SQLite's write-ahead log cannot work").contains("9p");
        } finally {
            ThrowawayNamespace.run("chattr", "-i", shm.toString());
        }
    }
}
