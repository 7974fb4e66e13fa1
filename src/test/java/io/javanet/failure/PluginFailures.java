package io.javanet.failure;

/** Runs a call that must fail with a {@link PluginException}, and returns it for assertions. */
public final class PluginFailures {

    private PluginFailures() {
    }

    public static PluginException failure(Runnable call) {
        try {
            call.run();
        } catch (PluginException e) {
            return e;
        }
        throw new AssertionError("expected a PluginException, but the call succeeded");
    }
}
