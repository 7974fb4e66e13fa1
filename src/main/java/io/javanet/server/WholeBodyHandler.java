package io.javanet.server;

import io.javanet.api.ErrorResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpHeader;
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
    private final PluginJsonMapper json = new PluginJsonMapper();

    WholeBodyHandler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (request.getLength() > maxBytes) {
            refuse(response, callback, "request body is larger than " + maxBytes + " bytes");
            return true;
        }
        CompletableFuture<ByteBuffer> whole = Content.Source.asByteBufferAsync(request, maxBytes);
        BiConsumer<ByteBuffer, Throwable> call = (body, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                refuse(response, callback, "request body not received whole (at most " + maxBytes + " bytes): "
                        + cause.getMessage());
                return;
            }
            try {
                if (!super.handle(new WholeBody(request, body), response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        };
        if (whole.isDone()) {
            // Docker writes a call's body with its headers, so it is usually whole at once. This thread may block:
            // it runs the call itself rather than hand it to another.
            whole.whenComplete(call);
        } else {
            // Completed by whichever thread reads the body's last bytes, maybe the selector's, which must not block.
            whole.whenCompleteAsync(call, getServer().getThreadPool());
        }
        return true;
    }

    /** Answers in the protocol's error form, as the calls' own failures are. */
    private void refuse(Response response, Callback callback, String message) {
        response.setStatus(500);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PluginRoutes.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(json.toJsonString(new ErrorResponse(message), ErrorResponse.class)
                .getBytes(StandardCharsets.UTF_8)), callback);
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
