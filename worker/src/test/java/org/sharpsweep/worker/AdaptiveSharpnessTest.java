package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
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
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * Adaptive sharpness (measure.adaptive) against its definition on tiny networks whose Hessian is
 * formed densely: lambda_max(D H D) and tr(D H D) with D = diag(|theta|), where D H D is the dense
 * Hessian scaled row and column by |theta| and decomposed by Commons Math; and its invariance:
 * scaling a ReLU network's hidden layer by a and the next layer's weights by 1/a leaves the
 * function, and so the adaptive sharpness, unchanged, while the plain sharpness moves.
 */
class AdaptiveSharpnessTest {
    /** Lanczos at tol 1e-10 against a dense eigen-decomposition. */
    private static final double EIG_TOL = 1e-7;

    private static final String TINY = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: relu}
            train: {steps: 40, lr: 0.2}
            measure: {adaptive: true, nonuniformity: false, tol: 1e-10, trace_tol: 1e-4}
            """;

    private static Mlp model(GridPoint p) {
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        return new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
    }

    private static INDArray trained(GridPoint p, int steps) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Mlp model = model(p);
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Trainer.train(model, theta, data.trainX(), data.trainY(), p.spec().settings().with(Setting.STEPS, steps).train(),
                p.spec().penalty(), p.orderSeed());
        return theta;
    }

    /** The dense D H D at theta. */
    private static RealMatrix denseDhd(GridPoint p, INDArray theta) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Curvature c = new Curvature(model(p), theta, data.trainX(), data.trainY(), data.nTrain());
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        for (int i = 0; i < c.dim(); i++) {
            for (int j = 0; j < c.dim(); j++) {
                h.setEntry(i, j, h.getEntry(i, j) * Math.abs(theta.getDouble(i)) * Math.abs(theta.getDouble(j)));
            }
        }
        return h;
    }

    /** The adaptive measure alone at theta, as the engine computes it at the end of training. */
    private static Map<String, Object> measureAt(GridPoint p, INDArray theta) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Curvature c = new Curvature(model(p), theta, data.trainX(), data.trainY(), data.nTrain());
        Map<String, Object> out = new HashMap<>();
        Measurements.of(Measures.ADAPTIVE).measure(new MeasureContext(c, p.spec().measure(), p.spec().train().lr(),
                p.spec().train().batchSize(), p.seed(), 0, null, out::put, (table, row) -> { }));
        return out;
    }

    @Test
    void theColumnsAreTheTopEigenvalueAndTraceOfTheDenseDhd() {
        for (String act : List.of("relu", "tanh")) {
            GridPoint p = SweepSpec.parse(TINY.replace("relu", act)).point(0);
            PointResult r = PointRunner.run(p);
            assertEquals(Status.OK, r.status(), r.error());
            RealMatrix dhd = denseDhd(p, trained(p, 40));
            double[] ev = CurvatureTest.eigenvalues(dhd);
            double top = ev[ev.length - 1];
            double a = r.number(Measures.ADAPTIVE_SHARPNESS);
            assertEquals(top, a, EIG_TOL * Math.abs(top), act + ": lambda_max(D H D)");
            assertTrue(r.number(Measures.ADAPTIVE_SHARPNESS_RESIDUAL) <= 1e-10, act + ": converged");
            double exact = dhd.getTrace();
            double est = r.number(Measures.ADAPTIVE_TRACE), se = r.number(Measures.ADAPTIVE_TRACE_STDERR);
            assertTrue(se > 0, act + ": a non-diagonal D H D has a positive standard error");
            assertTrue(Math.abs(est - exact) <= 3 * se, act + ": adaptive trace " + est + " +- " + se + " vs exact " + exact);
            assertTrue(r.integer(Measures.ADAPTIVE_TRACE_PROBES) >= 2);
        }
    }

    @Test
    void rescalingTheLayersOfAReluNetworkChangesTheSharpnessButNotTheAdaptiveSharpness() {
        GridPoint p = SweepSpec.parse(TINY).point(0);
        Mlp model = model(p);
        INDArray theta = trained(p, 40);
        double a = 3.0;
        INDArray scaled = theta.dup();
        long w1 = model.weightOffset(0), b1 = model.biasOffset(0), w2 = model.weightOffset(1), b2 = model.biasOffset(1);
        for (long i = w1; i < b1 + model.fanOut(0); i++) scaled.putScalar(i, theta.getDouble(i) * a); // W1 and b1
        for (long i = w2; i < b2; i++) scaled.putScalar(i, theta.getDouble(i) / a);                   // W2
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        assertEquals(model.loss(theta, data.trainX(), data.trainY()), model.loss(scaled, data.trainX(), data.trainY()), 1e-12,
                "the same function");
        double before = (Double) measureAt(p, theta).get(Measures.ADAPTIVE_SHARPNESS);
        double after = (Double) measureAt(p, scaled).get(Measures.ADAPTIVE_SHARPNESS);
        assertEquals(before, after, EIG_TOL * before, "adaptive sharpness is invariant to the rescaling");
        double[] h0 = CurvatureTest.eigenvalues(CurvatureTest.dense((int) theta.length(),
                new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain()).hessian()));
        double[] h1 = CurvatureTest.eigenvalues(CurvatureTest.dense((int) theta.length(),
                new Curvature(model, scaled, data.trainX(), data.trainY(), data.nTrain()).hessian()));
        assertTrue(Math.abs(h0[h0.length - 1] - h1[h1.length - 1]) > 0.05 * h0[h0.length - 1],
                "while the plain sharpness moves: " + h0[h0.length - 1] + " vs " + h1[h1.length - 1]);
    }

    @Test
    void alongTrainingEveryRowHasTheAdaptiveSharpnessOfItsStep() {
        GridPoint p = SweepSpec.parse(TINY.replace("nonuniformity: false,", "nonuniformity: false, every: 20,")).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        List<Map<String, Object>> rows = r.rows(ResultSchema.TRAJECTORIES);
        assertEquals(List.of(0, 20, 40), rows.stream().map(m -> m.get(ResultSchema.STEP)).toList());
        for (Map<String, Object> row : rows) {
            int step = (Integer) row.get(ResultSchema.STEP);
            double[] ev = CurvatureTest.eigenvalues(denseDhd(p, trained(p, step)));
            double top = ev[ev.length - 1];
            assertEquals(top, (Double) row.get(Measures.ADAPTIVE_SHARPNESS), EIG_TOL * Math.abs(top), "step " + step);
            assertNotNull(row.get(Measures.ADAPTIVE_TRACE), "step " + step);
        }
    }
}
