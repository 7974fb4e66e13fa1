package io.javanet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.SubMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What any {@link Links} does, as the kernel does it: run against the memory kernel the driver tests use and
 * against rtnetlink in a namespace of its own, so the fake cannot drift from the kernel it stands for.
 */
public abstract class LinksContract {

    /** The links under test, in a namespace that holds none yet. */
    protected abstract Links links();

    private static Link bridge(String name) {
        return new Link.Bridge(LinkAttrs.of(name, 1500));
    }

    private static Link veth(String name, String peer) {
        return new Link.Veth(LinkAttrs.of(name, 1500), peer, Optional.empty());
    }

    @Test
    void aLinkOfEachKindIsMadeOfThatKindAndMarkedOursAndItsVethPeerIsNot() {
        links().add(bridge("br0"));
        links().add(veth("jnv0", "jnc0"));
        links().add(new Link.Macvlan(LinkAttrs.of("jnm0", 1400), "jnv0", SubMode.BRIDGE));
        links().add(new Link.Vxlan(LinkAttrs.of("jnx0", 1450), 4242, 4800, Optional.empty()));
        assertThat(links().kind("br0")).contains("bridge");
        assertThat(links().kind("jnv0")).contains("veth");
        assertThat(links().kind("jnc0")).contains("veth");
        assertThat(links().kind("jnm0")).contains("macvlan");
        assertThat(links().kind("jnx0")).contains("vxlan");
        assertThat(links().owned()).containsExactlyInAnyOrder("br0", "jnv0", "jnm0", "jnx0");
    }

    @Test
    void deletingALinkTakesWhatHangsOnItAndFreesItsBridgesPorts() {
        links().add(bridge("br0"));
        links().add(new Link.Veth(LinkAttrs.of("jnv0", 1500).onBridge("br0"), "jnc0", Optional.empty()));
        links().add(veth("jnv1", "jnc1"));
        links().add(new Link.Macvlan(LinkAttrs.of("jnm1", 1500), "jnv1", SubMode.BRIDGE));
        assertThat(links().master("jnv0")).contains("br0");
        links().delete("br0");
        assertThat(links().exists("jnv0")).as("a port outlives its bridge").isTrue();
        assertThat(links().master("jnv0")).isEmpty();
        links().delete("jnc1");
        assertThat(links().exists("jnv1")).as("a veth goes with its peer").isFalse();
        assertThat(links().exists("jnm1")).as("a macvlan goes with its parent").isFalse();
        assertThat(links().owned()).containsExactly("jnv0");
    }

    @Test
    void aVethMadeOnABridgeIsItsPortAtOnceAndOnAnythingElseIsNotMadeAtAll() {
        links().add(bridge("br0"));
        links().add(veth("jnv0", "jnc0"));
        links().add(new Link.Veth(LinkAttrs.of("jnv1", 1500).onBridge("br0"), "jnc1", Optional.empty()));
        assertThat(links().master("jnv1")).contains("br0");
        assertThatThrownBy(() -> links().add(new Link.Veth(LinkAttrs.of("jnv2", 1500).onBridge("jnv0"), "jnc2",
                Optional.empty()))).isInstanceOfSatisfying(KernelException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
        assertThat(links().exists("jnv2")).isFalse();
        assertThat(links().exists("jnc2")).isFalse();
    }

    @Test
    void aNameInUseIsRefusedAsExistingAndAnUnknownLinkAsNotFound() {
        links().add(bridge("br0"));
        assertThatThrownBy(() -> links().add(bridge("br0")))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isExists()).isTrue());
        assertThatThrownBy(() -> links().add(veth("jnv0", "br0")))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isExists()).isTrue());
        assertThat(links().exists("jnv0")).as("nothing made of a refused pair").isFalse();
        assertThatThrownBy(() -> links().add(new Link.Macvlan(LinkAttrs.of("jnm0", 1500), "nosuch0", SubMode.BRIDGE)))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue());
        assertThatThrownBy(() -> links().delete("nosuch0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue());
        assertThatThrownBy(() -> links().setMaster("nosuch0", "br0"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.isNotFound()).isTrue());
        assertThatThrownBy(() -> links().add(bridge("a-name-far-too-long"))).isInstanceOf(KernelException.class);
        assertThat(links().kind("nosuch0")).isEmpty();
        assertThat(links().owned()).containsExactly("br0");
    }

    @Test
    void aVxlanDeviceFloodsToThePeersAppendedOnceEachAndRemovingOneTwiceIsFine() {
        links().add(new Link.Vxlan(LinkAttrs.of("jnx0", 1450), 4242, 4800, Optional.empty()));
        links().add(new Link.Vxlan(LinkAttrs.of("jnx1", 1450), 4243, 4800, Optional.empty()));
        IPAddress peer1 = Cidr.parseHost("peer", "192.0.2.11");
        IPAddress peer2 = Cidr.parseHost("peer", "192.0.2.12");
        links().appendFlood("jnx0", peer1);
        links().appendFlood("jnx0", peer2);
        links().appendFlood("jnx0", peer1);
        assertThat(links().floodDestinations("jnx0")).containsExactlyInAnyOrder(peer1, peer2);
        links().removeFlood("jnx0", peer1);
        links().removeFlood("jnx0", peer1);
        assertThat(links().floodDestinations("jnx0")).containsExactly(peer2);
        assertThat(links().floodDestinations("jnx1")).as("another device's").isEmpty();
    }
}
