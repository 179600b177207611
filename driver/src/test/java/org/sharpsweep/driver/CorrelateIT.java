package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.analysis.Kendall;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code correlate} on a real sweep: 4 learning rates (the largest diverges) x 2 batch sizes x 2
 * seeds. The table has one line per default measure with psi for lr and batch_size, the seed
 * held fixed, the diverged rows counted as left out, and tau equal to Kendall's tau-b of the
 * table's own columns; the picture decodes; bad input is one line and exit 2.
 */
class CorrelateIT {
    static final String SPEC = """
            name: correlate
            seed: 3
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: tanh}
            loss: mse
            train: {steps: 60}
            measure: {max_iters: 30}
            grid:
              lr: [0.05, 0.1, 0.3, 400.0]
              batch_size: [8, 32]
              seed: [0, 1]
            """;

    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    @Test
    void ranksTheMeasuresOfARealSweepAndDrawsThem() throws Exception {
        String dir = tmp.resolve("results").toString();
        SweepRunner.run(spark, SweepSpec.parse(SPEC), dir);
        Path png = tmp.resolve("pictures/correlate.png");

        String[] out = run("correlate", dir, "--target", "gen_gap_loss", "--out", png.toString());
        assertEquals("0", out[0], out[1]);
        String text = out[1];
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).matches("measure\\s+n\\s+tau\\s+psi_lr\\s+psi_batch_size\\s+Psi"), text);
        long ok = spark.read().parquet(dir).where("status = 'OK'").count();
        long notOk = 16 - ok;
        assertTrue(notOk >= 1, "lr 400 diverges");
        List<Row> rows = spark.read().parquet(dir).where("status = 'OK'").select("sharpness", "gen_gap_loss").collectAsList();
        double tau = Kendall.tauB(rows.stream().mapToDouble(r -> r.getDouble(0)).toArray(), rows.stream().mapToDouble(r -> r.getDouble(1)).toArray());
        String sharpness = lines.stream().filter(l -> l.startsWith("sharpness ")).findFirst().orElseThrow();
        String[] cells = sharpness.trim().split("\\s+");
        assertEquals(String.valueOf(ok), cells[1], sharpness);
        assertEquals(TextTable.format(tau), cells[2], "tau is tau-b of the table's own columns: " + sharpness);
        for (String m : List.of("param_norm", "grad_norm", "train_loss")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(m + " ")), m + " in\n" + text);
        }
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("gen_gap_loss ")), "the target is no measure");
        assertTrue(text.contains("held fixed in every combination: replicate"), text);
        assertTrue(text.contains("16 selected, " + notOk + " left out (status not OK)"), text);
        assertTrue(text.contains("correlate: " + png.toAbsolutePath()), text);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "the PNG decodes");
        assertTrue(img.getWidth() > 400 && img.getHeight() > 200, img.getWidth() + "x" + img.getHeight());

        Path svg = tmp.resolve("correlate.svg");
        assertEquals("0", run("correlate", dir, "--measures", "sharpness,param_norm", "--where", "batch_size = 8", "--out", svg.toString())[0]);
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG");

        String[] unknown = run("correlate", dir, "--measures", "sharpness,nosuch");
        assertEquals("2", unknown[0], unknown[1]);
        assertTrue(unknown[1].strip().lines().count() == 1 && unknown[1].contains("'nosuch'"), unknown[1]);
        String[] none = run("correlate", dir, "--where", "lr > 1000");
        assertEquals("2", none[0], none[1]);
        assertTrue(none[1].contains("no rows") && none[1].contains("lr > 1000"), none[1]);
        String[] badTarget = run("correlate", dir, "--target", "lr");
        assertEquals("2", badTarget[0], badTarget[1]);
        assertTrue(badTarget[1].contains("'lr'"), badTarget[1]);
    }

    /** Runs the CLI; returns {exit status, stdout and stderr together}. */
    private static String[] run(String... args) {
        return Cli.run(args);
    }
}
