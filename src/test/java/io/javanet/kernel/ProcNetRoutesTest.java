package io.javanet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetRoutesTest {

    @TempDir
    Path procNet;

    @Test
    void readsIpv4AndIpv6DestinationsButNotDefaultLocalOrMulticastRoutes() throws Exception {
        // Captured from this machine's /proc/net: default route, docker0, a /24 on a bridge.
        Files.writeString(procNet.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                jnit-x\t0000C80A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                """);
        Files.writeString(procNet.resolve("ipv6_route"), """
                fd000000000700020000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 jn-abc
                fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0
                00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo
                ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0
                """);
        assertThat(new ProcNetRoutes(procNet).destinations()).extracting(Object::toString)
                .containsExactly("172.17.0.0/16", "10.200.0.0/24", "fd00:0:7:2::/64");
    }

    @Test
    void aMachineWithoutIpv6HasNoIpv6RouteFile() throws Exception {
        Files.writeString(procNet.resolve("route"), "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n");
        assertThat(new ProcNetRoutes(procNet).destinations()).isEmpty();
    }
}
