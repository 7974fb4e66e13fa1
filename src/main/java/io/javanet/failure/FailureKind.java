package io.javanet.failure;

import java.util.Locale;

/** What kind of failure ended a call, from the caller's point of view; names the outcome in logs and metrics. */
public enum FailureKind {
    /** The request is wrong: a field, an option, a value. */
    INVALID,
    /** The request names something that does not exist. */
    NOT_FOUND,
    /** The request clashes with what exists. */
    CONFLICT,
    /** A pool or a range has nothing left to give. */
    EXHAUSTED,
    /** The kernel refused an operation. */
    KERNEL,
    /** nftables refused a change. */
    FIREWALL,
    /** The state database failed. */
    STORE,
    /** A fault of ours. */
    INTERNAL;

    public String outcome() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the failure is worth its stack trace in the log: a fault of ours or of the database. */
    public boolean logsStack() {
        return this == STORE || this == INTERNAL;
    }
}
