package io.javanet.kernel;

import inet.ipaddr.IPAddressString;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The memory kernel keeps the traffic control contract the real one keeps, with policing and without. */
class MemoryKernelTrafficControlTest extends TrafficControlContract {

    private final MemoryKernel kernel = new MemoryKernel();

    @Override
    protected TrafficControl tc() {
        return kernel;
    }

    @Override
    protected void link(String name) {
        kernel.add(new Link.Veth(LinkAttrs.of(name, 1500), name + "p", Optional.empty()));
    }

    @Override
    protected void address(String link, String cidr) {
        kernel.add(link, new IPAddressString(cidr).getAddress());
    }

    @Override
    protected Path namespaceWithLink(String name) {
        Path container = Path.of("/var/run/docker/netns/c0ffee");
        kernel.add(new Link.Veth(LinkAttrs.of("jnv0", 1500), "jnc0", Optional.empty()));
        kernel.namespace(container);
        kernel.moveToContainer("jnc0", container, name);
        return container;
    }

    @Override
    protected boolean polices() {
        return kernel.policingSupported;
    }

    /** The contract's policing cases again, on a fake kernel without policing. */
    @ParameterizedTest
    @ValueSource(booleans = {false})
    void withoutPolicing(boolean policing) {
        kernel.policingSupported = policing;
        anIngressLimitIsMadeBesideAnEgressOneOrRefusedWhereTheKernelCannotPolice();
    }
}
