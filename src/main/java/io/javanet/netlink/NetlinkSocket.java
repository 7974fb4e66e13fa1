package io.javanet.netlink;

import io.javanet.kernel.Errno;
import io.javanet.sys.NetlinkFd;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A NETLINK_ROUTE or NETLINK_GENERIC socket. One request at a time: each gets the next sequence number, and replies are matched to
 * it by sequence number and port; acks and errors end a request, NLMSG_DONE ends a dump, and a dump the kernel
 * marks interrupted (NLM_F_DUMP_INTR) is run again. Receives time out after 10 s rather than hang.
 */
public final class NetlinkSocket implements AutoCloseable {

    private static final int DUMP_ATTEMPTS = 5;

    private final NetlinkFd fd;
    private final int port;
    private final byte[] buffer = new byte[256 * 1024];
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    private boolean closed;
    private long roundTrips;

    private NetlinkSocket(NetlinkFd fd) {
        this.fd = fd;
        this.port = fd.port();
    }

    /** Opens a socket in the calling thread's network namespace, asking for extended acks without the request. */
    public static NetlinkSocket open() {
        return open(Nlmsg.NETLINK_ROUTE);
    }

    /** As {@link #open()}, for another netlink protocol, e.g. {@link Genl#NETLINK_GENERIC}. */
    public static NetlinkSocket open(int protocol) {
        return new NetlinkSocket(NetlinkFd.open(protocol,
                new int[] {Nlmsg.SOL_NETLINK, Nlmsg.NETLINK_EXT_ACK}, new int[] {Nlmsg.SOL_NETLINK, Nlmsg.NETLINK_CAP_ACK}));
    }

    /**
     * Sends {@code request} and returns the kernel's answers: none for an acknowledged change, one for a get,
     * all of them for a dump. A refusal is thrown as a {@link NetlinkException} naming the operation.
     */
    public synchronized List<NlReply> execute(NlRequest request) {
        requireOpen();
        for (int attempt = 1; ; attempt++) {
            int mySeq = ++seq;
            roundTrips++;
            fd.send(request.operation(), request.pack(mySeq, port));
            Result result = receive(request, mySeq);
            if (!result.interrupted() || attempt == DUMP_ATTEMPTS) {
                return result.replies();
            }
        }
    }

    /** The index of the link named {@code name} in the socket's namespace; see {@link NetlinkFd#linkIndex}. */
    public synchronized int linkIndex(String name) {
        requireOpen();
        return fd.linkIndex(name);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    private record Result(List<NlReply> replies, boolean interrupted) {
    }

    private Result receive(NlRequest request, int mySeq) {
        List<NlReply> replies = new ArrayList<>();
        boolean interrupted = false;
        while (true) {
            long n = fd.receive(request.operation(), buffer);
            if (n > buffer.length) {
                throw new NetlinkException(request.operation(), Errno.EMSGSIZE, "answer of " + n + " bytes was truncated");
            }
            for (NlReply reply : NlReply.parseAll(ByteBuffer.wrap(Arrays.copyOf(buffer, (int) n)))) {
                if (reply.seq() != mySeq || reply.pid() != port) {
                    continue;
                }
                interrupted |= (reply.flags() & Nlmsg.NLM_F_DUMP_INTR) != 0;
                switch (reply.type()) {
                    case Nlmsg.NLMSG_ERROR -> {
                        if (reply.error() != 0) {
                            throw new NetlinkException(request.operation(), new Errno(-reply.error()), reply.extAckMessage());
                        }
                        return new Result(replies, interrupted);
                    }
                    case Nlmsg.NLMSG_DONE -> {
                        int error = reply.payload().remaining() >= 4 ? reply.payload().getInt(0) : 0;
                        if (error < 0) {
                            throw new NetlinkException(request.operation(), new Errno(-error), "");
                        }
                        return new Result(replies, interrupted);
                    }
                    case Nlmsg.NLMSG_NOOP, Nlmsg.NLMSG_OVERRUN -> {
                    }
                    default -> {
                        replies.add(reply);
                        if (!request.isDump() && (reply.flags() & Nlmsg.NLM_F_MULTI) == 0
                                && (request.flags() & Nlmsg.NLM_F_ACK) == 0) {
                            return new Result(replies, interrupted);
                        }
                    }
                }
            }
        }
    }

    /** Requests sent so far (a retried dump counts again): what a kernel operation costs, for tests and metrics. */
    public synchronized long roundTrips() {
        return roundTrips;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            fd.close();
        }
    }

}
