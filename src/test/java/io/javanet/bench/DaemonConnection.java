package io.javanet.bench;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One kept-alive connection to the plugin socket, sending requests in the daemon's exact shape. */
final class DaemonConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);

    DaemonConnection(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** Sends one call and reads its whole reply; returns the reply's head and body as text. */
    String post(String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /" + path + " HTTP/1.1\r\nHost: \r\nContent-Length: " + bytes.length
                + "\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n";
        channel.write(new ByteBuffer[] {ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(bytes)});
        in.clear();
        while (true) {
            if (channel.read(in) < 0) {
                throw new IOException(path + ": the plugin closed the connection");
            }
            String text = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0 && in.position() >= end + 4
                    + Integer.parseInt(text.replaceAll("(?is).*content-length: *([0-9]+).*", "$1"))) {
                return text;
            }
        }
    }

    /** {@link #post}, failing unless the plugin answered 200. */
    void call(String path, String body) throws IOException {
        String reply = post(path, body);
        if (!reply.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException(path + ": " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
