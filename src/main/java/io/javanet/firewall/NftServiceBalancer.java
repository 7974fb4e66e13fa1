package io.javanet.firewall;

import io.javanet.sys.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceBalancer} through libnftables, run inside each container's namespace, found through {@link
 * Sandboxes}. A managed plugin sees the namespaces Docker mounts after the plugin started only if its mount of
 * Docker's run directory
 * receives the host's mounts (propagation): the host's mount of the directory must be shared, as systemd makes
 * every mount. Without it, a namespace's file is there but empty, and entering it fails.
 */
public final class NftServiceBalancer implements ServiceBalancer {

    private static final Logger log = LoggerFactory.getLogger(NftServiceBalancer.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private final Sandboxes sandboxes;

    public NftServiceBalancer(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    @Override
    public void program(String sandboxKey, String networkId, List<VirtualIp> vips) {
        run(sandboxes.namespace(sandboxKey), "service VIPs of network " + networkId, VipScript.replace(networkId, vips));
    }

    @Override
    public void change(String sandboxKey, String networkId, List<VirtualIp> before, List<VirtualIp> after) {
        run(sandboxes.namespace(sandboxKey), "changing the service VIPs of network " + networkId,
                VipScript.change(networkId, before, after));
    }

    @Override
    public void remove(String sandboxKey, String networkId) {
        Path namespace = sandboxes.namespace(sandboxKey);
        if (Files.exists(namespace)) {
            run(namespace, "removing the service VIPs of network " + networkId, VipScript.remove(networkId));
        }
    }

    @Override
    public Optional<String> blindness() {
        try {
            return blindness(Files.readString(MOUNTINFO), sandboxes.dockerRun().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Why namespaces Docker makes will not be seen in {@code dockerRun}, from a mountinfo listing (proc(5): ID,
     * parent, device, root, mount point, options, optional fields up to "-"): where the directory is a mount of
     * its own (a managed plugin's), that mount must be a peer ("shared:") or a slave ("master:") of the host's.
     * Where it is not, this process shares the engine's mounts.
     */
    static Optional<String> blindness(String mountinfo, String dockerRun) {
        List<String> found = null;
        for (String line : mountinfo.split("\n")) {
            List<String> fields = Arrays.asList(line.split(" "));
            if (fields.size() > 6 && fields.get(4).equals(dockerRun)) {
                found = fields.subList(6, Math.max(6, fields.indexOf("-")));
            }
        }
        if (found == null || found.stream().anyMatch(f -> f.startsWith("shared:") || f.startsWith("master:"))) {
            return Optional.empty();
        }
        return Optional.of("Docker's run directory, mounted on " + dockerRun + ", receives no mounts from the host (its"
                + " mount there is private): the network namespaces of containers started from now on are empty files"
                + " here, and their service VIPs cannot be made");
    }

    private void run(Path namespace, String purpose, String commands) {
        try (Nftables nft = Nftables.openIn(namespace)) {
            nft.run(purpose + " in " + namespace, commands);
        } catch (RuntimeException e) {
            Optional<String> blind = blindness();
            throw blind.isPresent() ? new FirewallException(purpose + " in " + namespace + ": " + e.getMessage() + "; "
                    + blind.get() + "; fix: " + PROPAGATION_FIX) : e;
        }
        log.debug("{} in {}: done", purpose, namespace);
    }
}
