package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/** An address of a link, with its prefix length, as {@code ip address show} lists it. */
public record AddressInfo(int linkIndex, IPAddress address) {
}
