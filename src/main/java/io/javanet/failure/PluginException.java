package io.javanet.failure;


/**
 * A failure of the request to report to Docker as {@code {"Err": message}}. The kind classifies it for logs and
 * metrics, as libnetwork's errdefs do; the message must name the offending field or object.
 */
public class PluginException extends RuntimeException implements Failure {

    private final FailureKind kind;

    public PluginException(FailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    @Override
    public FailureKind kind() {
        return kind;
    }

    public static PluginException invalid(String format, Object... args) {
        return new PluginException(FailureKind.INVALID, String.format(format, args));
    }

    public static PluginException notFound(String format, Object... args) {
        return new PluginException(FailureKind.NOT_FOUND, String.format(format, args));
    }

    public static PluginException conflict(String format, Object... args) {
        return new PluginException(FailureKind.CONFLICT, String.format(format, args));
    }

    public static PluginException exhausted(String format, Object... args) {
        return new PluginException(FailureKind.EXHAUSTED, String.format(format, args));
    }
}
