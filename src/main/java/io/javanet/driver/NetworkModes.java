package io.javanet.driver;

import io.javanet.net.Mode;
import io.javanet.store.NetworkRecord;
import java.util.EnumMap;
import java.util.Map;

/** The one {@link NetworkMode} of each {@link Mode}, sharing the host. */
public final class NetworkModes {

    private final Map<Mode, NetworkMode> modes;

    /** @param modes one for every {@link Mode} */
    public NetworkModes(Map<Mode, NetworkMode> modes) {
        this.modes = new EnumMap<>(modes);
        for (Mode mode : Mode.values()) {
            if (!this.modes.containsKey(mode)) {
                throw new IllegalArgumentException("no network mode for " + mode);
            }
        }
    }

    NetworkMode of(Mode mode) {
        return modes.get(mode);
    }

    NetworkMode of(NetworkRecord network) {
        return of(network.mode());
    }
}
