package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code trajectory} on a real sweep with {@code measure.every}: one summary line per point with
 * its 5 measurements (steps 0, 5, ..., 20), the bounds 2/lr, the picture at 900x700; an unknown
 * metric is one line and exit 2.
 */
class TrajectoryCommandIT {
    static final String SPEC = """
            name: trajcmd
            seed: 3
            data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 20}
            model: {depth: 1, width: 5, activation: tanh}
            train: {steps: 20, lr: 0.1}
            measure: {every: 5, max_iters: 40}
            grid:
              lr: [0.05, 0.2]
            """;

    @TempDir
    Path tmp;

    @Test
    void summarisesEachPointAndDrawsThePicture() throws Exception {
        String dir = tmp.resolve("results").toString();
        SweepRunner.run(SharedSpark.get(), SweepSpec.parse(SPEC), dir);
        Path png = tmp.resolve("pictures/trajectory.png");

        String[] out = run("trajectory", dir, "--metric", "sharpness", "--out", png.toString());
        assertEquals("0", out[0], out[1]);
        List<String> lines = out[1].lines().toList();
        assertTrue(lines.get(0).matches("sweep_id\\s+point_id\\s+lr\\s+status\\s+measurements\\s+first\\s+last\\s+min\\s+max"), out[1]);
        List<String> points = lines.stream().filter(l -> l.startsWith("trajcmd ")).toList();
        assertEquals(2, points.size(), out[1]);
        for (String p : points) assertEquals("5", p.trim().split("\\s+")[4], "steps 0, 5, 10, 15, 20: " + p);
        assertTrue(points.get(0).trim().split("\\s+")[2].equals("0.05") && points.get(1).trim().split("\\s+")[2].equals("0.2"),
                "ordered by lr: " + points);
        assertTrue(out[1].contains("2/lr: 40 (lr 0.05) 10 (lr 0.2)"), out[1]);
        assertTrue(out[1].contains("trajectory: " + png.toAbsolutePath()), out[1]);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(900, img.getWidth());
        assertEquals(700, img.getHeight());

        String[] unknown = run("trajectory", dir, "--metric", "nosuch", "--out", tmp.resolve("t.png").toString());
        assertEquals("2", unknown[0], unknown[1]);
        assertTrue(unknown[1].strip().lines().count() == 1 && unknown[1].contains("'nosuch'"), unknown[1]);
    }

    /** Runs the CLI; returns {exit status, stdout and stderr together}. */
    private static String[] run(String... args) {
        return Cli.run(args);
    }
}
