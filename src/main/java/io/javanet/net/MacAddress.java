package io.javanet.net;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet address. */
public record MacAddress(byte[] bytes) {

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
        if ((bytes[0] & 1) != 0) {
            throw new IllegalArgumentException(COLONS.formatHex(bytes) + " is a multicast address");
        }
    }

    /** Parses the colon form, e.g. {@code 02:42:0a:7b:00:32}. */
    public static MacAddress parse(String text) {
        if (text == null || !text.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a MAC address (expected e.g. 02:42:0a:7b:00:32)");
        }
        return new MacAddress(COLONS.parseHex(text));
    }

    /** Docker's MAC for an IPv4 endpoint: 02:42 followed by the four address bytes. */
    public static MacAddress fromIpv4(byte[] ipv4) {
        return new MacAddress(new byte[] {0x02, 0x42, ipv4[0], ipv4[1], ipv4[2], ipv4[3]});
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return COLONS.formatHex(bytes);
    }
}
