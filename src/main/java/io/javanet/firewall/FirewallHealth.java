package io.javanet.firewall;

import java.util.List;

/**
 * What the host's ruleset holds of ours and of Docker's way of letting our traffic through, as read at one moment.
 *
 * @param tableExists        whether our table is there
 * @param hookedChains       Docker's DOCKER-USER chains that hold our accept-marked rule
 * @param unhookedChains     Docker's DOCKER-USER chains without it: Docker's forward policy drops our traffic there
 * @param dockerNftables     whether Docker runs its nftables backend (its table, no DOCKER-USER chain)
 * @param dockerAcceptsMark  whether that table accepts our mark (dockerd's {@code --bridge-accept-fwmark})
 */
public record FirewallHealth(boolean tableExists, List<String> hookedChains, List<String> unhookedChains,
                             boolean dockerNftables, boolean dockerAcceptsMark) {

    /** The packet mark our forward chain sets on what it allows, in dockerd's {@code --bridge-accept-fwmark} form. */
    public static String markOption() {
        return String.format("0x%x/0x%x", NftScript.MARK, NftScript.MARK);
    }
}
