package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.SweepSpec;

/** What one running task says in the progress line, from its accumulator's reports. */
class PointProgressTest {
    @Test
    void aTaskIsStartingThenSteppingThenMeasuring() {
        SweepSpec spec = SweepSpec.parse("name: p\nseed: 1\ndata: {n_train: 20}\ntrain: {steps: 200}\ngrid: {lr: [0.1, 0.2]}\n");
        PointProgress.Accumulator a = new PointProgress.Accumulator();
        a.start(spec.points().subList(1, 2));
        assertEquals("point 1 starting", a.value().describe(), "before the first step: data, the measurements at step 0");
        a.step(0);
        assertEquals("point 1 step 0/200", a.value().describe());
        a.step(45);
        assertEquals("point 1 step 45/200", a.value().describe());
        a.ended();
        assertEquals("point 1 measuring", a.value().describe());
        a.start(spec.points());
        assertEquals("2 points from 0 starting", a.value().describe(), "a task's next group starts afresh");
        a.step(150);
        assertEquals("2 points from 0 step 150/200", a.value().describe());
        a.ended();
        assertEquals("2 points from 0 step 150/200", a.value().describe(), "one of the two trainings ended");
        a.ended();
        assertEquals("2 points from 0 measuring", a.value().describe());
    }
}
