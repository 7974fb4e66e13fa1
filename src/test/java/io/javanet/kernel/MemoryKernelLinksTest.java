package io.javanet.kernel;

/** The memory kernel keeps the contract the real one keeps. */
class MemoryKernelLinksTest extends LinksContract {

    private final MemoryKernel kernel = new MemoryKernel();

    @Override
    protected Links links() {
        return kernel;
    }
}
