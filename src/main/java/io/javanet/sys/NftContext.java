package io.javanet.sys;

import com.sun.jna.Pointer;

/**
 * A libnftables context with JSON output that names rule handles, output and errors buffered: one nft command
 * buffer per {@link #run}, applied as one transaction. Not thread-safe, as libnftables' contexts are not.
 */
public final class NftContext implements AutoCloseable {

    private static final Libnftables NFT = Libnftables.INSTANCE;

    /** What nft said: its return code, its output (JSON) and its error text. */
    public record Result(int rc, String output, String error) {
    }

    private final Pointer ctx;

    private NftContext(Pointer ctx) {
        this.ctx = ctx;
    }

    /** A new context in the calling thread's network namespace; empty when libnftables cannot make one. */
    public static java.util.Optional<NftContext> open() {
        Pointer ctx = NFT.nft_ctx_new(Libnftables.NFT_CTX_DEFAULT);
        if (ctx == null) {
            return java.util.Optional.empty();
        }
        NFT.nft_ctx_output_set_flags(ctx, Libnftables.NFT_CTX_OUTPUT_JSON | Libnftables.NFT_CTX_OUTPUT_HANDLE);
        NFT.nft_ctx_buffer_output(ctx);
        NFT.nft_ctx_buffer_error(ctx);
        return java.util.Optional.of(new NftContext(ctx));
    }

    public Result run(String commands) {
        int rc = NFT.nft_run_cmd_from_buffer(ctx, commands);
        String output = NFT.nft_ctx_get_output_buffer(ctx);
        String error = NFT.nft_ctx_get_error_buffer(ctx);
        return new Result(rc, output == null ? "" : output, error == null ? "" : error);
    }

    @Override
    public void close() {
        NFT.nft_ctx_free(ctx);
    }
}
