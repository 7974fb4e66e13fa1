package io.javanet.kernel;

import io.javanet.net.MacAddress;
import java.util.Optional;

/**
 * What the kernel says of one link, as {@code ip -d link show} would.
 *
 * @param kind        the IFLA_INFO_KIND ("bridge", "veth", …), empty for a physical device
 * @param masterIndex the bridge it is enslaved to, 0 for none
 * @param alias       IFLA_IFALIAS, empty for none; ours say which javanet made them
 */
public record LinkInfo(int index, String name, String kind, int mtu, Optional<MacAddress> mac, int masterIndex,
                       boolean up, String alias) {
}
