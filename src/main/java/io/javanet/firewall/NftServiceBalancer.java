package io.javanet.firewall;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceBalancer} through libnftables, run inside each container's namespace. Docker names a sandbox by
 * its path under its own run directory, {@code /var/run/docker}; a managed plugin sees that directory where its
 * mount puts it.
 */
public final class NftServiceBalancer implements ServiceBalancer {

    private static final Logger log = LoggerFactory.getLogger(NftServiceBalancer.class);
    private static final List<String> DOCKER_RUN = List.of("/var/run/docker/", "/run/docker/");

    private final Path dockerRun;

    /** @param dockerRun where Docker's run directory is seen from here */
    public NftServiceBalancer(Path dockerRun) {
        this.dockerRun = dockerRun;
    }

    /** The namespace file of a sandbox key, as seen from here. */
    Path namespace(String sandboxKey) {
        for (String prefix : DOCKER_RUN) {
            if (sandboxKey.startsWith(prefix)) {
                return dockerRun.resolve(sandboxKey.substring(prefix.length()));
            }
        }
        return Path.of(sandboxKey);
    }

    @Override
    public void program(String sandboxKey, String networkId, List<VirtualIp> vips) {
        run(namespace(sandboxKey), "service VIPs of network " + networkId, VipScript.replace(networkId, vips));
    }

    @Override
    public void change(String sandboxKey, String networkId, List<VirtualIp> before, List<VirtualIp> after) {
        run(namespace(sandboxKey), "changing the service VIPs of network " + networkId,
                VipScript.change(networkId, before, after));
    }

    @Override
    public void remove(String sandboxKey, String networkId) {
        Path namespace = namespace(sandboxKey);
        if (Files.exists(namespace)) {
            run(namespace, "removing the service VIPs of network " + networkId, VipScript.remove(networkId));
        }
    }

    private static void run(Path namespace, String purpose, String commands) {
        try (Nftables nft = Nftables.openIn(namespace)) {
            nft.run(purpose + " in " + namespace, commands);
        }
        log.debug("{} in {}: done", purpose, namespace);
    }
}
