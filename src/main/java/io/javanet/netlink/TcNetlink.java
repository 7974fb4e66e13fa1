package io.javanet.netlink;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.BandwidthLimits;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.TrafficControl;
import io.javanet.net.Rate;
import io.javanet.sys.Netns;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Bandwidth limits over rtnetlink's traffic control, in the namespace it was opened in; shaped like tc.
 * Thread-safe: requests on the one socket are serialised.
 */
public final class TcNetlink implements TrafficControl, AutoCloseable {

    private final NetlinkSocket socket;

    private TcNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** For the namespace javanet runs in. */
    public static TcNetlink open() {
        return new TcNetlink(NetlinkSocket.open());
    }

    /** For the namespace at {@code path}, e.g. a container's {@code /var/run/docker/netns/…}. */
    public static TcNetlink openIn(Path path) {
        return new TcNetlink(Netns.call(path, NetlinkSocket::open));
    }

    @Override
    public <T> T in(Path namespace, Function<TrafficControl, T> work) {
        try (TcNetlink there = openIn(namespace)) {
            return work.apply(there);
        }
    }

    @Override
    public void limitEgress(String link, Rate rate) {
        socket.execute(TcMessages.limitEgress(index(link), link, rate));
    }

    @Override
    public void limitIngress(String link, Rate rate) {
        int index = index(link);
        NlRequest police = TcMessages.police(index, link, rate);
        boolean made = true;
        try {
            socket.execute(TcMessages.addIngress(index, link));
        } catch (KernelException e) {
            if (!e.isExists()) {
                throw e;
            }
            made = false;
        }
        KernelException.ignoringNotFound(() -> socket.execute(TcMessages.deletePolice(index, link)));
        try {
            socket.execute(police);
        } catch (KernelException e) {
            if (made) {
                KernelException.ignoringNotFound(() -> socket.execute(TcMessages.deleteIngress(index, link)));
            }
            // The link and its ingress qdisc are there: what the kernel cannot find is the classifier or action.
            if (e.errno().equals(Errno.ENOENT)) {
                throw new KernelException(police.operation(), Errno.EOPNOTSUPP, "this kernel has no matchall classifier"
                        + " or no police action (CONFIG_NET_CLS_MATCHALL, CONFIG_NET_ACT_POLICE): " + e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void clear(String link) {
        int index = index(link);
        List<NlReply> qdiscs = qdiscs(index);
        if (qdiscs.stream().anyMatch(q -> TcMessages.parseRootTbf(q, index).isPresent())) {
            KernelException.ignoringNotFound(() -> socket.execute(TcMessages.deleteRoot(index, link)));
        }
        if (qdiscs.stream().anyMatch(q -> TcMessages.isIngress(q, index))) {
            KernelException.ignoringNotFound(() -> socket.execute(TcMessages.deleteIngress(index, link)));
        }
    }

    @Override
    public BandwidthLimits limits(String link) {
        int index = index(link);
        List<NlReply> qdiscs = qdiscs(index);
        Optional<Rate> egress = qdiscs.stream().flatMap(q -> TcMessages.parseRootTbf(q, index).stream()).findFirst();
        Optional<Rate> ingress = Optional.empty();
        if (qdiscs.stream().anyMatch(q -> TcMessages.isIngress(q, index))) {
            ingress = socket.execute(TcMessages.dumpIngressFilters(index)).stream()
                    .filter(f -> f.type() == Rtnl.RTM_NEWTFILTER)
                    .flatMap(f -> TcMessages.parsePolice(f).stream()).findFirst();
        }
        return new BandwidthLimits(egress, ingress);
    }

    @Override
    public Optional<String> linkHolding(IPAddress address) {
        IPAddress wanted = address.withoutPrefixLength();
        Optional<Integer> index = socket.execute(RtMessages.dumpAddresses()).stream()
                .filter(r -> r.type() == Rtnl.RTM_NEWADDR).map(RtMessages::parseAddress)
                .filter(a -> a.address().withoutPrefixLength().equals(wanted)).map(AddressInfo::linkIndex).findFirst();
        return index.flatMap(i -> socket.execute(RtMessages.getLink(i)).stream().findFirst()
                .map(RtMessages::parseLink).map(LinkInfo::name));
    }

    private List<NlReply> qdiscs(int index) {
        return socket.execute(TcMessages.dumpQdiscs(index)).stream().filter(q -> q.type() == Rtnl.RTM_NEWQDISC).toList();
    }

    private int index(String name) {
        return socket.linkIndex(name);
    }

    @Override
    public void close() {
        socket.close();
    }
}
