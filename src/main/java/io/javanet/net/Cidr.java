package io.javanet.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.javanet.failure.PluginException;

/**
 * Parses the address strings of the protocol. Every failure names the field it came from, so the user sees
 * e.g. {@code Pool: "10.1.2.3/24" has host bits set (did you mean 10.1.2.0/24?)}.
 */
public final class Cidr {

    private Cidr() {
    }

    /** A network in CIDR form with no host bits, such as {@code 10.1.2.0/24}. */
    public static IPAddress parseNetwork(String field, String value) {
        IPAddress address = parse(field, value);
        if (!address.isPrefixed()) {
            throw PluginException.invalid("%s: \"%s\" is not in CIDR form (expected e.g. 10.1.2.0/24)", field, value);
        }
        if (!address.isPrefixBlock()) {
            throw PluginException.invalid("%s: \"%s\" has host bits set (did you mean %s?)",
                    field, value, address.toPrefixBlock().toCanonicalString());
        }
        return address;
    }

    /** An interface address in CIDR form, such as {@code 10.1.2.3/24}: a host address plus its prefix length. */
    public static IPAddress parseInterfaceAddress(String field, String value) {
        IPAddress address = parse(field, value);
        if (!address.isPrefixed()) {
            throw PluginException.invalid("%s: \"%s\" has no prefix length (expected e.g. 10.1.2.3/24)", field, value);
        }
        return address.getLower();
    }

    /** A bare host address, such as {@code 10.1.2.3}; a prefix length is refused. */
    public static IPAddress parseHost(String field, String value) {
        IPAddress address = parse(field, value);
        if (address.isPrefixed()) {
            throw PluginException.invalid("%s: \"%s\" must be a bare address without a prefix length", field, value);
        }
        return address;
    }

    /** The address alone, with no prefix length, in canonical text (lower-case, compressed IPv6). */
    public static String hostText(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    private static IPAddress parse(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw PluginException.invalid("%s: missing address", field);
        }
        try {
            IPAddress address = new IPAddressString(value).toAddress();
            if (address == null) {
                throw PluginException.invalid("%s: \"%s\" is not an IP address", field, value);
            }
            if (address.isIPv4() && address.getNetworkPrefixLength() == null && address.isMultiple()) {
                throw PluginException.invalid("%s: \"%s\" is not a single address", field, value);
            }
            return address;
        } catch (AddressStringException e) {
            throw PluginException.invalid("%s: \"%s\" is not a valid IP address or CIDR (%s)",
                    field, value, e.getMessage());
        }
    }
}
