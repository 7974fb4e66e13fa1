package io.javanet.api;

import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.PluginStatus;

/** The plugin's own read-only endpoints, beside Docker's protocol: what it holds and whether the host agrees. */
public interface StatusApi {

    PluginStatus status();

    Diagnosis diagnose();
}
