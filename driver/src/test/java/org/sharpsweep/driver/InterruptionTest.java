package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which errors say that the run was stopped under a point (Spark's own messages, Spark 3.5). */
class InterruptionTest {
    @Test
    void sparksCancellationsAreStopsAndAPointsOwnErrorIsNot() {
        assertTrue(Interruption.cancelled("org.apache.spark.SparkException: Job 0 cancelled because SparkContext was shut down"));
        assertTrue(Interruption.cancelled("org.apache.spark.SparkException: Job 12 cancelled part of cancelled job group sharpsweep-x"));
        assertTrue(Interruption.cancelled("java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext.\nThis stopped ..."));
        assertTrue(Interruption.cancelled("org.apache.spark.TaskKilledException: killed via the Web UI"));
        assertFalse(Interruption.cancelled("java.lang.IllegalStateException: the loss is NaN at step 3"));
        assertFalse(Interruption.cancelled("org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times"));
        assertFalse(Interruption.cancelled(null));
    }

    @Test
    void aRunningJvmIsNotStopping() {
        assertFalse(Interruption.jvmStopping());
    }
}
