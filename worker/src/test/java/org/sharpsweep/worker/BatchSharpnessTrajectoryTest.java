package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;

/**
 * Batch sharpness along training ({@code measure.every}): a point that asks for it has its column
 * in every trajectories row, each the measure at that step's parameters from that step's own
 * minibatches (its stream {@code batch-sharpness-<step>}), and in its results row; a point that
 * does not ask has it null in both. The value itself is checked against dense Hessians in
 * {@code measure.BatchSharpnessTest}.
 */
class BatchSharpnessTrajectoryTest {
    /** The same computation at the same parameters. */
    private static final double SAME_RTOL = 1e-12;

    private static final String TINY = """
            name: t
            data: {dataset: teacher, input_dim: 3, n_train: 24, n_test: 16}
            model: {depth: 1, width: 4, activation: tanh}
            train: {steps: 40, lr: 0.2, batch_size: 6}
            measure: {batch_sharpness: {batches: 8}, nonuniformity: false, every: 20, save_params: true}
            """;

    /** The measure alone at theta, as the recorder computes it at {@code step}. */
    private static double along(GridPoint p, INDArray theta, int step) {
        PointSpec spec = p.spec();
        Data data = DataCache.get(spec.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(), spec.model().activation(),
                spec.model().init(), spec.loss());
        Curvature c = new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain());
        Map<String, Object> out = new HashMap<>();
        Measurements.of(Measures.BATCH_SHARPNESS_MEASURE).measure(new MeasureContext(c, spec.measure(), spec.train().lr(),
                spec.train().batchSize(), p.seed(), step, new MeasureContext.Memory(), out::put, (t, r) -> { }));
        return (Double) out.get(Measures.BATCH_SHARPNESS);
    }

    @Test
    void everyTrajectoryRowHasTheBatchSharpnessOfItsStep() {
        GridPoint p = SweepSpec.parse(TINY).point(0);
        assertEquals(8, p.spec().measure().intValue(Measures.BATCH_SHARPNESS_BATCHES), "the map form under the switch");
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        List<Map<String, Object>> rows = r.rows(ResultSchema.TRAJECTORIES);
        assertEquals(List.of(0, 20, 40), rows.stream().map(m -> m.get(ResultSchema.STEP)).toList());
        for (Map<String, Object> row : rows) {
            Double v = (Double) row.get(Measures.BATCH_SHARPNESS);
            assertNotNull(v, "step " + row.get(ResultSchema.STEP));
            assertTrue(Double.isFinite(v) && (Double) row.get(Measures.BATCH_SHARPNESS_STDERR) > 0, "step " + row.get(ResultSchema.STEP));
        }

        Data data = DataCache.get(p.spec().data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), p.spec().model().depth(), p.spec().model().width(), data.outputs(),
                p.spec().model().activation(), p.spec().model().init(), p.spec().loss());
        INDArray init = model.initParams(Seeds.stream(p.initSeed(), "init"));
        double atStart = along(p, init, 0);
        assertEquals(atStart, (Double) rows.get(0).get(Measures.BATCH_SHARPNESS), SAME_RTOL * Math.abs(atStart), "step 0");

        INDArray end = Nd4j.createFromArray((double[]) r.rows(ResultSchema.PARAMS_TABLE).get(0).get(ResultSchema.PARAMS));
        double atEnd = along(p, end, 40);
        assertEquals(atEnd, (Double) rows.get(2).get(Measures.BATCH_SHARPNESS), SAME_RTOL * Math.abs(atEnd), "step 40");

        assertNotNull(r.get(Measures.BATCH_SHARPNESS), "and at the end, in the results row");
        assertEquals(8, r.get(Measures.BATCH_SHARPNESS_N));
    }

    @Test
    void offItIsNullAlongTrainingAndAtTheEnd() {
        GridPoint p = SweepSpec.parse(TINY.replace("batch_sharpness: {batches: 8}, ", "sharpness: true, ")).point(0);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        for (Map<String, Object> row : r.rows(ResultSchema.TRAJECTORIES)) {
            assertNotNull(row.get(ResultSchema.SHARPNESS));
            assertNull(row.get(Measures.BATCH_SHARPNESS), "step " + row.get(ResultSchema.STEP));
        }
        assertNull(r.get(Measures.BATCH_SHARPNESS));
    }
}
