package io.javanet.driver;

import io.javanet.failure.PluginException;
import java.nio.charset.StandardCharsets;

/**
 * Names of the links we create. All start with {@code jn} so that start-up reconciliation can tell ours from
 * everyone else's; the rest comes from Docker's IDs, cut to the kernel's 15-byte limit (IFNAMSIZ - 1).
 */
public final class LinkNames {

    static final int MAX_LENGTH = 15;

    private LinkNames() {
    }

    /** {@code jn-} and the first 12 characters of the network ID, like Docker's {@code br-…}. */
    public static String bridge(String networkId) {
        return "jn-" + prefix(networkId, 12);
    }

    /** The host end of an endpoint's veth pair, the one enslaved to the bridge. */
    public static String hostVeth(String endpointId) {
        return "jnv" + prefix(endpointId, 12);
    }

    /** The end Docker moves into the container and renames {@code ethN}. */
    public static String containerVeth(String endpointId) {
        return "jnc" + prefix(endpointId, 12);
    }

    /** An endpoint's macvlan or ipvlan sub-interface, the link Docker moves into the container. */
    public static String subInterface(String endpointId) {
        return "jnm" + prefix(endpointId, 12);
    }

    /** A network's VXLAN device, whose macvlans are the network's endpoints. */
    public static String vxlan(String networkId) {
        return "jnx" + prefix(networkId, 12);
    }

    /** A link made only to learn whether the kernel can make it, and removed at once. */
    public static String probe(String networkId) {
        return "jnp" + prefix(networkId, 12);
    }

    /** Checks a user-chosen link name against what the kernel accepts, and refuses anything odd. */
    public static String validate(String field, String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw PluginException.invalid("%s: \"%s\" must be 1 to %d bytes long", field, name, MAX_LENGTH);
        }
        if (!name.matches("[A-Za-z0-9_.-]+") || name.equals(".") || name.equals("..")) {
            throw PluginException.invalid("%s: \"%s\" may hold only letters, digits, '_', '.' and '-'", field, name);
        }
        return name;
    }

    private static String prefix(String id, int length) {
        return id.length() <= length ? id : id.substring(0, length);
    }
}
