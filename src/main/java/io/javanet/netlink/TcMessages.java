package io.javanet.netlink;

import static io.javanet.netlink.Nlmsg.NLM_F_ACK;
import static io.javanet.netlink.Nlmsg.NLM_F_CREATE;
import static io.javanet.netlink.Nlmsg.NLM_F_DUMP;
import static io.javanet.netlink.Nlmsg.NLM_F_EXCL;
import static io.javanet.netlink.Nlmsg.NLM_F_REPLACE;
import static io.javanet.netlink.Tca.TCA_KIND;
import static io.javanet.netlink.Tca.TCA_OPTIONS;

import io.javanet.net.Rate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic control requests of bandwidth limits, byte for byte what iproute2's tc sends for the same command
 * (q_tbf.c, f_matchall.c, m_action.c, m_police.c, with tc_core.c's rate tables), and readers of the kernel's
 * answers. Pure functions of their arguments, checked against captures of tc without a kernel.
 */
public final class TcMessages {

    /** Our root qdisc's handle, 1:, so that a second egress limit changes the first in place. */
    public static final int TBF_HANDLE = Tca.tcHMake(1 << 16, 0);
    /** The ingress qdisc's handle, ffff:, as tc gives it. */
    public static final int INGRESS_HANDLE = 0xFFFF0000;
    /** Where {@code tc filter … ingress} puts a filter: TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS). */
    public static final int INGRESS_FILTERS = Tca.tcHMake(Tca.TC_H_CLSACT, Tca.TC_H_MIN_INGRESS);
    /** Our ingress filter's priority ({@code pref}) and handle. */
    public static final int POLICE_PRIORITY = 1;
    public static final int POLICE_HANDLE = 1;

    /** {@code latency 50ms}: how long a packet may wait in the TBF queue, which sizes the queue (its limit). */
    static final long LATENCY_MICROS = 50_000;
    /** The least TBF burst: ten full Ethernet frames of 1514 bytes, which also holds a 9000-byte jumbo frame. */
    static final long TBF_MIN_BURST = 15_140;
    /**
     * The least police burst. The police action counts a TSO/GRO packet (up to 64 KiB) whole and drops it whole, and
     * TCP through a small bucket settles far below the rate: on Debian's kernel under QEMU, 20 Mbit/s policed with
     * 128 KiB carried 7 Mbit/s, with 256 KiB 10, with 512 KiB 20.
     */
    static final long POLICE_MIN_BURST = 512 * 1024;
    /** The police {@code mtu}: a TSO/GRO packet larger than it would be dropped however slow the flow. */
    static final int POLICE_MTU = 128 * 1024;
    /** The most a police burst may take to send at its rate: the kernel counts it in 2^32 ticks, about 275 s. */
    private static final long POLICE_MAX_BURST_SECONDS = 100;

    /**
     * Ticks per microsecond of the kernel's packet scheduler clock (PSCHED_SHIFT 6: a tick is 64 ns), which tc
     * reads from /proc/net/psched as t2us/us2t = 1000/64.
     */
    private static final double TICKS_PER_MICROSECOND = 1000.0 / 64;
    private static final long UINT_MAX = 0xFFFFFFFFL;
    /** tc_calc_rtable's default when no mtu is given. */
    private static final int RTAB_DEFAULT_MTU = 2047;

    private TcMessages() {
    }

    /** The TBF burst for {@code rate}: 10 ms at that rate (at least rate/HZ on any kernel), at least ten frames. */
    public static long tbfBurst(Rate rate) {
        return Math.min(Math.max(rate.bytesPerSecond() / 100, TBF_MIN_BURST), UINT_MAX);
    }

    /**
     * The police burst for {@code rate}: 200 ms at that rate (as TCP needs to reach it), at least {@link
     * #POLICE_MIN_BURST}; a slow rate gets less, at most {@link #POLICE_MAX_BURST_SECONDS} at that rate, but never
     * less than {@link #POLICE_MTU}, or every TSO/GRO packet would be dropped.
     */
    public static long policeBurst(Rate rate) {
        long bytesPerSecond = rate.bytesPerSecond();
        long wanted = Math.max(bytesPerSecond / 5, POLICE_MIN_BURST);
        long burst = Math.max(Math.min(wanted, bytesPerSecond * POLICE_MAX_BURST_SECONDS), POLICE_MTU);
        return Math.min(burst, UINT_MAX);
    }

    /**
     * {@code tc qdisc replace dev INDEX root handle 1: tbf rate RATE burst BURST latency 50ms}: made, or changed in
     * place if our TBF is there already.
     */
    public static NlRequest limitEgress(int index, String name, Rate rate) {
        long rate64 = rate.bytesPerSecond();
        long rate32 = Math.min(rate64, UINT_MAX);
        long burst = tbfBurst(rate);
        int cellLog = cellLog(0);
        long limit = Math.min((long) (rate64 * (double) LATENCY_MICROS / 1_000_000 + burst), UINT_MAX);
        ByteBuffer qopt = buffer(Tca.TC_TBF_QOPT_SIZE);
        rateSpec(qopt, cellLog, rate32);
        qopt.position(2 * Tca.TC_RATESPEC_SIZE);
        qopt.putInt((int) limit).putInt((int) burstTicks(rate32, burst, rate)).putInt(0);
        NlRequest request = NlRequest.of("RTM_NEWQDISC " + name + " root tbf rate " + rate + " burst " + burst,
                        Rtnl.RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK,
                        new TcMsg(index, TBF_HANDLE, Tca.TC_H_ROOT, 0).pack())
                .with(NlAttr.string(TCA_KIND, "tbf"));
        NlAttr parms = NlAttr.bytes(Tca.TCA_TBF_PARMS, qopt.array());
        NlAttr rtab = NlAttr.bytes(Tca.TCA_TBF_RTAB, rateTable(rate32, cellLog));
        NlAttr options = rate64 > UINT_MAX
                ? NlAttr.nestedUnflagged(TCA_OPTIONS, parms, NlAttr.u32(Tca.TCA_TBF_BURST, (int) burst),
                        NlAttr.u64(Tca.TCA_TBF_RATE64, rate64), rtab)
                : NlAttr.nestedUnflagged(TCA_OPTIONS, parms, NlAttr.u32(Tca.TCA_TBF_BURST, (int) burst), rtab);
        return request.with(options);
    }

    /** {@code tc qdisc add dev INDEX ingress}: EEXIST if it is there. */
    public static NlRequest addIngress(int index, String name) {
        return NlRequest.of("RTM_NEWQDISC " + name + " ingress", Rtnl.RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
                        new TcMsg(index, INGRESS_HANDLE, Tca.TC_H_INGRESS, 0).pack())
                .with(NlAttr.string(TCA_KIND, "ingress"));
    }

    /**
     * {@code tc filter add dev INDEX ingress pref 1 handle 1 protocol all matchall action police rate RATE burst
     * BURST mtu 128kb drop}: what arrives faster than RATE is dropped.
     */
    public static NlRequest police(int index, String name, Rate rate) {
        long rate64 = rate.bytesPerSecond();
        long burst = policeBurst(rate);
        int cellLog = cellLog(POLICE_MTU);
        ByteBuffer police = buffer(Tca.TC_POLICE_SIZE);
        police.putInt(0).putInt(Tca.TC_ACT_SHOT).putInt(0).putInt((int) burstTicks(rate64, burst, rate)).putInt(POLICE_MTU);
        rateSpec(police, cellLog, Math.min(rate64, UINT_MAX));
        NlAttr tbf = NlAttr.bytes(Tca.TCA_POLICE_TBF, police.array());
        NlAttr rtab = NlAttr.bytes(Tca.TCA_POLICE_RATE, rateTable(rate64, cellLog));
        // m_action.c flags TCA_ACT_OPTIONS alone as nested.
        NlAttr options = rate64 > UINT_MAX
                ? NlAttr.nested(Tca.TCA_ACT_OPTIONS, tbf, rtab, NlAttr.u64(Tca.TCA_POLICE_RATE64, rate64))
                : NlAttr.nested(Tca.TCA_ACT_OPTIONS, tbf, rtab);
        NlAttr action = NlAttr.nestedUnflagged(1, NlAttr.string(Tca.TCA_ACT_KIND, "police"), options);
        return NlRequest.of("RTM_NEWTFILTER " + name + " ingress matchall police rate " + rate + " burst " + burst,
                        Rtnl.RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
                        new TcMsg(index, POLICE_HANDLE, INGRESS_FILTERS, filterInfo(Tca.ETH_P_ALL)).pack())
                .with(NlAttr.string(TCA_KIND, "matchall"))
                .with(NlAttr.nestedUnflagged(TCA_OPTIONS, NlAttr.nestedUnflagged(Tca.TCA_MATCHALL_ACT, action)));
    }

    /** {@code tc filter del dev INDEX ingress pref 1}: our filter, whatever its protocol and handle. */
    public static NlRequest deletePolice(int index, String name) {
        return NlRequest.of("RTM_DELTFILTER " + name + " ingress pref " + POLICE_PRIORITY, Rtnl.RTM_DELTFILTER, NLM_F_ACK,
                new TcMsg(index, 0, INGRESS_FILTERS, filterInfo(0)).pack());
    }

    /** {@code tc qdisc del dev INDEX root}: the link's default qdisc comes back. */
    public static NlRequest deleteRoot(int index, String name) {
        return NlRequest.of("RTM_DELQDISC " + name + " root", Rtnl.RTM_DELQDISC, NLM_F_ACK,
                new TcMsg(index, 0, Tca.TC_H_ROOT, 0).pack());
    }

    /** {@code tc qdisc del dev INDEX ingress}, its filters with it. */
    public static NlRequest deleteIngress(int index, String name) {
        return NlRequest.of("RTM_DELQDISC " + name + " ingress", Rtnl.RTM_DELQDISC, NLM_F_ACK,
                        new TcMsg(index, INGRESS_HANDLE, Tca.TC_H_INGRESS, 0).pack())
                .with(NlAttr.string(TCA_KIND, "ingress"));
    }

    /** {@code tc qdisc show dev INDEX}; the kernel may answer with every link's, so readers filter by index. */
    public static NlRequest dumpQdiscs(int index) {
        return NlRequest.of("RTM_GETQDISC dump dev " + index, Rtnl.RTM_GETQDISC, NLM_F_DUMP,
                new TcMsg(index, 0, 0, 0).pack());
    }

    /** {@code tc filter show dev INDEX ingress} */
    public static NlRequest dumpIngressFilters(int index) {
        return NlRequest.of("RTM_GETTFILTER dump dev " + index + " ingress", Rtnl.RTM_GETTFILTER, NLM_F_DUMP,
                new TcMsg(index, 0, INGRESS_FILTERS, 0).pack());
    }

    /** The rate of the TBF at the root of link {@code index}, from an RTM_NEWQDISC answer; empty for any other qdisc. */
    public static Optional<Rate> parseRootTbf(NlReply reply, int index) {
        TcMsg header = TcMsg.parse(reply.payload());
        Map<Integer, ByteBuffer> attrs = reply.attributes(TcMsg.SIZE);
        if (header.index() != index || header.parent() != Tca.TC_H_ROOT || !kind(attrs, "tbf")
                || !attrs.containsKey(TCA_OPTIONS)) {
            return Optional.empty();
        }
        Map<Integer, ByteBuffer> options = NlReply.attributes(attrs.get(TCA_OPTIONS));
        return rate(options.get(Tca.TCA_TBF_PARMS), Tca.TC_TBF_QOPT_RATE, options.get(Tca.TCA_TBF_RATE64));
    }

    /** Whether an RTM_NEWQDISC answer is the ingress qdisc of link {@code index}. */
    public static boolean isIngress(NlReply reply, int index) {
        TcMsg header = TcMsg.parse(reply.payload());
        return header.index() == index && header.parent() == Tca.TC_H_INGRESS
                && kind(reply.attributes(TcMsg.SIZE), "ingress");
    }

    /** The rate of a matchall filter's police action, from an RTM_NEWTFILTER answer; empty for any other filter. */
    public static Optional<Rate> parsePolice(NlReply reply) {
        Map<Integer, ByteBuffer> attrs = reply.attributes(TcMsg.SIZE);
        if (!kind(attrs, "matchall") || !attrs.containsKey(TCA_OPTIONS)) {
            return Optional.empty();
        }
        ByteBuffer actions = NlReply.attributes(attrs.get(TCA_OPTIONS)).get(Tca.TCA_MATCHALL_ACT);
        if (actions == null) {
            return Optional.empty();
        }
        // One nest per action, numbered from 1 in the order they run.
        return NlReply.attributes(actions).values().stream().map(NlReply::attributes)
                .filter(action -> kind(action, Tca.TCA_ACT_KIND, "police") && action.containsKey(Tca.TCA_ACT_OPTIONS))
                .map(action -> NlReply.attributes(action.get(Tca.TCA_ACT_OPTIONS)))
                .flatMap(police -> rate(police.get(Tca.TCA_POLICE_TBF), Tca.TC_POLICE_RATE, police.get(Tca.TCA_POLICE_RATE64)).stream())
                .findFirst();
    }

    private static boolean kind(Map<Integer, ByteBuffer> attrs, String kind) {
        return kind(attrs, TCA_KIND, kind);
    }

    private static boolean kind(Map<Integer, ByteBuffer> attrs, int type, String kind) {
        return attrs.containsKey(type) && NlReply.string(attrs.get(type)).equals(kind);
    }

    /** tc_ratespec.rate of a struct at {@code offset}, or the 64-bit rate beside it where the kernel gives one. */
    private static Optional<Rate> rate(ByteBuffer struct, int offset, ByteBuffer rate64) {
        if (rate64 != null && rate64.remaining() >= 8) {
            return Optional.of(Rate.ofBytesPerSecond(rate64.getLong(0)));
        }
        if (struct == null || struct.remaining() < offset + 4) {
            return Optional.empty();
        }
        long bytes = Integer.toUnsignedLong(struct.getInt(offset));
        return bytes == 0 ? Optional.empty() : Optional.of(Rate.ofBytesPerSecond(bytes));
    }

    /** tcm_info of a filter: TC_H_MAKE(priority &lt;&lt; 16, htons(protocol)). */
    private static int filterInfo(int protocol) {
        int networkOrder = Short.toUnsignedInt(Short.reverseBytes((short) protocol));
        return Tca.tcHMake(POLICE_PRIORITY << 16, ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? networkOrder : protocol);
    }

    /** struct tc_ratespec as tc_calc_rtable leaves it: ethernet, no overhead, cell_align -1. */
    private static void rateSpec(ByteBuffer out, int cellLog, long rate32) {
        out.put((byte) cellLog).put((byte) Tca.TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1)
                .putShort((short) 0).putInt((int) rate32);
    }

    /** tc_calc_rtable's cell_log: packet sizes of {@code mtu} (2047 if none) fall in 256 cells. */
    static int cellLog(int mtu) {
        int size = mtu == 0 ? RTAB_DEFAULT_MTU : mtu;
        int cellLog = 0;
        while ((size >> cellLog) > 255) {
            cellLog++;
        }
        return cellLog;
    }

    /**
     * tc_calc_rtable: the time, in ticks, to send packets of each of 256 sizes at {@code bytesPerSecond}. The kernel
     * no longer reads the times (since Linux 3.8), only the struct beside them, but wants the table there.
     */
    static byte[] rateTable(long bytesPerSecond, int cellLog) {
        ByteBuffer table = buffer(Tca.TC_RTAB_SIZE);
        for (int i = 0; i < 256; i++) {
            table.putInt((int) xmitTime(bytesPerSecond, (long) (i + 1) << cellLog));
        }
        return table.array();
    }

    /** tc_calc_xmittime of iproute2 6.15 and later: ticks to send {@code size} bytes, rounded up, at most UINT_MAX. */
    static long xmitTime(long bytesPerSecond, long size) {
        double ticks = Math.ceil(1_000_000.0 * ((double) size / (double) bytesPerSecond) * TICKS_PER_MICROSECOND);
        return ticks > UINT_MAX ? UINT_MAX : (long) ticks;
    }

    /** A burst in ticks; like tc, refused where it does not fit the kernel's 32 bits ("burst out of range"). */
    private static long burstTicks(long bytesPerSecond, long burst, Rate rate) {
        long ticks = xmitTime(bytesPerSecond, burst);
        if (ticks >= UINT_MAX) {
            throw new IllegalArgumentException("rate " + rate + " is too low: its burst of " + burst + " bytes would take"
                    + " longer than the kernel can count (2^32 ticks of 64 ns, about 275 s) to send");
        }
        return ticks;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }
}
