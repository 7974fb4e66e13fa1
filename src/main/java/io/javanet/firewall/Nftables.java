package io.javanet.firewall;

import io.javanet.sys.Netns;
import io.javanet.sys.NftContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs nft commands through libnftables, never by forking {@code nft}. A buffer of several commands is one
 * transaction: all apply or none. Output is JSON with rule handles. Calls are serialised (an nft context is not
 * thread-safe). For a namespace given by path, each call runs on a thread inside it with a context of its own.
 */
public final class Nftables implements AutoCloseable {

    private final Optional<Path> namespace;
    private NftContext hostContext;

    private Nftables(Optional<Path> namespace) {
        this.namespace = namespace;
    }

    /** For the namespace javanet runs in. */
    public static Nftables open() {
        return new Nftables(Optional.empty());
    }

    /** For the namespace at {@code path}. */
    public static Nftables openIn(Path path) {
        return new Nftables(Optional.of(path));
    }

    /** Runs {@code commands} as one transaction and returns nft's JSON output (empty for changes). */
    public synchronized String run(String purpose, String commands) {
        if (namespace.isPresent()) {
            return Netns.call(namespace.get(), () -> {
                try (NftContext ctx = newContext()) {
                    return run(ctx, purpose, commands);
                }
            });
        }
        if (hostContext == null) {
            hostContext = newContext();
        }
        return run(hostContext, purpose, commands);
    }

    private static NftContext newContext() {
        return NftContext.open().orElseThrow(() -> new FirewallException("libnftables: cannot create a context"));
    }

    private static String run(NftContext ctx, String purpose, String commands) {
        NftContext.Result result = ctx.run(commands);
        if (result.rc() != 0) {
            throw new FirewallException(purpose + ": nft refused \"" + commands.strip() + "\": " + result.error().strip());
        }
        return result.output();
    }

    @Override
    public synchronized void close() {
        if (hostContext != null) {
            hostContext.close();
            hostContext = null;
        }
    }
}
