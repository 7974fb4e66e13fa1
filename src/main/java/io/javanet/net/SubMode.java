package io.javanet.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The mode of a macvlan ({@code -o macvlan_mode=…}) or ipvlan ({@code -o ipvlan_mode=…}) network's
 * sub-interfaces; {@link #NONE} for the modes that have none.
 */
public enum SubMode {
    NONE(null, ""),
    BRIDGE(Mode.MACVLAN, "bridge"),
    PRIVATE(Mode.MACVLAN, "private"),
    VEPA(Mode.MACVLAN, "vepa"),
    PASSTHRU(Mode.MACVLAN, "passthru"),
    L2(Mode.IPVLAN, "l2"),
    L3(Mode.IPVLAN, "l3");

    private final Mode mode;
    private final String wireName;

    SubMode(Mode mode, String wireName) {
        this.mode = mode;
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The sub-modes a mode has, the first its default; none for bridge and routed networks. */
    public static List<SubMode> of(Mode mode) {
        return Arrays.stream(values()).filter(s -> s.mode == mode).toList();
    }

    public static Optional<SubMode> parse(Mode mode, String name) {
        return of(mode).stream().filter(s -> s.wireName.equals(name)).findFirst();
    }

    /** As the store reads it: the wire name, empty for none. */
    @JsonCreator
    static SubMode fromJson(String name) {
        return name == null ? NONE : Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown sub-mode " + name));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
