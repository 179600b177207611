package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;

/**
 * sharpness_init (lambda_0) against its definition: the top eigenvalue of the dense Hessian of a
 * tiny network at the point's initial parameters (rebuilt from its seed, or the saved parameters
 * a restart starts from), decomposed by Commons Math; kept by a point that diverges (lambda_0 is
 * what says lr > 2 / lambda_0); null when the sharpness is not asked for.
 */
class SharpnessInitTest {
    /** Lanczos at tol 1e-10 against a dense eigen-decomposition. */
    private static final double EIG_TOL = 1e-7;

    private static final String TINY = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: relu}
            train: {steps: 30, lr: 0.2}
            measure: {nonuniformity: false, tol: 1e-10}
            """;

    private static Mlp model(GridPoint p) {
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        return new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
    }

    /** lambda_max of the dense Hessian at theta. */
    private static double denseTop(GridPoint p, INDArray theta) {
        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Curvature c = new Curvature(model(p), theta, data.trainX(), data.trainY(), data.nTrain());
        double[] ev = CurvatureTest.eigenvalues(CurvatureTest.dense(c.dim(), c.hessian()));
        return ev[ev.length - 1];
    }

    private static INDArray init(GridPoint p) {
        return model(p).initParams(Seeds.stream(p.initSeed(), "init"));
    }

    @Test
    void isTheTopEigenvalueOfTheDenseHessianAtTheInitialization() {
        for (String act : List.of("relu", "tanh")) {
            GridPoint p = SweepSpec.parse(TINY.replace("relu", act)).point(0);
            PointResult r = PointRunner.run(p);
            assertEquals(Status.OK, r.status(), r.error());
            double top = denseTop(p, init(p));
            assertEquals(top, r.number(Measures.SHARPNESS_INIT), EIG_TOL * Math.abs(top), act + ": lambda_0");
            assertTrue(r.number(Measures.SHARPNESS_INIT_RESIDUAL) <= 1e-10, act + ": converged");
            assertTrue(Math.abs(r.number(ResultSchema.SHARPNESS) - r.number(Measures.SHARPNESS_INIT)) > 1e-6,
                    act + ": training moved the sharpness, and the two columns are not the same measurement");
        }
    }

    @Test
    void aDivergedPointKeepsItsLambda0() {
        GridPoint p = SweepSpec.parse(TINY.replace("lr: 0.2", "lr: 60.0")).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.DIVERGED, r.status(), r.error());
        double top = denseTop(p, init(p));
        assertEquals(top, r.number(Measures.SHARPNESS_INIT), EIG_TOL * Math.abs(top));
        assertTrue(60.0 > 2 / top, "lr above 2 / lambda_0: " + 2 / top);
        assertNull(r.get(ResultSchema.SHARPNESS), "not measured at the end");
    }

    @Test
    void aRestartMeasuresTheParametersItStartsFrom() {
        GridPoint source = SweepSpec.parse(TINY).point(0);
        double[] start = init(source).addi(0.3).toDoubleVector(); // any parameters of the right size
        GridPoint p = SweepSpec.parse(TINY.replace("lr: 0.2}", "lr: 0.2, from_sweep: s, from_point: abc}")).point(0);
        PointResult r = PointRunner.run(p, null, start.clone());
        assertEquals(Status.OK, r.status(), r.error());
        double top = denseTop(p, Nd4j.createFromArray(start));
        assertEquals(top, r.number(Measures.SHARPNESS_INIT), EIG_TOL * Math.abs(top));
    }

    @Test
    void notAskedNotComputed() {
        GridPoint p = SweepSpec.parse(TINY.replace("nonuniformity: false", "nonuniformity: false, sharpness: false")).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        assertNull(r.get(Measures.SHARPNESS_INIT));
        assertNull(r.get(Measures.SHARPNESS_INIT_RESIDUAL));
    }
}
