package org.sharpsweep.worker.lockstep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;

/**
 * Whole points trained in a lockstep group against the same points run alone: every column and
 * every row of the other tables equal, bit for bit, but the group's size, the timings and the
 * start time.
 */
class LockstepPointsTest {
    /** Columns that say how and when a point ran, not what it computed. */
    static final Set<String> HOW = Set.of(ResultSchema.LOCKSTEP, ResultSchema.TRAIN_SECONDS, ResultSchema.MEASURE_SECONDS,
            ResultSchema.START_TIME);

    @Test
    void aGroupOfMixedPointsGivesTheRowsOfEachPointAlone() {
        SweepSpec spec = SweepSpec.parse("""
                name: mixed
                seed: 7
                data: {dataset: teacher, input_dim: 4, n_train: 24, n_test: 24}
                model: {depth: 1, width: 6}
                train: {steps: 60, lr: 0.1, batch_size: 6}
                measure: {max_iters: 20, every: 20, trace: true, trace_max_probes: 8, trace_deflate: 2, top_k: 2, save_params: true}
                grid:
                  lr: [0.1, 30.0]
                  momentum: [0.0, 0.9]
                  penalty: [gradnorm, l2, darc1]
                  penalty_coef: [0.01, 0.1]
                  activation: [relu, tanh]
                  dtype: [float64, float32]
                  seed: {replicates: 2}
                """);
        List<GridPoint> group = spec.points(); // one group of every point: precision and activation mixed too
        assertEquals(4, LockstepGroups.of(group, 1).size(), "the driver groups by activation and precision: " + LockstepGroups.of(group, 1).size());
        assertTrue(group.size() >= 40, "the grid's distinct points: " + group.size());
        List<PointResult> together = PointRunner.runGroup(group, Collections.nCopies(group.size(), (Path) null),
                Collections.nCopies(group.size(), (double[]) null));
        int diverged = 0;
        for (int i = 0; i < group.size(); i++) {
            GridPoint p = group.get(i);
            PointResult alone = PointRunner.run(p);
            PointResult mine = together.get(i);
            assertEquals(alone.status(), mine.status(), "point " + p.index() + " " + mine.error());
            assertEquals(alone.error(), mine.error(), "point " + p.index());
            assertEquals(1, alone.integer(ResultSchema.LOCKSTEP));
            assertEquals(group.size(), mine.integer(ResultSchema.LOCKSTEP));
            for (String c : union(alone.values(), mine.values())) {
                if (HOW.contains(c)) continue;
                assertEqualValues(alone.get(c), mine.get(c), "point " + p.index() + " column " + c);
            }
            for (ResultSchema.Table t : ResultSchema.children()) {
                List<Map<String, Object>> a = alone.rows(t), b = mine.rows(t);
                assertEquals(a.size(), b.size(), "point " + p.index() + " " + t.name() + " rows");
                for (int r = 0; r < a.size(); r++) {
                    for (String c : union(a.get(r), b.get(r))) {
                        if (HOW.contains(c)) continue;
                        assertEqualValues(a.get(r).get(c), b.get(r).get(c), "point " + p.index() + " " + t.name() + " row " + r + " " + c);
                    }
                }
            }
            if (mine.status() == Status.DIVERGED) diverged++;
        }
        assertTrue(diverged > 0 && diverged < group.size(), "some points diverge, not all: " + diverged);
    }

    @Test
    void pointsOfOtherShapesOrLockstepOffOrLargeNetworksTrainAlone() {
        String yaml = """
                name: shapes
                data: {dataset: teacher, input_dim: 4, n_train: 24, n_test: 24}
                model: {depth: 1, width: 6}
                train: {steps: 10, lr: 0.1, batch_size: 24%s}
                grid:
                  width: [6, 7, 9000]
                  lr: [0.1, 0.2]
                """;
        SweepSpec spec = SweepSpec.parse(yaml.formatted(""));
        List<List<GridPoint>> groups = LockstepGroups.of(spec.points(), 1);
        assertEquals(4, groups.size(), "width 6, width 7, and the two large networks alone: " + groups);
        assertEquals(2, groups.get(0).size());
        assertEquals(2, groups.get(1).size());
        assertFalse(LockstepGroups.smallNetwork(groups.get(2).get(0).spec()), "9000 hidden units (54,001 parameters) at B = 24 is no small network");
        assertNull(PointRunner.run(groups.get(2).get(0)).integer(ResultSchema.LOCKSTEP), "trained by the ND4J trainer");
        SweepSpec off = SweepSpec.parse(yaml.formatted(", lockstep: off"));
        assertEquals(6, LockstepGroups.of(off.points(), 1).size(), "lockstep off: one task per point");
        assertEquals(6, LockstepGroups.of(spec.points(), 2).size(), "two slots: each key's points split over both");
    }

    /**
     * Shared seeds: after one plain SGD step from theta0, theta = theta0 - lr g_B, so two points
     * that differ only in lr have (theta - theta0) / lr equal exactly when they started alike and
     * took the same batch; a second replicate does not.
     */
    @Test
    void sharedSeedsStartPointsOfOtherLearningRatesAlikeOnTheSameBatches() {
        SweepSpec spec = SweepSpec.parse("""
                name: crn
                data: {dataset: teacher, input_dim: 4, n_train: 24, n_test: 24}
                model: {depth: 1, width: 6}
                train: {steps: 1, batch_size: 6}
                measure: {sharpness: false, nonuniformity: false, save_params: true}
                grid:
                  lr: [0.01, 0.03]
                  seed: {replicates: 2}
                """);
        List<GridPoint> points = spec.points(); // lr 0.01 r0, lr 0.01 r1, lr 0.03 r0, lr 0.03 r1
        double[][] steps = new double[4][];
        for (int i = 0; i < 4; i++) {
            GridPoint p = points.get(i);
            double[] end = (double[]) PointRunner.run(p).rows(ResultSchema.PARAMS_TABLE).get(0).get(ResultSchema.PARAMS);
            var mlp = new org.sharpsweep.worker.model.Mlp(4, 1, 6, 1, p.spec().model().activation(), p.spec().model().init(), p.spec().loss());
            double[] start = mlp.initParams(org.sharpsweep.sweeps.Seeds.stream(p.initSeed(), "init")).toDoubleVector();
            steps[i] = new double[end.length];
            for (int j = 0; j < end.length; j++) steps[i][j] = (end[j] - start[j]) / p.spec().train().lr();
        }
        for (int j = 0; j < steps[0].length; j++) {
            assertEquals(steps[0][j], steps[2][j], 1e-12 * Math.max(1, Math.abs(steps[0][j])), "replicate 0, component " + j);
            assertEquals(steps[1][j], steps[3][j], 1e-12 * Math.max(1, Math.abs(steps[1][j])), "replicate 1, component " + j);
        }
        assertFalse(java.util.Arrays.equals(steps[0], steps[1]), "replicates differ");
        assertTrue(points.get(0).initSeed() != points.get(1).initSeed());
    }

    private static List<String> union(Map<String, Object> a, Map<String, Object> b) {
        List<String> keys = new ArrayList<>(a.keySet());
        for (String k : b.keySet()) if (!a.containsKey(k)) keys.add(k);
        return keys;
    }

    private static void assertEqualValues(Object expected, Object actual, String what) {
        if (expected instanceof double[] e && actual instanceof double[] a) {
            assertArrayEquals(e, a, 0.0, what);
        } else if (expected instanceof Double e && actual instanceof Double a) {
            assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(a), what + ": " + e + " vs " + a);
        } else {
            assertEquals(expected, actual, what);
        }
    }
}
