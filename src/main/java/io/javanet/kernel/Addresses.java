package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import java.util.List;

/** Interface addresses, shaped like {@code ip address}. */
public interface Addresses {

    /** Equivalent to: {@code ip address add ADDRESS/PREFIX dev LINK}. */
    void add(String link, IPAddress addressWithPrefix);

    /** Equivalent to: {@code ip address show dev LINK}: addresses with their prefix lengths. */
    List<IPAddress> addresses(String link);

    /** Equivalent to: {@code ip address show}: every address the host holds, with its link, without prefix. */
    List<LinkAddress> hostAddresses();
}
