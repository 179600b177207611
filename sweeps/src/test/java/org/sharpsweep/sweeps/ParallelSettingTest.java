package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** train.parallel and train.workers: how a point is trained, not which point (issue 12). */
class ParallelSettingTest {
    private static final String BASE = "name: a\ndata: {n_train: 40}\ntrain: {steps: 5, lr: 0.1, batch_size: 20";

    @Test
    void dataParallelKeepsPointIdsAndSeeds() {
        SweepSpec plain = SweepSpec.parse(BASE + "}\ngrid: {width: [10, 20], lr: [0.1, 0.2]}\n");
        SweepSpec parallel = SweepSpec.parse(BASE + ", parallel: data, workers: 4}\ngrid: {width: [10, 20], lr: [0.1, 0.2]}\n");
        assertEquals(plain.points().size(), parallel.points().size());
        for (int i = 0; i < plain.points().size(); i++) {
            assertEquals(plain.point(i).pointId(), parallel.point(i).pointId());
            assertEquals(plain.point(i).seed(), parallel.point(i).seed());
            assertFalse(plain.point(i).spec().train().dataParallel());
            assertTrue(parallel.point(i).spec().train().dataParallel());
            assertEquals(4, parallel.point(i).spec().train().workers());
        }
    }

    @Test
    void defaultsAreOneTaskPerPointAndStayOutOfTheYaml() {
        SweepSpec plain = SweepSpec.parse(BASE + "}\n");
        assertEquals(Parallel.NONE, plain.point(0).spec().train().parallel());
        assertEquals(1, plain.point(0).spec().train().workers());
        assertFalse(plain.toYaml().contains("parallel"), plain.toYaml());
        assertFalse(plain.toYaml().contains("workers"), plain.toYaml());
    }

    @Test
    void yamlRoundTripKeepsTheSettings() {
        SweepSpec parallel = SweepSpec.parse(BASE + ", parallel: data, workers: 2}\n");
        SweepSpec again = SweepSpec.parse(parallel.toYaml());
        assertEquals(Parallel.DATA, again.point(0).spec().train().parallel());
        assertEquals(2, again.point(0).spec().train().workers());
    }

    @Test
    void settingsAreColumnsButNeitherAxesNorInIds() {
        for (Setting s : new Setting[] {Setting.PARALLEL, Setting.WORKERS}) {
            assertTrue(s.isExecution());
            assertFalse(s.isAxis());
            assertFalse(s.inPointId());
            assertTrue(ResultSchema.RESULTS.column(s.shortName) != null, s.shortName);
        }
        assertEquals("train.parallel", Setting.PARALLEL.path());
        assertEquals("train.workers", Setting.WORKERS.path());
    }

    @Test
    void oneWorkerIsAllowed() {
        SweepSpec one = SweepSpec.parse(BASE + ", parallel: data, workers: 1}\n");
        assertTrue(one.point(0).spec().train().dataParallel());
    }

    @Test
    void aloneIsTheSamePointInOneTask() {
        SweepSpec parallel = SweepSpec.parse("name: a\ndata: {n_train: 40}\ntrain: {epochs: 3, lr: 0.1, batch_size: 20, "
                + "parallel: data, workers: 2}\ngrid: {lr: [0.1, 0.2]}\n");
        GridPoint p = parallel.point(1), one = p.alone();
        assertFalse(one.spec().train().dataParallel());
        assertEquals(1, one.spec().train().workers());
        assertEquals(p.pointId(), one.pointId());
        assertEquals(p.seed(), one.seed());
        assertEquals(p.spec().train().steps(), one.spec().train().steps());
        assertEquals(6, one.spec().train().steps());
        assertEquals(0.2, one.spec().train().lr());
        assertEquals(p.spec().data(), one.spec().data());
        assertEquals(one, one.alone());
    }

    /** An executor trains B / W rows of a data-parallel point's batch: the batch term of the estimate shrinks W times. */
    @Test
    void memoryEstimateCountsTheWorkersPartOfTheBatch() {
        String base = "name: a\ndata: {dataset: teacher, input_dim: 20, n_train: 40000, n_test: 10}\n"
                + "model: {depth: 3, width: 2000}\nmeasure: {sharpness: false, nonuniformity: false}\ntrain: {steps: 1, batch_size: 40000";
        PointSpec alone = SweepSpec.parse(base + "}\n").point(0).spec();
        PointSpec spread = SweepSpec.parse(base + ", parallel: data, workers: 8}\n").point(0).spec();
        MemoryEstimate a = MemoryEstimate.of(alone), b = MemoryEstimate.of(spread);
        assertEquals("batch", a.term());
        double batchAlone = 8.0 * 40000 * (20 + 4 * 3 * 2000 + 3);
        assertEquals(batchAlone * 7 / 8, a.bytes() - b.bytes(), 1e-6 * a.bytes());
    }
}
