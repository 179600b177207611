package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

class PointRunnerTest {

    static GridPoint point(String yaml) {
        return SweepSpec.parse(yaml).point(0);
    }

    /**
     * measure.along_curvature: false keeps the trajectories to the losses and norms (no sharpness
     * along training) and measures the curvature at the end only, with the same final numbers;
     * the per-step losses are those of the point trained with the curvature along.
     */
    @Test
    void withoutCurvatureAlongTrainingTheTrajectoryKeepsTheLossesAndTheEndTheSharpness() {
        String yaml = """
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 16, n_test: 16}
                model: {depth: 1, width: 4, activation: tanh}
                train: {steps: 6, lr: 0.1}
                measure: {max_iters: 30, nonuniformity: false, every: 2%s}
                """;
        PointResult along = PointRunner.run(point(yaml.formatted("")));
        PointResult lossesOnly = PointRunner.run(point(yaml.formatted(", along_curvature: false")));
        assertEquals(Status.OK, lossesOnly.status(), lossesOnly.error());
        List<Map<String, Object>> a = along.rows(ResultSchema.TRAJECTORIES), l = lossesOnly.rows(ResultSchema.TRAJECTORIES);
        assertEquals(4, l.size(), "steps 0, 2, 4, 6");
        for (int i = 0; i < l.size(); i++) {
            assertNotNull(a.get(i).get(ResultSchema.SHARPNESS), "with the curvature along, step " + a.get(i).get(ResultSchema.STEP));
            assertNull(l.get(i).get(ResultSchema.SHARPNESS), "without, step " + l.get(i).get(ResultSchema.STEP));
            assertEquals(a.get(i).get(ResultSchema.TRAIN_LOSS), l.get(i).get(ResultSchema.TRAIN_LOSS));
        }
        double s = along.number(ResultSchema.SHARPNESS).doubleValue();
        assertEquals(s, lossesOnly.number(ResultSchema.SHARPNESS).doubleValue(), 1e-8 * s, "the sharpness at the end");
    }

