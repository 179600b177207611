package org.sharpsweep.driver;

import java.util.regex.Pattern;

import org.apache.spark.SparkContext;

/**
 * Tells a point's own failure from the run being stopped under it (docs/results.md, "Durability").
 * A stop is: the JVM shutting down (Ctrl-C, SIGTERM: Spark's shutdown hook then stops the
 * context, its jobs end "cancelled because SparkContext was shut down", a data-parallel point's
 * next step cannot start, the executors go away), the SparkContext stopped by anyone, or a job
 * of the sweep cancelled (its job group, the Web UI's kill). None of these says anything about the
 * point, so none is recorded as a FAILED row: the run ends with {@link Stopped}, the points that
 * finished are in the table, and a rerun computes the ones that were running.
 */
final class Interruption {
    private Interruption() {
    }

    /** The run was stopped; the points it interrupted have no row. Exit status 130 ({@link Failures}). */
    static final class Stopped extends IllegalStateException {
        /**
         * @param finished points of this run that finished (their rows are in the table)
         * @param left     points it stopped or never started (no row)
         */
        Stopped(String sweepId, int finished, int left) {
            super("interrupted: sweep " + sweepId + " was stopped; " + finished + " of its points finished in this run (their rows "
                    + "are in the table), " + left + " did not and have no row; run the same command again to compute them");
        }
    }

    /** Spark's words for a cancelled job: {@code Job 3 cancelled because SparkContext was shut down}, {@code ... part of cancelled job group}. */
    private static final Pattern CANCELLED = Pattern.compile(
            "Job \\d+ cancelled|Cannot call methods on a stopped SparkContext|org\\.apache\\.spark\\.TaskKilledException");

    /**
     * Whether the run is being stopped: {@code sc} stopped, the JVM shutting down, or {@code why}
     * (an exception's text, a row's error; may be null) says Spark cancelled the work.
     */
    static boolean stopping(SparkContext sc, String why) {
        return sc.isStopped() || jvmStopping() || cancelled(why);
    }

    /** Whether {@code why} (an exception's text, a row's error; may be null) says Spark cancelled the work. */
    static boolean cancelled(String why) {
        return why != null && CANCELLED.matcher(why).find();
    }

    /** {@link #stopping(SparkContext, String)} with the text of {@code cause}'s whole chain. */
    static boolean stopping(SparkContext sc, Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return stopping(sc, cause == null ? null : text.toString());
    }

    /**
     * Whether the JVM's shutdown has begun: then a shutdown hook can no longer be added
     * ({@link Runtime#addShutdownHook} throws IllegalStateException), which is asked here.
     */
    static boolean jvmStopping() {
        Thread probe = new Thread(() -> { }, "sharpsweep-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }
}
