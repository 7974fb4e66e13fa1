package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the host's routes from {@code /proc/net/route} and {@code /proc/net/ipv6_route}, the kernel's own text
 * view of the FIB (see net/ipv4/fib_trie.c and net/ipv6/route.c for the formats).
 */
public final class ProcNetRoutes implements RouteTable {

    private final Path procNet;

    public ProcNetRoutes(Path procNet) {
        this.procNet = procNet;
    }

    @Override
    public List<IPAddress> destinations() {
        List<IPAddress> result = new ArrayList<>();
        for (String line : lines("route")) {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; Destination and Mask are
            // little-endian hex.
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            int destination = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
            int prefix = Integer.bitCount(Integer.parseUnsignedInt(f[7], 16));
            if (prefix > 0) {
                result.add(new IPv4Address(destination, prefix).toPrefixBlock());
            }
        }
        for (String line : lines("ipv6_route")) {
            // dest(32 hex) dest_prefix(hex) src src_prefix next_hop metric refcnt use flags device
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            int prefix = Integer.parseInt(f[1], 16);
            IPv6Address destination = new IPv6Address(new BigInteger(f[0], 16), prefix);
            if (prefix > 0 && !destination.isLinkLocal() && !destination.isMulticast() && !destination.isLoopback()) {
                result.add(destination.toPrefixBlock());
            }
        }
        return result;
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(procNet.resolve(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procNet.resolve(file), e);
        }
    }
}
