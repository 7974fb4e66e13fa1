package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct rtmsg of include/uapi/linux/rtnetlink.h. */
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type,
                    int flags) {

    public static final int SIZE = 12;

    public byte[] pack() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                .put((byte) family).put((byte) dstLength).put((byte) srcLength).put((byte) tos)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type)
                .putInt(flags).array();
    }

    public static RtMsg parse(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        return new RtMsg(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), in.getInt());
    }
}
