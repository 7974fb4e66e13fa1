package io.javanet.api;

import io.javanet.api.status.PluginStatus;

/** The plugin's own read-only endpoint, beside Docker's protocol: what it holds, for {@code docker javanet}. */
public interface StatusApi {

    PluginStatus status();
}
