package io.javanet.netlink;

/**
 * Traffic control: include/uapi/linux/rtnetlink.h (TCA_*, struct tcmsg), include/uapi/linux/pkt_sched.h (TC_H_*,
 * struct tc_ratespec, TBF), include/uapi/linux/pkt_cls.h (TCA_MATCHALL_*, TCA_ACT_*, TC_ACT_*, TCA_POLICE_* and
 * struct tc_police, once include/uapi/linux/tc_act/tc_police.h), ETH_P_ALL of include/uapi/linux/if_ether.h.
 */
public final class Tca {

    private Tca() {
    }

    public static final int TCA_KIND = 1;
    public static final int TCA_OPTIONS = 2;

    public static final int TC_H_ROOT = 0xFFFFFFFF;
    public static final int TC_H_INGRESS = 0xFFFFFFF1;
    public static final int TC_H_CLSACT = TC_H_INGRESS;
    public static final int TC_H_MIN_INGRESS = 0xFFF2;
    public static final int TC_H_MAJ_MASK = 0xFFFF0000;
    public static final int TC_H_MIN_MASK = 0x0000FFFF;

    /** TC_H_MAKE(maj, min). */
    public static int tcHMake(int major, int minor) {
        return (major & TC_H_MAJ_MASK) | (minor & TC_H_MIN_MASK);
    }

    public static final int TC_LINKLAYER_ETHERNET = 1;
    /** TC_RTAB_SIZE: a rate table, 256 u32 transmit times. */
    public static final int TC_RTAB_SIZE = 1024;

    public static final int TCA_TBF_PARMS = 1;
    public static final int TCA_TBF_RTAB = 2;
    public static final int TCA_TBF_RATE64 = 4;
    public static final int TCA_TBF_BURST = 6;

    public static final int TCA_MATCHALL_ACT = 2;

    public static final int TCA_ACT_KIND = 1;
    public static final int TCA_ACT_OPTIONS = 2;

    public static final int TC_ACT_SHOT = 2;

    public static final int TCA_POLICE_TBF = 1;
    public static final int TCA_POLICE_RATE = 2;
    public static final int TCA_POLICE_RATE64 = 8;

    /** include/uapi/linux/if_ether.h: every protocol. */
    public static final int ETH_P_ALL = 0x0003;

    /** struct tcmsg: family, pad, pad, ifindex, handle, parent, info. */
    public static final int TCMSG_SIZE = 20;
    /** struct tc_ratespec: cell_log, linklayer, overhead, cell_align, mpu, rate. */
    public static final int TC_RATESPEC_SIZE = 12;
    /** struct tc_tbf_qopt: rate, peakrate, limit, buffer, mtu. */
    public static final int TC_TBF_QOPT_SIZE = 36;
    /** struct tc_police: index, action, limit, burst, mtu, rate, peakrate, refcnt, bindcnt, capab. */
    public static final int TC_POLICE_SIZE = 56;
    /** Where tc_ratespec.rate sits in a tc_tbf_qopt and in a tc_police. */
    public static final int TC_TBF_QOPT_RATE = 8;
    public static final int TC_POLICE_RATE = 28;
}
