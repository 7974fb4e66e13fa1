package io.javanet.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A network's mode, {@code -o javanet.mode=…}: what javanet makes on the host for its containers. */
public enum Mode {
    /** A Linux bridge with a veth pair per container. */
    BRIDGE,
    /** No bridge: a veth pair per container, routed by the host with a link-local gateway. */
    ROUTED,
    /** A macvlan sub-interface of a parent link per container, on the parent's own network. */
    MACVLAN,
    /** An ipvlan sub-interface of a parent link per container (layer 2 or 3), sharing the parent's MAC. */
    IPVLAN,
    /** Across a swarm: on each node a VXLAN device, each container a macvlan of it (global scope only). */
    OVERLAY,
    /** A veth pair per container on a bridge the user made and keeps. */
    ATTACH;

    /** The name users write and the store keeps: {@code bridge}, {@code routed}, … */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Mode> parse(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }

    /** As the store reads it; records written before modes existed are bridge networks. */
    @JsonCreator
    static Mode fromJson(String name) {
        return name == null ? BRIDGE : parse(name).orElseThrow(() -> new IllegalArgumentException("unknown mode " + name));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
