package io.javanet.api.status;

import java.util.List;
import java.util.Map;

/**
 * What {@code docker javanet doctor} learns from one plugin ({@code GET /javanet/v1/doctor}): the host checked
 * against the plugin's state, each check passed or failed, and a failed one with its fix. Asking changes nothing.
 *
 * @param scope  local or global, the install's scope
 * @param node   this node's swarm address, as Docker told a global install; empty otherwise
 * @param checks host-wide checks first, then each network's
 * @param floods for each overlay network by ID, the nodes its VXLAN device floods to, as the kernel holds them
 */
public record Diagnosis(String scope, String node, List<Check> checks, Map<String, List<String>> floods) {

    /** Where the plugin serves it, beside {@link PluginStatus#PATH}. */
    public static final String PATH = "/javanet/v1/doctor";

    /** The fix of whatever start-up reconciliation repairs; the CLI puts the plugin's name for PLUGIN. */
    public static final String RESTART_PLUGIN = "restart the plugin, whose start-up repairs it: docker plugin disable -f"
            + " PLUGIN && docker plugin enable PLUGIN";

    /** Whether every check passed. */
    public boolean healthy() {
        return checks.stream().allMatch(Check::ok);
    }

    /**
     * One check.
     *
     * @param network  the network's ID, empty for a host-wide check
     * @param endpoint the endpoint's ID, empty unless the check is of one endpoint
     * @param check    what was checked, in a few words
     * @param detail   what was found
     * @param fix      for a failed check, what to do; empty otherwise
     */
    public record Check(String network, String endpoint, String check, boolean ok, String detail, String fix) {
    }
}
