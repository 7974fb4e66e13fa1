package io.javanet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddressString;
import io.javanet.net.Rate;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What any {@link TrafficControl} does, as the kernel does it: run against the memory kernel the driver tests use
 * and against rtnetlink in namespaces of its own, so the fake cannot drift from the kernel it stands for.
 */
public abstract class TrafficControlContract {

    private static final Rate SLOW = Rate.parse("20mbit");
    private static final Rate FAST = Rate.parse("50mbit");

    /** Traffic control of a namespace that holds no limits yet. */
    protected abstract TrafficControl tc();

    /** Makes a link named {@code name} in that namespace. */
    protected abstract void link(String name);

    /** Gives the link named {@code link} in that namespace the address {@code cidr}. */
    protected abstract void address(String link, String cidr);

    /** Another namespace, holding a link named {@code name}. */
    protected abstract Path namespaceWithLink(String name);

    /** Whether this kernel has the matchall classifier and the police action. */
    protected abstract boolean polices();

    @Test
    void anEgressLimitIsReadBackChangedAndCleared() {
        link("jnt0");
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE);
        tc().limitEgress("jnt0", SLOW);
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE.withEgress(SLOW));
        tc().limitEgress("jnt0", FAST);
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE.withEgress(FAST));
        tc().clear("jnt0");
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE);
        tc().clear("jnt0");
    }

    /**
     * A kernel that polices makes an ingress limit beside an egress one, changes it and clears both; one without
     * the matchall classifier or the police action refuses it with EOPNOTSUPP and keeps the egress limit alone.
     * One test for both kernels, so that neither skips it: the host's has no police action, the guest's has.
     */
    @Test
    void anIngressLimitIsMadeBesideAnEgressOneOrRefusedWhereTheKernelCannotPolice() {
        link("jnt0");
        if (!polices()) {
            tc().limitEgress("jnt0", SLOW);
            assertThatThrownBy(() -> tc().limitIngress("jnt0", SLOW)).isInstanceOfSatisfying(KernelException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
            assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE.withEgress(SLOW));
            return;
        }
        tc().limitEgress("jnt0", FAST);
        tc().limitIngress("jnt0", SLOW);
        assertThat(tc().limits("jnt0")).isEqualTo(new BandwidthLimits(Optional.of(FAST), Optional.of(SLOW)));
        tc().limitIngress("jnt0", FAST);
        assertThat(tc().limits("jnt0")).isEqualTo(new BandwidthLimits(Optional.of(FAST), Optional.of(FAST)));
        tc().clear("jnt0");
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE);
    }

    @Test
    void aLinkThatIsNotThereHasNoLimitsToSetReadOrClear() {
        for (Runnable call : new Runnable[] {() -> tc().limitEgress("jnt9", SLOW), () -> tc().limitIngress("jnt9", SLOW),
                () -> tc().clear("jnt9"), () -> tc().limits("jnt9")}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(KernelException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
        }
    }

    @Test
    void aRateTooLowForTheKernelsClockIsRefused() {
        link("jnt0");
        assertThatThrownBy(() -> tc().limitEgress("jnt0", Rate.parse("100bit")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too low");
        assertThat(tc().limits("jnt0")).isEqualTo(BandwidthLimits.NONE);
    }

    private BandwidthLimits limitsIn(Path namespace, String link) {
        return tc().in(namespace, t -> t.limits(link));
    }

    @Test
    void aLinkInAnotherNamespaceIsLimitedThere() {
        Path there = namespaceWithLink("eth0");
        tc().in(there, t -> {
            t.limitEgress("eth0", SLOW);
            return null;
        });
        assertThat(limitsIn(there, "eth0")).isEqualTo(BandwidthLimits.NONE.withEgress(SLOW));
        assertThatThrownBy(() -> tc().limits("eth0")).as("not here").isInstanceOf(KernelException.class);
        tc().in(there, t -> {
            t.clear("eth0");
            return null;
        });
        assertThat(limitsIn(there, "eth0")).isEqualTo(BandwidthLimits.NONE);
    }

    @Test
    void aLinkIsFoundByAnAddressItHoldsWhateverItsPrefix() {
        link("eth1");
        link("eth2");
        address("eth2", "10.9.8.7/24");
        address("eth2", "fd00:9::7/64");
        assertThat(tc().linkHolding(new IPAddressString("10.9.8.7").getAddress())).contains("eth2");
        assertThat(tc().linkHolding(new IPAddressString("10.9.8.7/24").getAddress())).contains("eth2");
        assertThat(tc().linkHolding(new IPAddressString("fd00:9::7").getAddress())).contains("eth2");
        assertThat(tc().linkHolding(new IPAddressString("10.9.8.8").getAddress())).as("held by no link").isEmpty();
    }
}
