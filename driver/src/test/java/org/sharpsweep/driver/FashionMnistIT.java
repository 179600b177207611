package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * A sweep on the real Fashion-MNIST (Debian package dataset-fashion-mnist; the test fails if
 * it is missing): n_train 1000, width 100, one GD and one SGD point, read back through the CLI's
 * {@code sql} and through plain Spark SQL.
 */
class FashionMnistIT {
    static final String DATA = "/usr/share/datasets/fashion-mnist";

    @TempDir
    Path tmp;

    @Test
    void gdAndSgdPointsOnFashionMnist() throws Exception {
        assertTrue(Files.isDirectory(Path.of(DATA)), DATA + " missing: apt-get install dataset-fashion-mnist");
        Path spec = tmp.resolve("fmnist.yaml");
        Files.writeString(spec, """
                name: fmnist-it
                seed: 1
                data: {dataset: fashion-mnist, path: %s, n_train: 1000, n_test: 2000}
                model: {depth: 1, width: 100, activation: relu}
                loss: mse
                train: {steps: 150, lr: 0.1}
                measure: {max_iters: 20, nonuniformity_samples: 200}
                grid:
                  batch_size: [1000, 50]
                """.formatted(DATA));
        String out = tmp.resolve("results").toString();
        String run = SweepIT.capture(() -> assertEquals(0, Main.execute("run", spec.toString(), "--out", out, "--no-progress")));
        assertTrue(run.contains("2 run (2 OK"), run);

        SparkSession spark = SharedSpark.get();
        spark.read().parquet(out).createOrReplaceTempView("fm");
        Row gd = spark.sql("SELECT * FROM fm WHERE batch_size = 1000").first();
        Row sgd = spark.sql("SELECT * FROM fm WHERE batch_size = 50").first();
        for (Row r : new Row[]{gd, sgd}) {
            assertEquals("OK", r.getAs(ResultSchema.STATUS));
            assertEquals(1000, (Integer) r.getAs("n_train"));
            assertEquals(784 * 100 + 100 + 100 * 10 + 10, (Integer) r.getAs(ResultSchema.NUM_PARAMS));
            double trainAcc = r.getAs(ResultSchema.TRAIN_ACC);
            double testAcc = r.getAs(ResultSchema.TEST_ACC);
            // 10 classes: chance is 0.1; 150 steps of a 784-100-10 net learn far more than that
            assertTrue(trainAcc > 0.5 && testAcc > 0.5, "accuracies " + trainAcc + ", " + testAcc);
            assertEquals(trainAcc - testAcc, (Double) r.getAs(ResultSchema.GEN_GAP_ACC), 1e-12);
            assertNotNull(r.getAs(ResultSchema.SHARPNESS));
            assertEquals(200, (Integer) r.getAs(ResultSchema.NONUNIFORMITY_N));
        }
        assertNull(gd.getAs(ResultSchema.NONUNIFORMITY_BOUND));
        assertEquals(Math.sqrt(50.0 * 999 / 950) / 0.1, (Double) sgd.getAs(ResultSchema.NONUNIFORMITY_BOUND), 1e-9);

        String json = SweepIT.capture(() -> assertEquals(0, Main.execute("sql", out,
                "SELECT batch_size, test_acc FROM results ORDER BY batch_size", "--format", "json")));
        assertTrue(json.startsWith("{\"batch_size\":50,\"test_acc\":"), json);
        assertEquals(2, spark.read().parquet(out).filter(col("sweep_id").equalTo("fmnist-it")).count());
    }
}
