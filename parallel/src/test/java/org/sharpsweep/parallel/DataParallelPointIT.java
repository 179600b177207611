package org.sharpsweep.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.DataCache;
import org.sharpsweep.worker.PointResult;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.model.Models;

/**
 * A data-parallel point in local Spark (two executor threads) against the same point run by the
 * engine alone: the distributed sums equal the local ones to 1e-12, and the whole row (losses,
 * accuracies, norms, sharpness, non-uniformity, stability, trace, top-k spectrum) to 1e-8.
 */
class DataParallelPointIT {
    private static JavaSparkContext sc;

    @BeforeAll
    static void spark() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("data-parallel-point").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static GridPoint point(String train, String measure) {
        return SweepSpec.parse("name: dp\nseed: 7\ndata: {dataset: teacher, input_dim: 6, n_train: 37, n_test: 50}\n"
                + "model: {depth: 2, width: 9, activation: tanh}\nloss: mse\ntrain: {" + train + "}\nmeasure: {" + measure + "}\n").point(0);
    }

    /** H v on all rows and on the first m, and Sigma's moments, over W partitions (uneven when W does not divide n). */
    @ParameterizedTest(name = "W = {0}, m = {1}")
    @CsvSource({"1, 37", "2, 37", "3, 10", "5, 3", "4, 30"})
    void distributedSumsEqualTheLocalOnes(int workers, int m) {
        GridPoint point = point("steps: 0, lr: 0.1, batch_size: " + 6 * workers + ", parallel: data, workers: " + workers, "nonuniformity_samples: " + m);
        Data data = DataCache.get(point.spec().data(), point.sweepSeed());
        Model model = Models.of(point.spec(), data.inputs(), data.outputs());
        INDArray theta = model.initParams(11);
        Curvature.Sums local = Curvature.local(model, theta, data.trainX(), data.trainY(), m);
        try (SparkSums spread = new SparkSums(sc, point, theta, data.nTrain(), workers)) {
            assertEquals(37, spread.rows());
            assertEquals(m, spread.sampled());
            Random random = new Random(workers * 100 + m);
            for (int trial = 0; trial < 2; trial++) {
                INDArray v = Nd4j.create(DataType.DOUBLE, model.numParams());
                for (int i = 0; i < v.length(); i++) v.putScalar(i, random.nextGaussian());
                for (boolean sampledOnly : new boolean[] {false, true}) {
                    INDArray a = Nd4j.create(DataType.DOUBLE, v.length()), b = Nd4j.create(DataType.DOUBLE, v.length());
                    local.hvp(sampledOnly, v, a);
                    spread.hvp(sampledOnly, v, b);
                    assertClose(a, b, 1e-12, "H v" + (sampledOnly ? " on the first m" : ""));
                }
                INDArray a1 = Nd4j.create(DataType.DOUBLE, v.length()), a2 = Nd4j.create(DataType.DOUBLE, v.length());
                INDArray b1 = Nd4j.create(DataType.DOUBLE, v.length()), b2 = Nd4j.create(DataType.DOUBLE, v.length());
                local.moments(v, a1, a2);
                spread.moments(v, b1, b2);
                assertClose(a1, b1, 1e-12, "sum H_i v");
                assertClose(a2, b2, 1e-12, "sum H_i H_i v");
            }
        }
    }

    /** Rows are dealt in order: 37 over 3 partitions is 13, 12, 12. */
    @Test
    void partitionsCoverTheRowsInOrder() {
        for (int parts = 1; parts <= 7; parts++) {
            int covered = 0;
            for (int j = 0; j < parts; j++) {
                int size = start(j + 1, parts, 37) - start(j, parts, 37);
                assertTrue(size == 37 / parts || size == 37 / parts + 1, "partition " + j + " of " + parts + ": " + size);
                covered += size;
            }
            assertEquals(37, covered);
            assertEquals(37, start(parts, parts, 37));
        }
        assertEquals(List.of(0, 13, 25, 37), List.of(start(0, 3, 37), start(1, 3, 37), start(2, 3, 37), start(3, 3, 37)));
    }

    private static int start(int j, int parts, int n) {
        int base = n / parts, extra = n % parts;
        return j * base + Math.min(j, extra);
    }

    /** The whole row of an SGD point trained over W workers equals the engine's (same batches) to 1e-8. */
    @ParameterizedTest(name = "W = {0}, B = {1}")
    @CsvSource({"1, 12", "2, 12", "3, 36", "4, 8"})
    void aDataParallelPointIsTheEnginesPoint(int workers, int batch) {
        String measure = "nonuniformity_samples: 30, trace: true, top_k: 3";
        String train = "steps: 7, lr: 0.15, batch_size: " + batch;
        PointResult engine = PointRunner.run(point(train, measure));
        PointResult parallel = DataParallelExecution.run(sc, point(train + ", parallel: data, workers: " + workers, measure), null, null);
        assertEquals(Status.OK, engine.status(), engine.error());
        assertEquals(Status.OK, parallel.status(), parallel.error());
        sameRow(engine, parallel, 15);
    }

