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
 * {@code -o} values arrive as strings under {@link Labels#GENERIC}. Here are those every mode takes; each mode
 * parses its own ({@link NetworkMode#optionKeys}), into its part of the record.
 *
 * @param mode    the network's mode
 * @param section the mode's options, as its part of the network record ({@link NetworkMode#parseOptions})
 * @param generic the {@code -o} options as given, kept for inspection and later use
 */
public record NetworkOptions(boolean enableIpv6, boolean internal, int mtu, Mode mode, Map<String, String> section,
                             Map<String, String> generic) {

    public static final int DEFAULT_MTU = 1500;
    /** The javanet keys every mode takes; the others are their modes'. */
    private static final Set<String> SHARED_JAVANET_KEYS = Set.of(Labels.MODE, Labels.ALLOW_HOST_SUBNET);
    /** The keys of Docker's namespace every mode takes. */
    private static final Set<String> SHARED_DOCKER_KEYS = Set.of(Labels.MTU, Labels.CONTAINER_IFACE_PREFIX);

    /**
     * Parses CreateNetwork's Options; every error names the option. An install makes the modes of its scope only
     * ({@link Mode#scope}). An option of another mode than the network's is refused.
     */
    static NetworkOptions parse(Map<String, Object> options, Scope scope, NetworkModes modes, Set<String> featureKeys) {
        Map<String, Object> top = options == null ? Map.of() : options;
        boolean ipv6 = bool(Labels.ENABLE_IPV6, top.get(Labels.ENABLE_IPV6));
        boolean internal = bool(Labels.INTERNAL, top.get(Labels.INTERNAL));
        Map<String, String> generic = generic(top.get(Labels.GENERIC));

        String modeName = generic.getOrDefault(Labels.MODE, Mode.defaultFor(scope).wireName());
        Mode mode = Mode.parse(modeName).orElseThrow(() -> PluginException.invalid(
                "-o %s: unknown mode \"%s\" (supported: %s)", Labels.MODE, modeName,
                String.join(", ", new TreeSet<>(Arrays.stream(Mode.values()).map(Mode::wireName).toList()))));
        if (mode.scope() != scope) {
            throw PluginException.invalid(scope == Scope.GLOBAL
                    ? "-o %s=%s: this javanet install is global-scope and makes %s networks only; use the local one"
                    : "-o %s=%s: %s networks need javanet's global-scope install (JAVANET_SCOPE=global)",
                    Labels.MODE, mode, scope == Scope.GLOBAL ? Mode.defaultFor(Scope.GLOBAL) : mode);
        }
        refuseOtherModesKeys(generic, mode, modes, featureKeys);
        flag(generic, Labels.ALLOW_HOST_SUBNET);
        if (generic.containsKey(Labels.CONTAINER_IFACE_PREFIX)) {
            interfacePrefix(generic.get(Labels.CONTAINER_IFACE_PREFIX));
        }
        int mtu = generic.containsKey(Labels.MTU) ? mtu(generic.get(Labels.MTU)) : DEFAULT_MTU;
        return new NetworkOptions(ipv6, internal, mtu, mode, modes.of(mode).parseOptions(generic), generic);
    }

    /**
     * A key another mode takes is refused, naming the modes that take it; an unknown key of javanet's or of
     * Docker's namespace too: the latter is an option of Docker's own drivers that no mode of ours honours.
     */
    private static void refuseOtherModesKeys(Map<String, String> generic, Mode mode, NetworkModes modes,
                                             Set<String> featureKeys) {
        Set<String> known = new TreeSet<>(SHARED_JAVANET_KEYS);
        known.addAll(featureKeys);
        Set<String> dockerKnown = new TreeSet<>(SHARED_DOCKER_KEYS);
        for (String key : generic.keySet()) {
            List<Mode> takers = Arrays.stream(Mode.values()).filter(m -> modes.of(m).optionKeys().contains(key)).toList();
            if (!takers.isEmpty() && !takers.contains(mode)) {
                throw PluginException.invalid("-o %s: only for -o %s=%s, not %s", key, Labels.MODE,
                        String.join(" or ", takers.stream().map(Mode::wireName).toList()), mode);
            }
        }
        Arrays.stream(Mode.values()).flatMap(m -> modes.of(m).optionKeys().stream())
                .forEach(k -> (k.startsWith(Labels.JAVANET_PREFIX) ? known : dockerKnown).add(k));
        for (String key : generic.keySet()) {
            if (key.startsWith(Labels.JAVANET_PREFIX) && !known.contains(key)) {
                throw PluginException.invalid("-o %s: unknown javanet option (known: %s)", key, String.join(", ", known));
            }
            if (key.startsWith(Labels.DOCKER_PREFIX) && !dockerKnown.contains(key)) {
                throw PluginException.invalid("-o %s: an option of Docker's own drivers that javanet does not implement"
                        + " (of Docker's options it takes: %s)", key, String.join(", ", dockerKnown.stream()
                        .filter(k -> k.startsWith(Labels.DOCKER_PREFIX)).toList()));
            }
        }
    }

    /** {@code -o com.docker.network.container_iface_prefix}: a link name that a number can follow. */
    private static void interfacePrefix(String value) {
        LinkNames.validate("-o " + Labels.CONTAINER_IFACE_PREFIX, value);
        if (value.length() > 12) {
            throw PluginException.invalid("-o %s: \"%s\" leaves no room for the number Docker puts after it (12 bytes at most)",
                    Labels.CONTAINER_IFACE_PREFIX, value);
        }
    }

    /** Whether the user allowed a subnet holding the host's own addresses ({@link HostSubnets}). */
    public boolean allowHostSubnet() {
        return flag(generic, Labels.ALLOW_HOST_SUBNET);
    }

    /** The sub-mode asked for with {@code key}, else the mode's default (its first). */
    public static SubMode subMode(Map<String, String> generic, String key, Mode mode) {
        List<SubMode> known = SubMode.of(mode);
        String value = generic.getOrDefault(key, known.get(0).wireName());
        return SubMode.parse(mode, value).orElseThrow(() -> PluginException.invalid(
                "-o %s: unknown mode \"%s\" (supported: %s)", key, value,
                String.join(", ", new TreeSet<>(known.stream().map(SubMode::wireName).toList()))));
    }

    /**
     * One of Docker's boolean {@code -o} options, read as Docker reads it (Go's strconv.ParseBool), {@code absent}
     * when not given.
     */
    public static boolean dockerFlag(Map<String, String> generic, String key, boolean absent) {
        String value = generic.get(key);
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw PluginException.invalid("-o %s: expected true or false, got \"%s\"", key, value);
        };
    }

    /** An {@code -o} option that is true or false, false when absent. */
    public static boolean flag(Map<String, String> generic, String key) {
        String value = generic.getOrDefault(key, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw PluginException.invalid("-o %s: expected true or false, got \"%s\"", key, value);
        }
        return value.equals("true");
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
        return number(Labels.MTU, value, 68, 65535, "an MTU");
    }

    /** The {@code -o key} option's whole number from {@code min} to {@code max}, refused as not {@code what} else. */
    public static int number(String key, String value, int min, int max, String what) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw PluginException.invalid("-o %s: \"%s\" is not %s (%d to %d)", key, value, what, min, max);
    }

    /** The {@code -o parent} link a mode requires, {@code what} saying what it is for. */
    public static String requiredParent(Map<String, String> generic, Mode mode, String what) {
        if (!generic.containsKey(Labels.PARENT)) {
            throw PluginException.invalid("-o %s: required with -o %s=%s (%s)", Labels.PARENT, Labels.MODE, mode, what);
        }
        return LinkNames.validate("-o " + Labels.PARENT, generic.get(Labels.PARENT));
    }
}
