package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.Journal;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Wu, Ma &amp; E's escape experiment on a small slice of the real Fashion-MNIST (240 images, 40
 * of them with random labels): GD to a minimum that keeps its parameters
 * ({@code measure.save_params}), then restarts from them ({@code train.from_sweep/from_point}):
 * GD at the same lr stays at the minimum, SGD with B = 4 leaves it. The restart begins exactly
 * at the saved parameters (its step-0 loss is the minimum's final loss, bit for bit), and a
 * source that is missing, unsaved or of another network is an error naming it before any work.
 */
class EscapeIT {
    static final String DATA = """
            data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, n_train: 240, n_test: 2000, label_noise: 0.1667}
            model: {depth: 1, width: 32, activation: relu}
            loss: mse
            """;
    static final String MINIMUM = "name: minimum\nseed: 1\n" + DATA + """
            train: {steps: 3000, lr: 0.1}
            measure: {save_params: true, nonuniformity: false}
            """;

    @TempDir
    Path tmp;

    static String restart(String point) {
        return "name: restart\nseed: 1\n" + DATA + "train: {steps: 300, lr: 0.1, from_sweep: minimum, from_point: \"" + point + "\"}\n"
                + """
                measure: {every: 20, nonuniformity: false}
                grid:
                  batch_size: [4, 240]
                """;
    }

    @Test
    void sgdWithASmallBatchEscapesTheGdMinimumWhileGdStays() throws Exception {
        SparkSession spark = SharedSpark.get();
        String out = tmp.resolve("results").toString();
        SweepSpec minimum = SweepSpec.parse(MINIMUM);
        String id = minimum.point(0).pointId();

        // before the minimum exists: an error naming the table, nothing run
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(restart(id)), out));
        assertTrue(early.getMessage().contains("save_params"), early.getMessage());

        // `point` runs outside any table: a restart is refused there, naming where it can run
        Path restartFile = tmp.resolve("restart.yaml");
        Files.writeString(restartFile, restart(id));
        assertEquals(2, Main.execute(new String[] {"point", restartFile.toString(), "--index", "0"}));

        assertEquals(1, SweepRunner.run(spark, minimum, out).ok());
        Row min = ResultsTable.read(spark, out).filter("sweep_id = 'minimum'").collectAsList().get(0);
        double minLoss = min.getDouble(min.fieldIndex("train_loss"));
        double minSharpness = min.getDouble(min.fieldIndex("sharpness"));
        assertTrue(minSharpness > 0.9 * 2 / 0.1, "GD sits at the edge of stability: " + minSharpness);

        IllegalArgumentException noPoint = assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(restart("0000000000000000")), out));
        assertTrue(noPoint.getMessage().contains("has no point '0000000000000000'"), noPoint.getMessage());
        IllegalArgumentException otherNet = assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(restart(id).replace("width: 32", "width: 33")), out));
        assertTrue(otherNet.getMessage().contains("model.width 32, but point 0 has model.width 33"), otherNet.getMessage());

        SweepRunner.Summary s = SweepRunner.run(spark, SweepSpec.parse(restart(id)), out);
        assertEquals(2, s.ok(), s.toString());
        ResultsTable.registerAll(spark, out);
        Map<Integer, List<Row>> byBatch = new HashMap<>();
        for (Row r : spark.sql("""
                SELECT r.batch_size, t.step, t.train_loss, t.sharpness FROM trajectories t
                JOIN results r USING (sweep_id, point_id, start_time) WHERE r.sweep_id = 'restart' ORDER BY r.batch_size, t.step""")
                .collectAsList()) {
            byBatch.computeIfAbsent(r.getInt(0), k -> new java.util.ArrayList<>()).add(r);
        }
        for (List<Row> rows : byBatch.values()) {
            assertEquals(0, rows.get(0).getInt(1));
            assertEquals(minLoss, rows.get(0).getDouble(2), 0.0, "the restart begins at the saved parameters");
        }
        double gdLow = byBatch.get(240).stream().mapToDouble(r -> r.getDouble(3)).min().orElseThrow();
        assertTrue(gdLow > 0.9 * minSharpness, "GD at the same lr stays at the minimum: sharpness down to " + gdLow);
        double sgdLow = byBatch.get(4).stream().mapToDouble(r -> r.getDouble(3)).min().orElseThrow();
        assertTrue(sgdLow < 0.85 * minSharpness, "SGD with B = 4 escapes to flatter ground: " + sgdLow + " from " + minSharpness);

        // the saved parameters are the minimum's: P values, and the norm the minimum reported
        Row saved = spark.sql("SELECT num_params, params FROM params WHERE sweep_id = 'minimum'").collectAsList().get(0);
        double[] theta = Journal.doubles(saved.get(1));
        assertEquals(25450, saved.getInt(0));
        assertEquals(25450, theta.length);
        double sq = 0;
        for (double v : theta) sq += v * v;
        assertEquals(min.getDouble(min.fieldIndex("param_norm")), Math.sqrt(sq), 1e-12 * Math.sqrt(sq));

        Path picture = tmp.resolve("escape.png");
        assertEquals(0, Main.execute(new String[] {"trajectory", out, "--sweep", "restart", "--metric", "sharpness",
                "--colour-by", "batch_size", "--out", picture.toString()}));
        assertTrue(Files.size(picture) > 1000);
    }
}
