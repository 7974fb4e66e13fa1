package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One request: a struct nlmsghdr, the family header (ifinfomsg, ifaddrmsg, rtmsg), then attributes. Netlink
 * speaks the host's byte order, so everything is packed in {@link ByteOrder#nativeOrder()}.
 *
 * @param operation what the request does, in iproute2's words, for error messages ("RTM_NEWLINK veth jnv1")
 */
public record NlRequest(String operation, int type, int flags, byte[] header, List<NlAttr> attrs) {

    public NlRequest {
        header = header.clone();
        attrs = List.copyOf(attrs);
    }

    public static NlRequest of(String operation, int type, int flags, byte[] header) {
        return new NlRequest(operation, type, flags, header, List.of());
    }

    /** This request with one more attribute. */
    public NlRequest with(NlAttr attr) {
        List<NlAttr> more = new ArrayList<>(attrs);
        more.add(attr);
        return new NlRequest(operation, type, flags, header, more);
    }

    public boolean isDump() {
        return (flags & Nlmsg.NLM_F_DUMP) == Nlmsg.NLM_F_DUMP;
    }

    /** The bytes to send, with NLM_F_REQUEST set. */
    public byte[] pack(int seq, int pid) {
        int length = Nlmsg.NLMSG_HDRLEN + Nlmsg.align(header.length);
        for (NlAttr attr : attrs) {
            length += Nlmsg.align(attr.length());
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        out.putInt(length);
        out.putShort((short) type);
        out.putShort((short) (flags | Nlmsg.NLM_F_REQUEST));
        out.putInt(seq);
        out.putInt(pid);
        out.put(header);
        out.position(Nlmsg.NLMSG_HDRLEN + Nlmsg.align(header.length));
        for (NlAttr attr : attrs) {
            attr.pack(out);
        }
        return out.array();
    }
}
