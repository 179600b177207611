package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;

/**
 * Learning rates in units of 2/lambda_0 ({@code train.lr_in_2_over_lambda0}): lambda_0 is the
 * dense Hessian's top eigenvalue at the initial parameters, the point trains exactly as the point
 * with lr = multiple x 2/lambda_0 written out (shared seeds: the same start and batches), and its
 * row records both the multiple and that lr.
 */
class LrInUnitsOfLambda0Test {
    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static final String SPEC = """
            name: units
            seeds: shared
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: tanh}
            train: {steps: 40, %s, batch_size: 8}
            measure: {tol: 1e-10, max_iters: 200, sharpness: true, nonuniformity: true}
            """;

    @Test
    void theLearningRateIsTheMultipleOfTwoOverTheDenseLambda0AndTrainsAsWrittenOut() {
        GridPoint p = SweepSpec.parse(SPEC.formatted("lr_in_2_over_lambda0: 0.5")).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());

        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                spec.model().activation(), spec.model().init(), spec.loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Curvature c = new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain());
        RealMatrix h = CurvatureTest.dense(c.dim(), c.hessian());
        double lambda0 = CurvatureTest.max(CurvatureTest.eigenvalues(h));
        assertEquals(lambda0, (Double) r.get(Measures.SHARPNESS_INIT), 1e-8 * lambda0, "lambda_0 from the dense Hessian at the start");
        assertEquals(0.5 * 2 / lambda0, r.lr(), 1e-8 * r.lr());
        assertEquals(2 / r.lr(), (Double) r.get(ResultSchema.SHARPNESS_BOUND), 1e-12, "the bound is 2/lr of the lr it trained with");

        Map<String, Object> row = ResultRow.of("s", p, r);
        assertEquals(r.lr(), row.get("lr"));
        assertEquals(0.5, row.get("lr_in_2_over_lambda0"));

        GridPoint written = SweepSpec.parse(SPEC.formatted("lr: " + r.lr())).point(0);
        assertNotEquals(p.pointId(), written.pointId(), "the id hashes what the user wrote");
        assertEquals(p.initSeed(), written.initSeed());
        assertEquals(p.orderSeed(), written.orderSeed());
        PointResult w = PointRunner.run(written);
        for (String column : new String[] {ResultSchema.TRAIN_LOSS, ResultSchema.TEST_LOSS, ResultSchema.SHARPNESS,
                ResultSchema.NONUNIFORMITY, ResultSchema.STABILITY_MAX_EIG}) {
            assertEquals((Double) w.get(column), (Double) r.get(column), 1e-12 * Math.abs((Double) w.get(column)), column);
        }
        assertEquals(null, w.lr(), "a point with a written lr resolves none");
        assertEquals(null, ResultRow.of("s", written, w).get("lr_in_2_over_lambda0"));
    }

    @Test
    void aMultipleAndAnLrTogetherAreRefusedAndAGridOfMultiplesGivesOneIdEach() {
        SpecException both = assertThrows(SpecException.class,
                () -> SweepSpec.parse(SPEC.formatted("lr: 0.1, lr_in_2_over_lambda0: 1.0")));
        assertTrue(both.getMessage().contains("train.lr and train.lr_in_2_over_lambda0 are both given"), both.getMessage());
        SpecException bad = assertThrows(SpecException.class, () -> SweepSpec.parse(SPEC.formatted("lr_in_2_over_lambda0: -1.0")));
        assertTrue(bad.getMessage().contains("train.lr_in_2_over_lambda0 must be > 0 and finite, got -1"), bad.getMessage());
        SweepSpec grid = SweepSpec.parse(SPEC.formatted("momentum: 0.0") + "grid:\n  lr_in_2_over_lambda0: [0.5, 1.0, 2.0]\n");
        assertEquals(3, grid.points().stream().map(GridPoint::pointId).distinct().count());
        SweepSpec fixed = SweepSpec.parse(SPEC.formatted("lr_in_2_over_lambda0: 1.5"));
        for (SweepSpec s : new SweepSpec[] {grid, fixed}) {
            SweepSpec back = SweepSpec.parse(s.toYaml()); // the kept spec reads back (lr left out, as the user wrote it)
            assertEquals(s.points().stream().map(GridPoint::pointId).toList(), back.points().stream().map(GridPoint::pointId).toList());
        }
    }

    @Test
    void aLambda0ThatIsNotPositiveFailsThePointWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PointRunner.lrFromLambda0(1.0, -0.25));
        assertTrue(e.getMessage().contains("lambda_0 = -0.25 at the initial parameters is not positive"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> PointRunner.lrFromLambda0(1.0, 0.0));
        assertThrows(IllegalStateException.class, () -> PointRunner.lrFromLambda0(1.0, Double.NaN));
        assertThrows(IllegalStateException.class, () -> PointRunner.lrFromLambda0(1e300, 1e-300));
        assertEquals(0.8, PointRunner.lrFromLambda0(2.0, 5.0), 1e-15);
    }
}