    /** measure.every: the trajectory (and the window statistics) of a data-parallel point are the engine's to 1e-8. */
    @Test
    void trajectoriesAsTheEngine() {
        String train = "steps: 7, lr: 0.15, batch_size: 12";
        String measure = "every: 3, window: 4, trace: true";
        PointResult engine = PointRunner.run(point(train, measure));
        PointResult parallel = DataParallelExecution.run(sc, point(train + ", parallel: data, workers: 2", measure), null, null);
        assertEquals(Status.OK, engine.status(), engine.error());
        assertEquals(Status.OK, parallel.status(), parallel.error());
        sameRow(engine, parallel, 15);
        assertNotNull(parallel.get(ResultSchema.SHARPNESS_WINDOW_MEAN));
        List<Map<String, Object>> a = engine.rows(ResultSchema.TRAJECTORIES), b = parallel.rows(ResultSchema.TRAJECTORIES);
        assertEquals(List.of(0, 3, 6, 7), a.stream().map(r -> r.get(ResultSchema.STEP)).toList());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get(ResultSchema.STEP), b.get(i).get(ResultSchema.STEP));
            for (String c : new String[] {ResultSchema.TRAIN_LOSS, ResultSchema.TEST_LOSS, ResultSchema.GRAD_NORM, ResultSchema.PARAM_NORM,
                    ResultSchema.SHARPNESS, ResultSchema.HESSIAN_TRACE}) {
                double x = (Double) a.get(i).get(c), y = (Double) b.get(i).get(c);
                assertTrue(Math.abs(x - y) <= 1e-8 * Math.max(1, Math.abs(x)), "step " + a.get(i).get(ResultSchema.STEP) + " " + c + ": " + x + " vs " + y);
            }
        }
    }

    /** A point that starts from saved parameters (train.from_sweep) starts the DL4J network there too. */
    @Test
    void fromSavedParametersAsTheEngine() {
        String train = "steps: 5, lr: 0.1, batch_size: 12, from_sweep: earlier, from_point: 0123abcd";
        GridPoint alone = point(train, "");
        Data data = DataCache.get(alone.spec().data(), alone.sweepSeed());
        double[] start = Models.of(alone.spec(), data.inputs(), data.outputs()).initParams(99).toDoubleVector();
        PointResult engine = PointRunner.run(alone, null, start);
        PointResult parallel = DataParallelExecution.run(sc, point(train + ", parallel: data, workers: 2", ""), null, start);
        assertEquals(Status.OK, engine.status(), engine.error());
        assertEquals(Status.OK, parallel.status(), parallel.error());
        sameRow(engine, parallel, 12);
        PointResult fresh = PointRunner.run(point("steps: 5, lr: 0.1, batch_size: 12", ""));
        assertTrue(Math.abs(fresh.number(ResultSchema.TRAIN_LOSS) - parallel.number(ResultSchema.TRAIN_LOSS)) > 1e-6,
                "the saved start must matter for this test to mean anything");
    }

    /** A point that diverges does so at the same step, with nothing measured. */
    @Test
    void divergenceStopsAtTheEnginesStep() {
        String train = "steps: 40, lr: 9.0, batch_size: 12, divergence_loss: 50.0";
        PointResult engine = PointRunner.run(point(train, ""));
        PointResult parallel = DataParallelExecution.run(sc, point(train + ", parallel: data, workers: 2", ""), null, null);
        assertEquals(Status.DIVERGED, engine.status(), "the engine's point must diverge for this test to mean anything");
        assertEquals(Status.DIVERGED, parallel.status(), String.valueOf(parallel.error()));
        assertEquals(engine.get(ResultSchema.DIVERGED_AT_STEP), parallel.get(ResultSchema.DIVERGED_AT_STEP));
        assertEquals(engine.get(ResultSchema.STEPS_DONE), parallel.get(ResultSchema.STEPS_DONE));
    }

    /** Every metric column and every spectra row the engine filled, to 1e-8 (relative above 1, absolute below). */
    static void sameRow(PointResult engine, PointResult parallel, int atLeast) {
        int compared = 0;
        for (ResultSchema.Column c : ResultSchema.RESULTS.columns()) {
            if (c.group() != ResultSchema.Group.METRIC || c.name().endsWith("_seconds")) continue;
            Object a = engine.get(c.name()), b = parallel.get(c.name());
            if (a instanceof Double x) {
                assertNotNull(b, c.name() + " is null in the data-parallel row");
                assertTrue(Math.abs(x - (Double) b) <= 1e-8 * Math.max(1, Math.abs(x)), c.name() + ": engine " + x + ", data-parallel " + b);
                compared++;
            } else {
                assertEquals(a, b, c.name());
            }
        }
        assertTrue(compared >= atLeast, "compared " + compared + " numbers");
        List<Map<String, Object>> sa = engine.rows(ResultSchema.SPECTRA), sb = parallel.rows(ResultSchema.SPECTRA);
        assertEquals(sa.size(), sb.size(), "spectra rows");
        for (int i = 0; i < sa.size(); i++) {
            double x = (Double) sa.get(i).get(ResultSchema.EIGENVALUE), y = (Double) sb.get(i).get(ResultSchema.EIGENVALUE);
            assertTrue(Math.abs(x - y) <= 1e-8 * Math.max(1, Math.abs(x)), "top-k eigenvalue " + i + ": " + x + " vs " + y);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double scale = Math.max(1e-300, expected.norm2Number().doubleValue());
        double error = expected.sub(actual).norm2Number().doubleValue() / scale;
        assertTrue(error <= tol, what + ": relative error " + error);
    }
}
