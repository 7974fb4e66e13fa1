package io.javanet.driver;

import io.javanet.api.PluginException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code docker network create}, typed and checked. Top-level keys come from Docker itself;
 * {@code -o} values arrive as strings under {@link Labels#GENERIC}.
 *
 * @param bridgeName the bridge's name, or empty to derive it from the network ID
 * @param generic    the {@code -o} options as given, kept for inspection and later use
 */
public record NetworkOptions(boolean enableIpv6, boolean internal, String bridgeName, int mtu, String mode,
                             String parent, String macvlanMode, Map<String, String> generic) {

    public static final int DEFAULT_MTU = 1500;
    static final Set<String> MODES = new java.util.TreeSet<>(Set.of("bridge", "macvlan"));
    static final Set<String> MACVLAN_MODES = new java.util.TreeSet<>(Set.of("bridge", "private", "vepa", "passthru"));
    private static final Set<String> JAVANET_KEYS = Set.of(Labels.MODE);

    /** Parses CreateNetwork's Options; every error names the option. */
    public static NetworkOptions parse(Map<String, Object> options) {
        Map<String, Object> top = options == null ? Map.of() : options;
        boolean ipv6 = bool(Labels.ENABLE_IPV6, top.get(Labels.ENABLE_IPV6));
        boolean internal = bool(Labels.INTERNAL, top.get(Labels.INTERNAL));
        Map<String, String> generic = generic(top.get(Labels.GENERIC));

        String bridgeName = "";
        if (generic.containsKey(Labels.BRIDGE_NAME)) {
            bridgeName = LinkNames.validate("-o " + Labels.BRIDGE_NAME, generic.get(Labels.BRIDGE_NAME));
        }
        int mtu = generic.containsKey(Labels.MTU) ? mtu(generic.get(Labels.MTU)) : DEFAULT_MTU;
        String mode = generic.getOrDefault(Labels.MODE, "bridge");
        if (!MODES.contains(mode)) {
            throw PluginException.invalid("-o %s: unknown mode \"%s\" (supported: %s)", Labels.MODE, mode,
                    String.join(", ", MODES));
        }
        String parent = "";
        String macvlanMode = "";
        if (mode.equals("macvlan")) {
            if (!generic.containsKey(Labels.PARENT)) {
                throw PluginException.invalid("-o %s: required with -o %s=macvlan (the host link the network sits on)",
                        Labels.PARENT, Labels.MODE);
            }
            parent = LinkNames.validate("-o " + Labels.PARENT, generic.get(Labels.PARENT));
            macvlanMode = generic.getOrDefault(Labels.MACVLAN_MODE, "bridge");
            if (!MACVLAN_MODES.contains(macvlanMode)) {
                throw PluginException.invalid("-o %s: unknown macvlan mode \"%s\" (supported: %s)", Labels.MACVLAN_MODE,
                        macvlanMode, String.join(", ", MACVLAN_MODES));
            }
        } else {
            for (String key : List.of(Labels.PARENT, Labels.MACVLAN_MODE)) {
                if (generic.containsKey(key)) {
                    throw PluginException.invalid("-o %s: only for -o %s=macvlan", key, Labels.MODE);
                }
            }
        }
        for (String key : generic.keySet()) {
            if (key.startsWith(Labels.JAVANET_PREFIX) && !JAVANET_KEYS.contains(key)) {
                throw PluginException.invalid("-o %s: unknown javanet option (known: %s)", key,
                        String.join(", ", JAVANET_KEYS));
            }
        }
        return new NetworkOptions(ipv6, internal, bridgeName, mtu, mode, parent, macvlanMode, generic);
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
