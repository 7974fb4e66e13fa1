package io.javanet.api;

/**
 * A failure to report to Docker as {@code {"Err": message}}. The kind classifies it for logs and metrics,
 * as libnetwork's errdefs do; the message must name the offending field or object.
 */
public class PluginException extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, EXHAUSTED, INTERNAL }

    private final Kind kind;

    public PluginException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PluginException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static PluginException invalid(String format, Object... args) {
        return new PluginException(Kind.INVALID, String.format(format, args));
    }

    public static PluginException notFound(String format, Object... args) {
        return new PluginException(Kind.NOT_FOUND, String.format(format, args));
    }

    public static PluginException conflict(String format, Object... args) {
        return new PluginException(Kind.CONFLICT, String.format(format, args));
    }

    public static PluginException exhausted(String format, Object... args) {
        return new PluginException(Kind.EXHAUSTED, String.format(format, args));
    }
}
