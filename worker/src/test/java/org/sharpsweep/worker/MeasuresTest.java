package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * The measures beyond the final sharpness, against oracles on tiny networks whose Hessian is
 * formed densely (P columns of exact products) and decomposed by Commons Math: measurements
 * along training ({@code measure.every}), the window statistics, Hutchinson's trace, the top k
 * eigenvalues and the spectral density.
 */
class MeasuresTest {

    private static final String TINY = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: tanh}
            """;

    /** The parameters of the point after {@code steps} updates, trained again from scratch. */
    private static INDArray paramsAfter(GridPoint p, int steps) {
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        Mlp model = model(p);
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Trainer.train(model, theta, data.trainX(), data.trainY(), spec.settings().with(Setting.STEPS, steps).train(),
                spec.penalty(), p.orderSeed());
        return theta;
    }

    private static Mlp model(GridPoint p) {
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        return new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
    }

    /** The dense Hessian of the training loss at theta, descending eigenvalues. */
    private static double[] eigenvaluesAt(GridPoint p, INDArray theta) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Curvature c = new Curvature(model(p), theta, data.trainX(), data.trainY(), data.nTrain());
        double[] ev = CurvatureTest.eigenvalues(CurvatureTest.dense(c.dim(), c.hessian()));
        double[] desc = new double[ev.length];
        for (int i = 0; i < ev.length; i++) desc[i] = ev[ev.length - 1 - i];
        return desc;
    }

    private static double traceAt(GridPoint p, INDArray theta) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Curvature c = new Curvature(model(p), theta, data.trainX(), data.trainY(), data.nTrain());
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        return h.getTrace();
    }

    @Test
    void everyKStepsARowWhoseSharpnessIsTheDenseTopEigenvalueThere() {
        GridPoint p = SweepSpec.parse(TINY + """
                train: {steps: 50, lr: 0.3}
                measure: {every: 15, window: 20, trace: true, nonuniformity: false, tol: 1e-8}
                """).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        List<Map<String, Object>> rows = r.rows(ResultSchema.TRAJECTORIES);
        List<Integer> steps = rows.stream().map(m -> (Integer) m.get(ResultSchema.STEP)).toList();
        assertEquals(List.of(0, 15, 30, 45, 50), steps, "step 0, every 15, and the last step");
        for (Map<String, Object> row : rows) {
            int step = (Integer) row.get(ResultSchema.STEP);
            INDArray theta = paramsAfter(p, step);
            double top = eigenvaluesAt(p, theta)[0];
            double s = (Double) row.get(ResultSchema.SHARPNESS);
            assertEquals(top, s, 1e-6 * Math.abs(top), "sharpness at step " + step);
            assertEquals(theta.norm2Number().doubleValue(), (Double) row.get(ResultSchema.PARAM_NORM), 1e-12, "param_norm at " + step);
            assertNotNull(row.get(ResultSchema.TRAIN_LOSS));
            assertNotNull(row.get(ResultSchema.TEST_LOSS));
            assertNotNull(row.get(ResultSchema.GRAD_NORM));
            assertNotNull(row.get(ResultSchema.HESSIAN_TRACE));
            assertTrue((Double) row.get(ResultSchema.TRAIN_SECONDS) >= 0);
        }
        Map<String, Object> last = rows.get(rows.size() - 1);
        assertEquals(r.number(ResultSchema.TRAIN_LOSS), last.get(ResultSchema.TRAIN_LOSS), "the last row is the final measurement");
        assertEquals(r.number(ResultSchema.SHARPNESS), last.get(ResultSchema.SHARPNESS));
        // window: the measurements at steps >= 50 - 20 = 30 (30, 45, 50)
        List<Double> window = new ArrayList<>();
        for (Map<String, Object> row : rows) if ((Integer) row.get(ResultSchema.STEP) >= 30) window.add((Double) row.get(ResultSchema.SHARPNESS));
        assertEquals(3, r.integer(ResultSchema.SHARPNESS_WINDOW_N));
        assertEquals(window.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), r.number(ResultSchema.SHARPNESS_WINDOW_MEAN), 1e-12);
        assertEquals(window.stream().min(Comparator.naturalOrder()).orElseThrow(), r.number(ResultSchema.SHARPNESS_WINDOW_MIN));
        assertEquals(window.stream().max(Comparator.naturalOrder()).orElseThrow(), r.number(ResultSchema.SHARPNESS_WINDOW_MAX));
        // a warm start from the previous eigenvector reaches the same value
        assertTrue(rows.stream().skip(1).allMatch(m -> (Integer) m.get(ResultSchema.SHARPNESS_ITERS) >= 1));
    }

    @Test
    void withoutEveryThereAreNoTrajectoryRowsAndNoWindow() {
        PointResult r = PointRunner.run(SweepSpec.parse(TINY + "train: {steps: 10}\n").point(0));
        assertEquals(Status.OK, r.status(), r.error());
        assertTrue(r.rows(ResultSchema.TRAJECTORIES).isEmpty());
        assertTrue(r.rows(ResultSchema.SPECTRA).isEmpty());
        assertNull(r.number(ResultSchema.SHARPNESS_WINDOW_MEAN));
        assertNull(r.number(ResultSchema.HESSIAN_TRACE));
    }

    @Test
    void aDivergedPointKeepsItsTrajectoryUpToTheDivergence() {
        PointResult r = PointRunner.run(SweepSpec.parse("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 16, n_test: 16}
                model: {width: 8}
                train: {steps: 300, lr: 300.0}
                measure: {every: 1, window: 5, nonuniformity: false}
                """).point(0));
        assertEquals(Status.DIVERGED, r.status(), r.error());
        List<Map<String, Object>> rows = r.rows(ResultSchema.TRAJECTORIES);
        assertEquals(r.integer(ResultSchema.DIVERGED_AT_STEP) + 1, rows.size(), "steps 0 .. the last update before the diverging step");
        assertNull(r.number(ResultSchema.SHARPNESS_WINDOW_MEAN), "a DIVERGED point has no final metrics");
    }

    @Test
    void float32TrainingIsMeasuredInFloat64AlongTheWay() {
        GridPoint p = SweepSpec.parse(TINY + """
                train: {steps: 20, lr: 0.2, dtype: float32}
                measure: {every: 10, nonuniformity: false}
                """).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        assertEquals(List.of(0, 10, 20), r.rows(ResultSchema.TRAJECTORIES).stream().map(m -> m.get(ResultSchema.STEP)).toList());
        double at0 = (Double) r.rows(ResultSchema.TRAJECTORIES).get(0).get(ResultSchema.SHARPNESS);
        assertEquals(eigenvaluesAt(p, paramsAfter(p, 0))[0], at0, 1e-4 * Math.abs(at0));
    }

    @Test
    void hutchinsonsTraceIsTheDenseTraceWithinThreeStandardErrors() {
        for (String act : List.of("tanh", "relu")) {
            GridPoint p = SweepSpec.parse(TINY.replace("tanh", act) + """
                    train: {steps: 30, lr: 0.1}
                    measure: {trace: true, trace_tol: 1e-4, nonuniformity: false}
                    """).point(0);
            PointResult r = PointRunner.run(p);
            assertEquals(Status.OK, r.status(), r.error());
            double exact = traceAt(p, paramsAfter(p, 30));
            double est = r.number(ResultSchema.HESSIAN_TRACE), se = r.number(ResultSchema.HESSIAN_TRACE_STDERR);
            assertTrue(se > 0, "a non-diagonal Hessian has a positive standard error");
            assertTrue(Math.abs(est - exact) <= 3 * se, act + ": trace " + est + " +- " + se + " vs exact " + exact);
            assertTrue(r.integer(ResultSchema.HESSIAN_TRACE_PROBES) >= 2);
        }
    }

    @Test
    void topKAndTheDensityAgreeWithTheDenseSpectrum() {
        GridPoint p = SweepSpec.parse(TINY + """
                train: {steps: 30, lr: 0.1}
                measure: {top_k: 3, density: true, nonuniformity: false, tol: 1e-8}
                """).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        double[] dense = eigenvaluesAt(p, paramsAfter(p, 30));
        List<Map<String, Object>> top = r.rows(ResultSchema.SPECTRA).stream().filter(m -> "top_k".equals(m.get(ResultSchema.KIND))).toList();
        assertEquals(3, top.size());
        for (int j = 0; j < 3; j++) {
            assertEquals(j + 1, top.get(j).get(ResultSchema.RANK));
            assertEquals(30, top.get(j).get(ResultSchema.STEP));
            assertNull(top.get(j).get(ResultSchema.WEIGHT));
            assertEquals(dense[j], (Double) top.get(j).get(ResultSchema.EIGENVALUE), 1e-6 * Math.abs(dense[0]), "eigenvalue " + (j + 1));
        }
        List<Map<String, Object>> density = r.rows(ResultSchema.SPECTRA).stream().filter(m -> "density".equals(m.get(ResultSchema.KIND))).toList();
        assertTrue(density.size() >= 3, "nodes of one probe");
        double weights = density.stream().mapToDouble(m -> (Double) m.get(ResultSchema.WEIGHT)).sum();
        assertEquals(1.0, weights, 1e-10, "a probe's weights sum to 1");
        double topNode = density.stream().mapToDouble(m -> (Double) m.get(ResultSchema.EIGENVALUE)).max().orElseThrow();
        assertEquals(r.number(ResultSchema.SHARPNESS), topNode, 1e-6 * Math.abs(topNode), "the top node is the sharpness");
        assertEquals(topNode, density.get(0).get(ResultSchema.EIGENVALUE), "rank 1 is the largest node");
    }
}
