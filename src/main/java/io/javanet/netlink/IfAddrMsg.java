package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct ifaddrmsg of include/uapi/linux/if_addr.h. */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {

    public static final int SIZE = Ifa.IFADDRMSG_SIZE;

    public byte[] pack() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                .put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope)
                .putInt(index).array();
    }

    public static IfAddrMsg parse(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        return new IfAddrMsg(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                Byte.toUnsignedInt(in.get()), in.getInt());
    }
}
