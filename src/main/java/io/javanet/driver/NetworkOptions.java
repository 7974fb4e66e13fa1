package io.javanet.driver;

import io.javanet.failure.PluginException;
import io.javanet.net.Mode;
import io.javanet.net.Scope;
import io.javanet.net.SubMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code docker network create}, typed and checked. Top-level keys come from Docker itself;
 * {@code -o} values arrive as strings under {@link Labels#GENERIC}.
 *
 * @param bridgeName the bridge's name, or empty to derive it from the network ID (bridge mode only)
 * @param mode       the network's mode
 * @param parent     the host link a macvlan or ipvlan network sits on, else empty
 * @param subMode    the macvlan mode (bridge, private, vepa, passthru) or ipvlan mode (l2, l3), else none
 * @param generic    the {@code -o} options as given, kept for inspection and later use
 */
public record NetworkOptions(boolean enableIpv6, boolean internal, String bridgeName, int mtu, Mode mode,
                             String parent, SubMode subMode, Map<String, String> generic) {

    public static final int DEFAULT_MTU = 1500;
    private static final Set<String> JAVANET_KEYS = new TreeSet<>(Set.of(Labels.MODE, Labels.VNI,
            Labels.ALLOW_HOST_SUBNET));

    /** Parses CreateNetwork's Options for a local-scope driver; every error names the option. */
    public static NetworkOptions parse(Map<String, Object> options) {
        return parse(options, Scope.LOCAL);
    }

    /**
     * Parses CreateNetwork's Options; every error names the option. A global-scope driver makes overlay networks
     * only, and a local one every mode but overlay.
     */
    public static NetworkOptions parse(Map<String, Object> options, Scope scope) {
        Map<String, Object> top = options == null ? Map.of() : options;
        boolean ipv6 = bool(Labels.ENABLE_IPV6, top.get(Labels.ENABLE_IPV6));
        boolean internal = bool(Labels.INTERNAL, top.get(Labels.INTERNAL));
        Map<String, String> generic = generic(top.get(Labels.GENERIC));

        Mode fallback = scope == Scope.GLOBAL ? Mode.OVERLAY : Mode.BRIDGE;
        String modeName = generic.getOrDefault(Labels.MODE, fallback.wireName());
        Mode mode = Mode.parse(modeName).orElseThrow(() -> PluginException.invalid(
                "-o %s: unknown mode \"%s\" (supported: %s)", Labels.MODE, modeName,
                String.join(", ", new TreeSet<>(Arrays.stream(Mode.values()).map(Mode::wireName).toList()))));
        if ((mode == Mode.OVERLAY) != (scope == Scope.GLOBAL)) {
            throw PluginException.invalid(scope == Scope.GLOBAL
                    ? "-o %s=%s: this javanet install is global-scope and makes overlay networks only; use the local one"
                    : "-o %s=%s: overlay networks need javanet's global-scope install (JAVANET_SCOPE=global)",
                    Labels.MODE, mode);
        }
        onlyFor(generic, Labels.BRIDGE_NAME, mode, Mode.BRIDGE);
        onlyFor(generic, Labels.PARENT, mode, Mode.MACVLAN, Mode.IPVLAN);
        onlyFor(generic, Labels.MACVLAN_MODE, mode, Mode.MACVLAN);
        onlyFor(generic, Labels.IPVLAN_MODE, mode, Mode.IPVLAN);
        onlyFor(generic, Labels.VNI, mode, Mode.OVERLAY);
        onlyFor(generic, Labels.ENCRYPTED, mode, Mode.OVERLAY);
        String encrypted = generic.getOrDefault(Labels.ENCRYPTED, "");
        if (!encrypted.isEmpty() && !encrypted.equals("true")) {
            throw PluginException.invalid("-o %s: takes no value (or true), got \"%s\"; leave the option out for a"
                    + " network in the clear", Labels.ENCRYPTED, encrypted);
        }
        if (generic.containsKey(Labels.VNI)) {
            vni(generic.get(Labels.VNI));
        }
        String allow = generic.getOrDefault(Labels.ALLOW_HOST_SUBNET, "false");
        if (!allow.equals("true") && !allow.equals("false")) {
            throw PluginException.invalid("-o %s: expected true or false, got \"%s\"", Labels.ALLOW_HOST_SUBNET, allow);
        }
        String bridgeName = "";
        if (generic.containsKey(Labels.BRIDGE_NAME)) {
            bridgeName = LinkNames.validate("-o " + Labels.BRIDGE_NAME, generic.get(Labels.BRIDGE_NAME));
        }
        int mtu = generic.containsKey(Labels.MTU) ? mtu(generic.get(Labels.MTU)) : DEFAULT_MTU;
        String parent = "";
        SubMode subMode = SubMode.NONE;
        if (mode == Mode.MACVLAN || mode == Mode.IPVLAN) {
            if (!generic.containsKey(Labels.PARENT)) {
                throw PluginException.invalid("-o %s: required with -o %s=%s (the host link the network sits on)",
                        Labels.PARENT, Labels.MODE, mode);
            }
            parent = LinkNames.validate("-o " + Labels.PARENT, generic.get(Labels.PARENT));
            subMode = subMode(generic, mode == Mode.MACVLAN ? Labels.MACVLAN_MODE : Labels.IPVLAN_MODE, mode);
        }
        for (String key : generic.keySet()) {
            if (key.startsWith(Labels.JAVANET_PREFIX) && !JAVANET_KEYS.contains(key)) {
                throw PluginException.invalid("-o %s: unknown javanet option (known: %s)", key,
                        String.join(", ", JAVANET_KEYS));
            }
        }
        return new NetworkOptions(ipv6, internal, bridgeName, mtu, mode, parent, subMode, generic);
    }

    private static void onlyFor(Map<String, String> generic, String key, Mode mode, Mode... modes) {
        if (generic.containsKey(key) && !List.of(modes).contains(mode)) {
            throw PluginException.invalid("-o %s: only for -o %s=%s, not %s", key, Labels.MODE,
                    String.join(" or ", Arrays.stream(modes).map(Mode::wireName).toList()), mode);
        }
    }

    /** Whether the user allowed a subnet holding the host's own addresses ({@link HostSubnets}). */
    public boolean allowHostSubnet() {
        return generic.getOrDefault(Labels.ALLOW_HOST_SUBNET, "false").equals("true");
    }

    /** A VXLAN id, 1 to 16777215. */
    static int vni(String value) {
        try {
            int vni = Integer.parseInt(value.trim());
            if (vni >= 1 && vni <= 0xffffff) {
                return vni;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw PluginException.invalid("-o %s: \"%s\" is not a VXLAN id (1 to 16777215)", Labels.VNI, value);
    }

    /**
     * The bridge a bridge network gets: the one asked for, else one named after the network; none for other
     * modes but overlay, whose records keep the name overlays had while they had a bridge, so that a
     * CreateNetwork repeated for an overlay made then is still answered as the same network.
     */
    public String bridgeName(String networkId) {
        if (mode != Mode.BRIDGE && mode != Mode.OVERLAY) {
            return "";
        }
        return bridgeName.isEmpty() ? LinkNames.bridge(networkId) : bridgeName;
    }

    /** The sub-mode asked for with {@code key}, else the mode's default (its first). */
    private static SubMode subMode(Map<String, String> generic, String key, Mode mode) {
        List<SubMode> known = SubMode.of(mode);
        String value = generic.getOrDefault(key, known.get(0).wireName());
        return SubMode.parse(mode, value).orElseThrow(() -> PluginException.invalid(
                "-o %s: unknown mode \"%s\" (supported: %s)", key, value,
                String.join(", ", new TreeSet<>(known.stream().map(SubMode::wireName).toList()))));
    }

    private static boolean bool(String key, Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw PluginException.invalid("Options.%s: expected true or false, got %s", key, value);
    }

    private static Map<String, String> generic(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw PluginException.invalid("Options.%s: expected an object of -o options, got %s", Labels.GENERIC, value);
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map || v instanceof Iterable) {
                throw PluginException.invalid("-o %s: expected a plain value, got %s", k, v);
            }
            result.put(String.valueOf(k), String.valueOf(v));
        });
        return result;
    }

    private static int mtu(String value) {
        try {
            int mtu = Integer.parseInt(value.trim());
            if (mtu >= 68 && mtu <= 65535) {
                return mtu;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw PluginException.invalid("-o %s: \"%s\" is not an MTU (68 to 65535)", Labels.MTU, value);
    }
}
