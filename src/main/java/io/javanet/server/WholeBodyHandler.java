package io.javanet.server;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Hands a call to the handlers behind it, and to a thread, only once its body is whole: the body is read as it
 * arrives, with no thread waiting for it. A client that stops half-way holds a connection, not a thread, until
 * the connection's idle timeout fails the read and closes it; so such clients cannot starve Docker's calls.
 */
final class WholeBodyHandler extends Handler.Wrapper {

    private final int maxBytes;

    WholeBodyHandler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Executor threads = getServer().getThreadPool();
        Content.Source.asByteBufferAsync(request, maxBytes).whenCompleteAsync((body, failure) -> {
            if (failure != null) {
                Response.writeError(request, response, callback, failure);
                return;
            }
            try {
                if (!super.handle(new WholeBody(request, body), response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }, threads);
        return true;
    }

    /** The request, with its body already read. */
    private static final class WholeBody extends Request.Wrapper {
        private Content.Chunk body;

        WholeBody(Request request, ByteBuffer body) {
            super(request);
            this.body = Content.Chunk.from(body, true);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = body;
            body = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}
