package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The cnn family end to end on the real Fashion-MNIST: a GD and an SGD point through {@code run}
 * on Spark fill every curvature column (sharpness, non-uniformity, the stability criterion, the
 * trace, the top eigenvalues and the sharpness along training), and {@code point} runs the same
 * point in one process with the same numbers and exports K1.npy, k1.npy, ..., W1.npy, ... and
 * model.json.
 */
class CnnIT {
    @TempDir
    Path tmp;

    @Test
    void aCnnSweepFillsEveryCurvatureColumnAndPointAgrees() throws Exception {
        assertTrue(Files.isDirectory(Path.of(FashionMnistIT.DATA)), "apt-get install dataset-fashion-mnist");
        Path spec = tmp.resolve("cnn.yaml");
        Files.writeString(spec, """
                name: cnn-it
                seed: 2
                data: {dataset: fashion-mnist, path: %s, n_train: 100, n_test: 100}
                model: {family: cnn, conv_blocks: 2, channels: 2, kernel: 3, pool: max, depth: 1, width: 8}
                loss: xent
                train: {steps: 20, lr: 0.1}
                measure: {max_iters: 30, trace: true, top_k: 2, every: 10}
                grid:
                  batch_size: [100, 20]
                """.formatted(FashionMnistIT.DATA));
        String out = tmp.resolve("results").toString();
        String run = SweepIT.capture(() -> assertEquals(0, Main.execute("run", spec.toString(), "--out", out, "--no-progress")));
        assertTrue(run.contains("2 run (2 OK"), run);

        SparkSession spark = SharedSpark.get();
        org.sharpsweep.store.ResultsTable.registerAll(spark, out);
        // K1 2x1x3x3 + 2, K2 4x2x3x3 + 4, features 4 x 7 x 7 = 196, W1 196x8 + 8, W2 8x10 + 10
        long params = 20 + 76 + 196 * 8 + 8 + 90;
        for (Row r : spark.sql("SELECT * FROM results ORDER BY batch_size").collectAsList()) {
            assertEquals("OK", r.getAs(ResultSchema.STATUS));
            assertEquals("cnn", r.getAs("family"));
            assertEquals(2, (Integer) r.getAs("conv_blocks"));
            assertEquals("max", r.getAs("pool"));
            assertEquals(params, ((Number) r.getAs(ResultSchema.NUM_PARAMS)).longValue());
            for (String c : List.of(ResultSchema.SHARPNESS, ResultSchema.NONUNIFORMITY, ResultSchema.STABILITY_MAX_EIG,
                    ResultSchema.HESSIAN_TRACE, ResultSchema.HESSIAN_TRACE_STDERR, ResultSchema.TRAIN_LOSS, ResultSchema.TEST_ACC,
                    ResultSchema.GRAD_NORM)) {
                assertNotNull(r.getAs(c), c + " at batch size " + r.getAs("batch_size"));
                assertTrue(Double.isFinite(((Number) r.getAs(c)).doubleValue()), c);
            }
            double sharpness = r.getAs(ResultSchema.SHARPNESS);
            assertTrue(sharpness > 0, "sharpness " + sharpness);
        }
        assertNull(spark.sql("SELECT nonuniformity_bound FROM results WHERE batch_size = 100").first().get(0));
        assertNotNull(spark.sql("SELECT nonuniformity_bound FROM results WHERE batch_size = 20").first().get(0));
        assertEquals(4L, spark.sql("SELECT * FROM spectra").count(), "top_k 2 for each of two points");
        assertTrue(spark.sql("SELECT * FROM trajectories WHERE sharpness IS NOT NULL").count() >= 4, "the sharpness along training");

        Path saved = tmp.resolve("saved");
        Files.createDirectories(saved);
        String json = SweepIT.capture(() -> assertEquals(0, Main.execute("point", spec.toString(), "--index", "0",
                "--save-params", saved.toString())));
        JsonNode row = new ObjectMapper().readTree(json.substring(json.indexOf('{')));
        Row gd = spark.sql("SELECT * FROM results WHERE batch_size = 100").first();
        assertEquals((Double) gd.getAs(ResultSchema.TRAIN_LOSS), row.get(ResultSchema.TRAIN_LOSS).asDouble(), 0.0,
                "point and run train the same network the same way");
        assertEquals((Double) gd.getAs(ResultSchema.SHARPNESS), row.get(ResultSchema.SHARPNESS).asDouble(), 1e-9);
        for (String f : List.of("K1.npy", "k1.npy", "K2.npy", "k2.npy", "W1.npy", "b1.npy", "W2.npy", "b2.npy", "model.json")) {
            assertTrue(Files.exists(saved.resolve(f)), f);
        }
        JsonNode model = new ObjectMapper().readTree(saved.resolve("model.json").toFile());
        assertEquals("cnn", model.get("family").asText());
        assertEquals(params, model.get("num_params").asLong());
    }
}
