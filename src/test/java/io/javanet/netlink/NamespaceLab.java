package io.javanet.netlink;

import java.util.ArrayList;
import java.util.List;

/** Throwaway namespaces of one test and what runs in them, all closed together, the last made first. */
public final class NamespaceLab implements AutoCloseable {

    private final List<AutoCloseable> owned = new ArrayList<>();

    public ThrowawayNamespace namespace() {
        return owned(new ThrowawayNamespace());
    }

    /** {@code resource}, closed with the lab, before what was made earlier. */
    public <T extends AutoCloseable> T owned(T resource) {
        owned.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
    }
}
