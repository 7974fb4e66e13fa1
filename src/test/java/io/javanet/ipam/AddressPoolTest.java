package io.javanet.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressPoolTest {

    private static IPAddress net(String cidr) {
        return Cidr.parseNetwork("test", cidr);
    }

    private static IPAddress ip(String address) {
        return Cidr.parseHost("test", address);
    }

    private static List<String> drain(AddressPool pool) {
        List<String> handedOut = new ArrayList<>();
        for (Optional<IPAddress> next = pool.nextFree(); next.isPresent(); next = pool.nextFree()) {
            pool.take(next.get());
            handedOut.add(Cidr.hostText(next.get()));
        }
        return handedOut;
    }

    @Test
    void ipv4PoolHandsOutEveryHostAddressOnceAndSkipsNetworkAndBroadcast() {
        AddressPool pool = new AddressPool(net("10.0.0.0/29"), net("10.0.0.0/29"));
        assertThat(drain(pool)).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
        assertThat(pool.nextFree()).isEmpty();
        assertThat(pool.checkAssignable(ip("10.0.0.0"))).get().asString().contains("reserved");
        assertThat(pool.checkAssignable(ip("10.0.0.7"))).get().asString().contains("reserved");
    }

    @Test
    void pointToPointPoolsUseEveryAddress() {
        assertThat(drain(new AddressPool(net("10.0.0.0/31"), net("10.0.0.0/31")))).containsExactly("10.0.0.0", "10.0.0.1");
        assertThat(drain(new AddressPool(net("10.0.0.9/32"), net("10.0.0.9/32")))).containsExactly("10.0.0.9");
    }

    @Test
    void releasedAddressIsReusedOnlyAfterTheRestOfTheRange() {
        AddressPool pool = new AddressPool(net("10.0.0.0/29"), net("10.0.0.0/29"));
        pool.take(ip("10.0.0.1"));
        pool.take(ip("10.0.0.2"));
        assertThat(pool.free(ip("10.0.0.1"))).isTrue();
        assertThat(drain(pool)).containsExactly("10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.1");
        assertThat(pool.free(ip("10.0.0.5"))).isTrue();
        assertThat(pool.nextFree()).map(Cidr::hostText).contains("10.0.0.5");
        assertThat(pool.free(ip("10.0.0.5"))).isFalse();
    }

    @Test
    void subRangeLimitsAutomaticChoicesButNotExplicitOnes() {
        AddressPool pool = new AddressPool(net("10.127.0.0/24"), net("10.127.0.128/30"));
        assertThat(pool.checkAssignable(ip("10.127.0.1"))).isEmpty();
        pool.take(ip("10.127.0.1"));
        assertThat(drain(pool)).containsExactly("10.127.0.128", "10.127.0.129", "10.127.0.130", "10.127.0.131");
        assertThat(pool.checkAssignable(ip("10.127.0.5"))).isEmpty();
    }

    @Test
    void explicitAddressesOutsideThePoolOrAlreadyTakenAreRefusedWithAReason() {
        AddressPool pool = new AddressPool(net("10.0.0.0/24"), net("10.0.0.0/24"));
        pool.take(ip("10.0.0.7"));
        assertThat(pool.checkAssignable(ip("10.0.0.7"))).contains("10.0.0.7 is already allocated in pool 10.0.0.0/24");
        assertThat(pool.checkAssignable(ip("10.0.1.7"))).contains("10.0.1.7 is not in pool 10.0.0.0/24");
        assertThat(pool.checkAssignable(ip("fd00::7"))).contains("fd00::7 is not in pool 10.0.0.0/24");
    }

    @Test
    void ipv6PoolSkipsTheSubnetRouterAnycastAddressAndStaysFastWhenHuge() {
        AddressPool pool = new AddressPool(net("fd00:1::/64"), net("fd00:1::/64"));
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            IPAddress next = pool.nextFree().orElseThrow();
            pool.take(next);
            first.add(Cidr.hostText(next));
        }
        assertThat(first.get(0)).isEqualTo("fd00:1::1");
        assertThat(first.get(999)).isEqualTo("fd00:1::3e8");
        assertThat(new HashSet<>(first)).hasSize(1000);
        assertThat(pool.checkAssignable(ip("fd00:1::"))).get().asString().contains("reserved");
        assertThat(pool.checkAssignable(ip("fd00:1::ffff:1"))).isEmpty();
    }

    @Test
    void takingAnAddressNearTheEndWrapsTheSearchRound() {
        AddressPool pool = new AddressPool(net("10.0.0.0/29"), net("10.0.0.0/29"));
        pool.take(ip("10.0.0.6"));
        assertThat(pool.nextFree()).map(Cidr::hostText).contains("10.0.0.1");
        assertThat(pool.takenCount()).isEqualTo(1);
    }
}
