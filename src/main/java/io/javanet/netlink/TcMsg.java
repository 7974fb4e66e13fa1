package io.javanet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct tcmsg of include/uapi/linux/rtnetlink.h: a qdisc or filter of link {@code index}, by handle, under
 * {@code parent}; a filter's {@code info} is TC_H_MAKE(priority &lt;&lt; 16, protocol in network order).
 */
public record TcMsg(int index, int handle, int parent, int info) {

    public static final int SIZE = Tca.TCMSG_SIZE;

    public byte[] pack() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder())
                .put((byte) Rtnl.AF_UNSPEC).put((byte) 0).putShort((short) 0)
                .putInt(index).putInt(handle).putInt(parent).putInt(info).array();
    }

    public static TcMsg parse(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        in.position(4);
        return new TcMsg(in.getInt(), in.getInt(), in.getInt(), in.getInt());
    }
}
