package org.sharpsweep.worker.train;

import java.util.function.Supplier;

/**
 * Where the trainers running on the calling thread report how far they are, for a progress line
 * (the driver's, through a Spark task's accumulator: docs/architecture.md, "Progress of long
 * points"). Every trainer feeds {@link Trainer.Losses} each step's loss, and that class reports
 * here, so the ND4J trainer, the lockstep kernel and the data-parallel trainer all count. Nothing
 * is reported outside {@link #reportingTo}; reporting costs one field read a step then.
 *
 * <p>Per thread: a Spark executor runs each task on its own thread, so that each task reports its
 * own points' steps.
 */
public final class StepProgress {
    /** Receives the reports of the trainings of one thread. */
    public interface Sink {
        /** A training is about to take its step {@code step} (0 = the first): {@code step} steps are done. */
        void step(int step);

        /** A training ended (its last step, a stop on the loss, or divergence). */
        void ended();
    }

    private static final ThreadLocal<Sink> SINK = new ThreadLocal<>();

    private StepProgress() {
    }

    /** Runs {@code work} with the trainings it starts on this thread reporting to {@code sink}. */
    public static <T> T reportingTo(Sink sink, Supplier<T> work) {
        Sink before = SINK.get();
        SINK.set(sink);
        try {
            return work.get();
        } finally {
            if (before == null) SINK.remove();
            else SINK.set(before);
        }
    }

    static void step(int step) {
        Sink s = SINK.get();
        if (s != null) s.step(step);
    }

    static void ended() {
        Sink s = SINK.get();
        if (s != null) s.ended();
    }
}
