package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One message read from the kernel: its nlmsghdr fields and its payload (family header and attributes). */
public record NlReply(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /** Splits a datagram into its messages. */
    public static List<NlReply> parseAll(ByteBuffer datagram) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NlReply> replies = new ArrayList<>();
        while (in.remaining() >= Nlmsg.NLMSG_HDRLEN) {
            int start = in.position();
            int length = in.getInt();
            if (length < Nlmsg.NLMSG_HDRLEN || length > in.remaining() + 4) {
                throw new IllegalArgumentException("truncated netlink message: length " + length + ", "
                        + (in.remaining() + 4) + " bytes left");
            }
            int type = Short.toUnsignedInt(in.getShort());
            int flags = Short.toUnsignedInt(in.getShort());
            int seq = in.getInt();
            int pid = in.getInt();
            ByteBuffer payload = in.slice(start + Nlmsg.NLMSG_HDRLEN, length - Nlmsg.NLMSG_HDRLEN)
                    .order(ByteOrder.nativeOrder());
            replies.add(new NlReply(type, flags, seq, pid, payload));
            in.position(Math.min(in.limit(), start + Nlmsg.align(length)));
        }
        return replies;
    }

    /** The negative errno of an NLMSG_ERROR (0 for an ack). */
    public int error() {
        return payload.getInt(0);
    }

    /** The kernel's extended ack text (NLMSGERR_ATTR_MSG), or empty. */
    public String extAckMessage() {
        if ((flags & Nlmsg.NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        // struct nlmsgerr: error, then the request's header (and its payload, unless the ack was capped).
        int requestLength = (flags & Nlmsg.NLM_F_CAPPED) != 0 ? Nlmsg.NLMSG_HDRLEN : payload.getInt(4);
        int tlvStart = 4 + Nlmsg.align(requestLength);
        if (tlvStart >= payload.limit()) {
            return "";
        }
        ByteBuffer message = attributes(payload.slice(tlvStart, payload.limit() - tlvStart)).get(Nlmsg.NLMSGERR_ATTR_MSG);
        return message == null ? "" : string(message);
    }

    /** The attributes after a family header of {@code headerSize} bytes; the last of a type wins. */
    public Map<Integer, ByteBuffer> attributes(int headerSize) {
        return attributes(payload.slice(Nlmsg.align(headerSize), payload.limit() - Nlmsg.align(headerSize)));
    }

    /** Parses a run of attributes, e.g. the contents of a nested one. */
    public static Map<Integer, ByteBuffer> attributes(ByteBuffer run) {
        ByteBuffer in = run.duplicate().order(ByteOrder.nativeOrder());
        Map<Integer, ByteBuffer> attrs = new HashMap<>();
        while (in.remaining() >= 4) {
            int start = in.position();
            int length = Short.toUnsignedInt(in.getShort());
            int type = Short.toUnsignedInt(in.getShort()) & Nlmsg.NLA_TYPE_MASK;
            if (length < 4 || start + length > in.limit()) {
                break;
            }
            attrs.put(type, in.slice(start + 4, length - 4).order(ByteOrder.nativeOrder()));
            in.position(Math.min(in.limit(), start + Nlmsg.align(length)));
        }
        return attrs;
    }

    /** A NUL-terminated string attribute. */
    public static String string(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }
}
