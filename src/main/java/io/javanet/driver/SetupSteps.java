package io.javanet.driver;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named steps of a setup, listed first and then applied in order, each with its undo recorded as it
 * completes; a failing step leaves the rollback to the {@link UndoLog} the caller holds.
 */
public final class SetupSteps {

    private static final Logger log = LoggerFactory.getLogger(SetupSteps.class);

    private record Step(String name, Runnable apply, Runnable undo) {
    }

    private final List<Step> steps = new ArrayList<>();

    /** A step whose undo is {@code undo}. */
    public SetupSteps step(String name, Runnable apply, Runnable undo) {
        steps.add(new Step(name, apply, undo));
        return this;
    }

    /** A step that needs no undo of its own: what it made goes with an earlier step's undo. */
    public SetupSteps step(String name, Runnable apply) {
        return step(name, apply, null);
    }

    /** A step taken only when {@code condition} holds. */
    public SetupSteps stepIf(boolean condition, String name, Runnable apply, Runnable undo) {
        return condition ? step(name, apply, undo) : this;
    }

    public SetupSteps stepIf(boolean condition, String name, Runnable apply) {
        return stepIf(condition, name, apply, null);
    }

    public void apply(UndoLog undo) {
        for (Step step : steps) {
            log.debug("setup: {}", step.name());
            step.apply().run();
            if (step.undo() != null) {
                undo.done(step.name(), step.undo());
            }
        }
    }
}