    @Test
    void anOkPointHasEveryMetricAndItsRowEveryColumn() {
        GridPoint p = point("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 16, n_test: 16}
                model: {depth: 1, width: 4, activation: tanh}
                train: {steps: 30, lr: 0.1, batch_size: 4}
                measure: {max_iters: 30}
                """);
        PointResult r = PointRunner.run(p);
        assertEquals(Status.OK, r.status(), r.error());
        for (Object v : new Object[]{r.number(ResultSchema.TRAIN_LOSS), r.number(ResultSchema.TEST_LOSS), r.number(ResultSchema.SHARPNESS), r.number(ResultSchema.SHARPNESS_RESIDUAL), r.number(ResultSchema.NONUNIFORMITY),
                r.number(ResultSchema.STABILITY_MAX_EIG), r.number(ResultSchema.PARAM_NORM), r.number(ResultSchema.GRAD_NORM), r.number(ResultSchema.SHARPNESS_BOUND), r.number(ResultSchema.NONUNIFORMITY_BOUND)}) {
            assertNotNull(v);
        }
        assertNull(r.number(ResultSchema.TRAIN_ACC), "no accuracy for regression");
        assertEquals(2 / 0.1, r.number(ResultSchema.SHARPNESS_BOUND), 1e-12);
        assertEquals(Math.sqrt(4.0 * 15 / 12) / 0.1, r.number(ResultSchema.NONUNIFORMITY_BOUND), 1e-12);
        assertTrue(r.number(ResultSchema.SHARPNESS_RESIDUAL) <= 1e-4 || r.integer(ResultSchema.SHARPNESS_ITERS) == 30);
        Map<String, Object> row = ResultRow.of("t", p, r);
        assertEquals(ResultSchema.columns().size(), row.size());
        assertEquals(0.1, row.get("lr"));
        assertEquals(4, row.get("batch_size"));
        assertEquals("tanh", row.get("activation"));
        assertEquals(p.seed(), row.get("seed"));
        // provenance: the kernel that computed the row, as the loaded OpenBLAS reports it
        assertEquals("cpu", row.get(ResultSchema.BACKEND));
        assertEquals(org.sharpsweep.worker.blas.Blas.core(), row.get(ResultSchema.BLAS_CORE));
        assertNotNull(row.get(ResultSchema.BLAS_CORE), "the CPU backend names its OpenBLAS kernel");
    }

    /**
     * A float32 point trains in float32 and measures in float64: an OK row with dtype float32,
     * metrics within the float32 trajectory tolerance of Float32TrainingTest (1e-4 relative) of
     * the float64 point's, and not bit-equal to them (it did train in float32). The two are
     * different points with different ids and seeds; under shared seeds (the default) they start
     * from the same parameters and see the same batches.
     */
    @Test
    void aFloat32PointMeasuresInDoubleCloseToItsFloat64Twin() {
        String yaml = """
                name: t
                data: {dataset: teacher, input_dim: 4, n_train: 32, n_test: 32}
                model: {depth: 1, width: 8, activation: tanh}
                train: {steps: 200, lr: 0.1, batch_size: 32, dtype: %s}
                measure: {max_iters: 40}
                """;
        GridPoint p64 = point(yaml.formatted("float64"));
        GridPoint p32 = point(yaml.formatted("float32"));
        assertTrue(p32.seed() != p64.seed() && p32.initSeed() == p64.initSeed() && p32.orderSeed() == p64.orderSeed());
        PointResult r64 = PointRunner.run(p64);
        PointResult r32 = PointRunner.run(p32);
        assertEquals(Status.OK, r32.status(), r32.error());
        assertEquals("float32", ResultRow.of("t", p32, r32).get("dtype"));
        assertEquals("float64", ResultRow.of("t", p64, r64).get("dtype"));
        assertTrue(Math.abs(r32.number(ResultSchema.TRAIN_LOSS) - r64.number(ResultSchema.TRAIN_LOSS)) <= 1e-4 * r64.number(ResultSchema.TRAIN_LOSS), r32.number(ResultSchema.TRAIN_LOSS) + " vs " + r64.number(ResultSchema.TRAIN_LOSS));
        assertTrue(Math.abs(r32.number(ResultSchema.SHARPNESS) - r64.number(ResultSchema.SHARPNESS)) <= 1e-3 * r64.number(ResultSchema.SHARPNESS), r32.number(ResultSchema.SHARPNESS) + " vs " + r64.number(ResultSchema.SHARPNESS));
        assertTrue(!r32.number(ResultSchema.TRAIN_LOSS).equals(r64.number(ResultSchema.TRAIN_LOSS)), "trained in float32");
    }

    @Test
    void measureFlagsLeaveTheirColumnsNull() {
        PointResult r = PointRunner.run(point("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 8, n_test: 8}
                model: {width: 3}
                train: {steps: 5}
                measure: {sharpness: false, nonuniformity: false}
                """));
        assertEquals(Status.OK, r.status(), r.error());
        assertNull(r.number(ResultSchema.SHARPNESS));
        assertNull(r.number(ResultSchema.NONUNIFORMITY));
        assertNull(r.number(ResultSchema.STABILITY_MAX_EIG));
        assertNotNull(r.number(ResultSchema.TRAIN_LOSS));
        assertNull(r.number(ResultSchema.NONUNIFORMITY_BOUND), "full-batch GD has no non-uniformity bound");
    }

    @Test
    void divergenceIsAResultWithoutMadeUpMetrics() {
        PointResult r = PointRunner.run(point("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 16, n_test: 16}
                model: {width: 8}
                train: {steps: 300, lr: 300.0}
                """));
        assertEquals(Status.DIVERGED, r.status());
        assertNotNull(r.integer(ResultSchema.DIVERGED_AT_STEP));
        assertNull(r.number(ResultSchema.TRAIN_LOSS));
        assertNull(r.number(ResultSchema.SHARPNESS));
        assertTrue(r.error().contains("loss"));
    }

    @Test
    void anExceptionIsAFailedResult(@TempDir Path empty) {
        PointResult r = PointRunner.run(point("""
                name: t
                data: {dataset: mnist, path: %s, n_train: 8, n_test: 8}
                """.formatted(empty)));
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.error().contains("train-labels-idx1-ubyte"), r.error());
    }

    /**
     * The exported files hold exactly the parameters, in the documented layout: retraining the
     * same point gives theta, whose slices must equal the files that ND4J's own NumPy reader
     * loads back.
     */
    @Test
    void savedParametersAreTheFinalOnesInNumpyFormat(@TempDir Path dir) throws Exception {
        GridPoint p = point("""
                name: t
                data: {dataset: teacher, input_dim: 3, n_train: 8, n_test: 8}
                model: {depth: 2, width: 4}
                train: {steps: 10, lr: 0.1}
                measure: {sharpness: false, nonuniformity: false}
                """);
        assertEquals(Status.OK, PointRunner.run(p, dir).status());
        Data data = Datasets.load(p.spec().data(), p.sweepSeed());
        Mlp model = new Mlp(3, 2, 4, 1, p.spec().model().activation(), p.spec().model().init(), p.spec().loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Trainer.train(model, theta, data.trainX(), data.trainY(), p.spec().train(), p.spec().penalty(), p.orderSeed());
        for (int l = 0; l < 3; l++) {
            INDArray w = Nd4j.createFromNpyFile(dir.resolve("W" + (l + 1) + ".npy").toFile());
            INDArray b = Nd4j.createFromNpyFile(dir.resolve("b" + (l + 1) + ".npy").toFile());
            assertArrayEquals(new long[]{model.fanIn(l), model.fanOut(l)}, w.shape());
            assertArrayEquals(new long[]{model.fanOut(l)}, b.shape());
            INDArray wTheta = theta.get(NDArrayIndex.interval(model.weightOffset(l),
                    model.weightOffset(l) + (long) model.fanIn(l) * model.fanOut(l))).reshape('c', model.fanIn(l), model.fanOut(l));
            assertEquals(wTheta.castTo(w.dataType()), w, "W" + (l + 1));
            assertEquals(wTheta.getDouble(0, 1), w.getDouble(0, 1), 0.0);
        }
        assertTrue(Files.exists(dir.resolve("b3.npy")));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("model.json").toFile());
        assertEquals("mlp", json.get("family").asText());
        assertEquals(3, json.get("inputs").asInt());
        assertEquals(2, json.get("depth").asInt());
        assertEquals(4, json.get("width").asInt());
        assertEquals(1, json.get("outputs").asInt());
        assertEquals(p.spec().model().activation().specName(), json.get("activation").asText());
        assertEquals(model.numParams(), json.get("num_params").asInt());
    }
}
