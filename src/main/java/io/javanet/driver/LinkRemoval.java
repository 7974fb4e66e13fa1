package io.javanet.driver;

import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an endpoint's link is deleted once the store has forgotten the endpoint and recorded the deletion as an
 * intent. Deleting a veth waits for the kernel to drop every reference to it (about 20 ms); in the background,
 * on a netlink socket of its own, that wait is off Docker's call path. A crash before the deletion leaves the
 * intent, and start-up reconciliation finishes the job.
 */
public abstract class LinkRemoval implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkRemoval.class);

    private final Links links;

    private LinkRemoval(Links links) {
        this.links = links;
    }

    /** Deletes {@code link} (one already gone is fine), then runs {@code afterwards}. */
    public abstract void remove(String link, Runnable afterwards);

    /** Finishes the removals already asked for. */
    @Override
    public abstract void close();

    /** Within the call, through the driver's own links. */
    public static LinkRemoval inline(Links links) {
        return new LinkRemoval(links) {
            @Override
            public void remove(String link, Runnable afterwards) {
                delete(link);
                afterwards.run();
            }

            @Override
            public void close() {
            }
        };
    }

    /** After the call, one at a time, through {@code ownLinks}, which no one else uses. */
    public static LinkRemoval background(Links ownLinks) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "javanet-link-removal");
            t.setDaemon(true);
            return t;
        });
        return new LinkRemoval(ownLinks) {
            @Override
            public void remove(String link, Runnable afterwards) {
                thread.execute(() -> {
                    try {
                        delete(link);
                        afterwards.run();
                    } catch (RuntimeException e) {
                        log.warn("could not remove {} ({}); it is retried at the next start", link, e.getMessage());
                    }
                });
            }

            @Override
            public void close() {
                thread.shutdown();
                try {
                    if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                        log.warn("link removals still pending at shutdown; the next start finishes them");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    void delete(String link) {
        deleteIfPresent(links, link);
    }

    /** Deletes a link we created; one already gone is what we wanted. */
    static void deleteIfPresent(Links links, String link) {
        try {
            links.delete(link);
        } catch (KernelException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            log.info("link {} was already gone", link);
        }
    }
}
