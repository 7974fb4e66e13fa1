package io.javanet.driver;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a multi-step operation that have been done, with how to undo each. On failure {@link #rollback}
 * undoes them newest first, so a call that fails half-way leaves nothing behind.
 */
public final class UndoLog {

    private static final Logger log = LoggerFactory.getLogger(UndoLog.class);

    private record Step(String name, Runnable undo) {
    }

    private final Deque<Step> done = new ArrayDeque<>();

    /** Records a completed step. */
    public void done(String name, Runnable undo) {
        done.push(new Step(name, undo));
    }

    /** Undoes every recorded step, newest first; a failing undo is logged and the rest still run. */
    public void rollback(Throwable cause) {
        while (!done.isEmpty()) {
            Step step = done.pop();
            try {
                step.undo().run();
                log.info("rolled back {} after: {}", step.name(), cause.getMessage());
            } catch (RuntimeException e) {
                log.error("could not roll back {}: {}", step.name(), e.getMessage());
                cause.addSuppressed(e);
            }
        }
    }
}
