package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sharpsweep.worker.GpuSupport;

/** What a user reads for a failure that carries its own explanation. */
class FailuresTest {
    @Test
    void aCudaBuildThatCannotStartSaysWhyNotTheRootCause() {
        String why = GpuSupport.loadProblem("libcuda.so.1: cannot open shared object file", "node7");
        Throwable wrapped = new RuntimeException("task failed",
                new GpuSupport.Unavailable(why, new RuntimeException("Please ensure that you have an nd4j backend on your classpath")));
        Failures.Outcome o = Failures.describe(wrapped);
        assertEquals(1, o.status());
        assertEquals(why, o.message());
    }

    @Test
    void otherFailuresStillNameTheirRootCause() {
        Failures.Outcome o = Failures.describe(new RuntimeException("outer", new IllegalStateException("the real reason")));
        assertEquals(1, o.status());
        assertEquals(true, o.message().startsWith("the real reason"), o.message());
    }

    @Test
    void aStoppedRunIsAnInterruptNotAFailure() {
        Failures.Outcome o = Failures.describe(new Interruption.Stopped("quick", 3, 2));
        assertEquals(130, o.status());
        assertEquals("interrupted: sweep quick was stopped; 3 of its points finished in this run (their rows are in the table), "
                + "2 did not and have no row; run the same command again to compute them", o.message());
    }
}
