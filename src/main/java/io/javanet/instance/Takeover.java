package io.javanet.instance;

import io.javanet.firewall.NftFirewall;
import io.javanet.firewall.Nftables;
import io.javanet.netlink.RtNetlink;
import io.javanet.store.DatabaseFiles;
import io.javanet.store.StateLock;
import io.javanet.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state an earlier release kept under the install's {@link Instance#legacy legacy} names, taken over under
 * its own: those releases named every managed plugin {@code javanet} (database {@code javanet.db}, table {@code
 * inet javanet}, links marked {@code javanet:javanet}). The install that starts first with no database of its own
 * and finds the legacy one unclaimed (no lock file beside it: no javanet of this release has used it) and open in
 * no process takes it, so the one install there was keeps its networks through {@code docker plugin upgrade};
 * any other starts afresh. Upgrade the existing install before adding a second.
 *
 * <p>The legacy lock file says {@code taking over: OWN.db} while the takeover runs, so that a crash part-way
 * leaves it to the same install's next start: first the legacy links are marked ours and the database is moved
 * to our name; once our own table is built, the legacy table and DOCKER-USER rules go, and so does the lock file,
 * the last of the legacy names.
 */
public final class Takeover {

    private static final Logger log = LoggerFactory.getLogger(Takeover.class);
    private static final String PENDING = "taking over: ";

    private final Instance legacy;
    private final Instance own;
    private final StateLock lock;

    private Takeover(Instance legacy, Instance own, StateLock lock) {
        this.legacy = legacy;
        this.own = own;
        this.lock = lock;
    }

    /** The takeover due at this start, its database already moved; none when there is nothing to take. */
    public static Optional<Takeover> begin(Instance legacy, Instance own, Path stateDir) {
        if (legacy.database().equals(own.database())) {
            return Optional.empty();
        }
        Path from = legacy.database(stateDir);
        Path to = own.database(stateDir);
        try {
            Optional<StateLock> lock = Files.exists(StateLock.fileOf(from)) ? resumed(from, own)
                    : claimed(from, to, own);
            if (lock.isEmpty()) {
                return Optional.empty();
            }
            if (Files.exists(from) && !Files.exists(to)) {
                DatabaseFiles.move(from, to);
                log.info("took over {}, the state of {} (instance {}), as {}", from, legacy.holder(), legacy.name(), to);
            }
            return Optional.of(new Takeover(legacy, own, lock.get()));
        } catch (IOException e) {
            throw new StoreException("cannot take over " + from + ": " + e.getMessage(), e);
        }
    }

    /** The legacy database, locked, if no javanet of this release has used it and no process has it open. */
    private static Optional<StateLock> claimed(Path from, Path to, Instance own) throws IOException {
        if (!Files.exists(from) || Files.exists(to)) {
            return Optional.empty();
        }
        if (DatabaseFiles.openElsewhere(from)) {
            log.info("{} is open in a javanet of an earlier release: this install keeps a database of its own", from);
            return Optional.empty();
        }
        Optional<StateLock> lock = StateLock.tryAcquire(from, true);
        if (lock.isPresent()) {
            lock.get().write(PENDING + own.database());
        }
        return lock;
    }

    /** A takeover of ours a crash cut short, locked again. */
    private static Optional<StateLock> resumed(Path from, Instance own) throws IOException {
        Optional<StateLock> lock = StateLock.tryAcquire(from, false);
        if (lock.isPresent() && !lock.get().holder().equals(PENDING + own.database())) {
            lock.get().close();
            return Optional.empty();
        }
        return lock;
    }

    /** The legacy install's links become ours, before start-up reconciliation looks for ours. */
    public void adoptLinks(RtNetlink links) {
        if (!legacy.name().equals(own.name())) {
            List<String> adopted = links.adopt(legacy.linkOwner());
            log.info("took over {} links marked {}", adopted.size(), legacy.linkOwner());
        }
    }

    /**
     * Once our own table is built: the legacy table and its DOCKER-USER rules go (restored with no networks, a
     * firewall removes both), and the takeover is done. Should that fail, the next start tries again.
     */
    public void finish(Nftables nft) {
        try {
            if (!legacy.name().equals(own.name())) {
                new NftFirewall(nft, legacy.name()).restore(List.of(), List.of(), List.of());
                log.info("took over the firewall: table inet {} and its DOCKER-USER rules removed", legacy.name());
            }
            lock.closeAndDelete();
        } catch (RuntimeException e) {
            lock.close();
            log.warn("taking over from {}: {}; the next start tries again", legacy.name(), e.getMessage());
        }
    }
}
