package io.javanet.firewall.sys;

import com.sun.jna.Pointer;
import io.javanet.firewall.FirewallException;
import io.javanet.netlink.sys.Netns;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs nft commands through libnftables, never by forking {@code nft}. A buffer of several commands is one
 * transaction: all apply or none. Output is JSON with rule handles. Calls are serialised (an nft context is not
 * thread-safe). For a namespace given by path, each call runs on a thread inside it with a context of its own.
 */
public final class Nftables implements AutoCloseable {

    private static final Libnftables NFT = Libnftables.INSTANCE;

    private final Optional<Path> namespace;
    private Pointer hostContext;

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
                Pointer ctx = newContext();
                try {
                    return run(ctx, purpose, commands);
                } finally {
                    NFT.nft_ctx_free(ctx);
                }
            });
        }
        if (hostContext == null) {
            hostContext = newContext();
        }
        return run(hostContext, purpose, commands);
    }

    private static Pointer newContext() {
        Pointer ctx = NFT.nft_ctx_new(Libnftables.NFT_CTX_DEFAULT);
        if (ctx == null) {
            throw new FirewallException("libnftables: cannot create a context");
        }
        NFT.nft_ctx_output_set_flags(ctx, Libnftables.NFT_CTX_OUTPUT_JSON | Libnftables.NFT_CTX_OUTPUT_HANDLE);
        NFT.nft_ctx_buffer_output(ctx);
        NFT.nft_ctx_buffer_error(ctx);
        return ctx;
    }

    private static String run(Pointer ctx, String purpose, String commands) {
        int rc = NFT.nft_run_cmd_from_buffer(ctx, commands);
        String output = NFT.nft_ctx_get_output_buffer(ctx);
        String error = NFT.nft_ctx_get_error_buffer(ctx);
        if (rc != 0) {
            throw new FirewallException(purpose + ": nft refused \"" + commands.strip() + "\": "
                    + (error == null ? "" : error.strip()));
        }
        return output == null ? "" : output;
    }

    @Override
    public synchronized void close() {
        if (hostContext != null) {
            NFT.nft_ctx_free(hostContext);
            hostContext = null;
        }
    }
}
