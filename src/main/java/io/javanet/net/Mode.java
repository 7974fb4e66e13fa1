package io.javanet.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A network's mode, {@code -o javanet.mode=…}: what javanet makes on the host for its containers. */
public enum Mode {
    /** A Linux bridge with a veth pair per container. */
    BRIDGE(Scope.LOCAL),
    /** No bridge: a veth pair per container, routed by the host with a link-local gateway. */
    ROUTED(Scope.LOCAL),
    /** A macvlan sub-interface of a parent link per container, on the parent's own network. */
    MACVLAN(Scope.LOCAL),
    /** An ipvlan sub-interface of a parent link per container (layer 2 or 3), sharing the parent's MAC. */
    IPVLAN(Scope.LOCAL),
    /** Across a swarm: on each node a VXLAN device, each container a macvlan of it (global scope only). */
    OVERLAY(Scope.GLOBAL),
    /** A veth pair per container on a bridge the user made and keeps. */
    ATTACH(Scope.LOCAL);

    private final Scope scope;

    Mode(Scope scope) {
        this.scope = scope;
    }

    /** The install that makes networks of this mode: a local-scope one, or the global-scope one of a swarm. */
    public Scope scope() {
        return scope;
    }

    /** The mode of a network made without {@code -o javanet.mode}: the first of the install's scope. */
    public static Mode defaultFor(Scope scope) {
        return Arrays.stream(values()).filter(m -> m.scope == scope).findFirst().orElseThrow();
    }

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
