package io.javanet.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the running kernel has, read from its own files before anything is asked of it, so that a test of a
 * kernel-dependent feature knows which answer to expect (made as asked, or refused) instead of accepting either.
 * Where {@code JAVANET_LINK_KINDS} declares the link kinds the kernel must have (test-integration/guest.sh sets
 * it for Debian's kernel), that declaration is the expectation.
 */
public final class KernelModules {

    private KernelModules() {
    }

    /** Whether links of {@code kind} (as iproute2 names it) can be made here; {@code module} provides them. */
    static boolean hasLinkKind(String kind, String module) {
        String declared = System.getenv("JAVANET_LINK_KINDS");
        return declared != null ? List.of(declared.trim().split("\\s+")).contains(kind) : ships(module);
    }

    /** Whether ingress limits can be made here: the matchall classifier and the police action. */
    public static boolean polices() {
        return ships("cls_matchall") && ships("act_police");
    }

    /** Whether the kernel has the module loaded, built in, or among those it loads on demand. */
    static boolean ships(String module) {
        if (Files.isDirectory(Path.of("/sys/module", module))) {
            return true;
        }
        try {
            Path modules = Path.of("/lib/modules", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
            Pattern entry = Pattern.compile("(^|/)" + Pattern.quote(module) + "\\.ko(\\.\\w+)?(:.*)?$");
            for (String index : List.of("modules.builtin", "modules.dep")) {
                Path file = modules.resolve(index);
                if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> entry.matcher(l).find())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
