package io.javanet.netlink;

import io.javanet.kernel.Links;
import io.javanet.kernel.LinksContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** Rtnetlink keeps the contract, in a namespace of the test's own: what the memory kernel is held to. */
@Tag("kernel")
class RtNetlinkLinksKernelTest extends LinksContract {

    private ThrowawayNamespace ns;
    private RtNetlink nl;

    @BeforeEach
    void openNamespace() {
        ns = new ThrowawayNamespace();
        nl = RtNetlink.openIn(ns.path, "javanet:test");
    }

    @AfterEach
    void closeNamespace() {
        if (nl != null) {
            nl.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Override
    protected Links links() {
        return nl;
    }
}
