package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** struct ifinfomsg of include/uapi/linux/rtnetlink.h. */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {

    public static final int SIZE = Ifla.IFINFOMSG_SIZE;

    /** A header that names no link (it is named by IFLA_IFNAME) and changes no flag. */
    public static IfInfoMsg none() {
        return new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, 0, 0);
    }

    public byte[] pack() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                .put((byte) family).put((byte) 0).putShort((short) type)
                .putInt(index).putInt(flags).putInt(change).array();
    }

    public static IfInfoMsg parse(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        int family = Byte.toUnsignedInt(in.get());
        in.get();
        return new IfInfoMsg(family, Short.toUnsignedInt(in.getShort()), in.getInt(), in.getInt(), in.getInt());
    }
}
