package io.javanet.firewall;

import java.util.LinkedHashSet;
import java.util.Set;

/** A firewall that just tracks what it has been asked for, and can be told to refuse. */
public final class RecordingFirewall implements Firewall {

    private final Set<String> networks = new LinkedHashSet<>();
    public boolean refuse;

    @Override
    public synchronized void addNetwork(String bridge) {
        if (refuse) {
            throw new FirewallException("accept traffic within " + bridge + ": nft refused (injected)");
        }
        networks.add(bridge);
    }

    @Override
    public synchronized void removeNetwork(String bridge) {
        networks.remove(bridge);
    }

    public synchronized Set<String> networks() {
        return Set.copyOf(networks);
    }
}
