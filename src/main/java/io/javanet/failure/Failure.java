package io.javanet.failure;

import java.util.Map;

/**
 * An exception that says what kind of failure it is, so that the server answers, logs and counts it without
 * knowing the package it came from. Its message is what Docker shows the user.
 */
public interface Failure {

    FailureKind kind();

    /** Facts to count the failure by, e.g. the kernel's errno; none by default. */
    default Map<String, String> labels() {
        return Map.of();
    }
}
