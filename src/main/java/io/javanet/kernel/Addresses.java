package io.javanet.kernel;

import inet.ipaddr.IPAddress;

/** Interface addresses, shaped like {@code ip address}. */
public interface Addresses {

    /** Equivalent to: {@code ip address add ADDRESS/PREFIX dev LINK}. */
    void add(String link, IPAddress addressWithPrefix);
}
