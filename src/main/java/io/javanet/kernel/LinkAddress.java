package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/** An address seen on a host link: one the link holds, or a route's next hop through it. */
public record LinkAddress(String link, IPAddress address) {
}
