package io.javanet.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a javanet install's networks live: on this host ({@code local}: bridge, routed, macvlan, ipvlan), or
 * across a swarm ({@code global}: overlay). One install has one scope, which it reports to Docker.
 */
public enum Scope {
    LOCAL, GLOBAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName();
    }
}
