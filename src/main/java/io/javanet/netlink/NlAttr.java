package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A netlink attribute (struct rtattr / nlattr): a type and either a value or nested attributes, optionally
 * after a fixed header (as VETH_INFO_PEER carries an ifinfomsg). Lengths and the 4-byte padding are worked out
 * only in {@link #pack}.
 */
public final class NlAttr {

    private final int type;
    private final byte[] value;
    private final List<NlAttr> children;

    private NlAttr(int type, byte[] value, List<NlAttr> children) {
        this.type = type;
        this.value = value;
        this.children = children;
    }

    public static NlAttr bytes(int type, byte[] value) {
        return new NlAttr(type, value.clone(), List.of());
    }

    public static NlAttr u32(int type, int value) {
        return new NlAttr(type, native4(value), List.of());
    }

    public static NlAttr u16(int type, int value) {
        return new NlAttr(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array(), List.of());
    }

    public static NlAttr u64(int type, long value) {
        return new NlAttr(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array(), List.of());
    }

    /** A NUL-terminated string, as IFLA_IFNAME and IFLA_INFO_KIND are. */
    public static NlAttr string(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[text.length + 1];
        System.arraycopy(text, 0, withNul, 0, text.length);
        return new NlAttr(type, withNul, List.of());
    }

    /** Attributes inside an attribute, flagged {@code NLA_F_NESTED} as the kernel's strict parsing wants. */
    public static NlAttr nested(int type, NlAttr... children) {
        return new NlAttr(type | Nlmsg.NLA_F_NESTED, new byte[0], List.of(children));
    }

    /**
     * Nested attributes without {@code NLA_F_NESTED}, as tc(8) sends TCA_OPTIONS and the nests inside it: the
     * kernel reads traffic control's attributes without strict checks, and we send the bytes tc sends.
     */
    public static NlAttr nestedUnflagged(int type, NlAttr... children) {
        return new NlAttr(type, new byte[0], List.of(children));
    }

    /**
     * Nested attributes that follow a fixed header inside the attribute (VETH_INFO_PEER's ifinfomsg); not
     * flagged, since what it holds is a struct first, as the kernel's policy for it says.
     */
    public static NlAttr nested(int type, byte[] header, NlAttr... children) {
        return new NlAttr(type, header.clone(), List.of(children));
    }

    /** rta_len: unpadded for a value; for a nest, everything up to the end of its padded last child. */
    int length() {
        if (children.isEmpty()) {
            return 4 + value.length;
        }
        int length = Nlmsg.align(4 + value.length);
        for (NlAttr child : children) {
            length += Nlmsg.align(child.length());
        }
        return length;
    }

    void pack(ByteBuffer out) {
        int start = out.position();
        out.putShort((short) length());
        out.putShort((short) type);
        out.put(value);
        for (NlAttr child : children) {
            pad(out, start);
            child.pack(out);
        }
        pad(out, start);
    }

    private static void pad(ByteBuffer out, int start) {
        while ((out.position() - start) % 4 != 0) {
            out.put((byte) 0);
        }
    }

    private static byte[] native4(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
