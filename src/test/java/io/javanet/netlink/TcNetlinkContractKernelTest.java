package io.javanet.netlink;

import io.javanet.kernel.TrafficControl;
import io.javanet.kernel.TrafficControlContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** Our traffic control keeps the contract against the real kernel, in namespaces of the test's own. */
@Tag("kernel")
class TcNetlinkContractKernelTest extends TrafficControlContract {

    private NamespaceLab lab;
    private ThrowawayNamespace ns;
    private TcNetlink tc;

    @BeforeEach
    void setUp() {
        lab = new NamespaceLab();
        ns = lab.namespace();
        tc = lab.owned(TcNetlink.openIn(ns.path));
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Override
    protected TrafficControl tc() {
        return tc;
    }

    @Override
    protected void link(String name) {
        ns.exec("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
    }

    @Override
    protected void address(String link, String cidr) {
        ns.exec("ip", "address", "add", cidr, "dev", link);
    }

    @Override
    protected Path namespaceWithLink(String name) {
        ThrowawayNamespace container = lab.namespace();
        container.exec("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        return container.path;
    }

    @Override
    protected boolean polices() {
        return KernelModules.polices();
    }
}
