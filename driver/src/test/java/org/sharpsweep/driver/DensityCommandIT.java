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
 * {@code density} on a real sweep with {@code measure.density} (and top-k): one summary line per
 * point, one probe, at most P = 31 nodes (4 inputs, 5 tanh units, 1 output), the top node equal
 * to the sharpness (SLQ's 100 steps exceed P, so the quadrature's nodes are H's eigenvalues),
 * the picture at 900x600; an unknown sweep is one line and exit 2.
 */
class DensityCommandIT {
    static final String SPEC = """
            name: denscmd
            seed: 3
            data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 20}
            model: {depth: 1, width: 5, activation: tanh}
            train: {steps: 20, lr: 0.1}
            measure: {density: true, top_k: 2}
            grid:
              lr: [0.05, 0.2]
            """;
    /** Parameters of the network: 4 x 5 + 5 + 5 x 1 + 1. */
    static final int P = 31;
    /** Lanczos for the sharpness stops at its tolerance (1e-4 by default); the top node is exact. */
    static final double SHARPNESS_TOL = 1e-3;

    @TempDir
    Path tmp;

    @Test
    void summarisesEachPointAndDrawsThePicture() throws Exception {
        String dir = tmp.resolve("results").toString();
        SweepRunner.run(SharedSpark.get(), SweepSpec.parse(SPEC), dir);
        Path png = tmp.resolve("pictures/density.png");

        String[] out = run("density", dir, "--out", png.toString());
        assertEquals("0", out[0], out[1]);
        List<String> lines = out[1].lines().toList();
        assertTrue(lines.get(0).matches("sweep_id\\s+point_id\\s+lr\\s+probes\\s+nodes\\s+top_node\\s+sharpness\\s+negative_mass"), out[1]);
        List<String> points = lines.stream().filter(l -> l.startsWith("denscmd ")).toList();
        assertEquals(2, points.size(), out[1]);
        for (String p : points) {
            String[] f = p.trim().split("\\s+");
            assertEquals("1", f[3], "one probe (PyHessian's default): " + p);
            int nodes = Integer.parseInt(f[4]);
            assertTrue(nodes >= 1 && nodes <= P, "at most P nodes: " + p);
            double top = Double.parseDouble(f[5]);
            double sharpness = Double.parseDouble(f[6]);
            assertEquals(sharpness, top, SHARPNESS_TOL * Math.abs(sharpness), "top node = sharpness: " + p);
            double negative = Double.parseDouble(f[7]);
            assertTrue(negative >= 0 && negative <= 1, "a probability: " + p);
        }
        assertTrue(points.get(0).trim().split("\\s+")[2].equals("0.05") && points.get(1).trim().split("\\s+")[2].equals("0.2"),
                "ordered by lr: " + points);
        assertTrue(out[1].contains("SLQ, 1 probe, "), out[1]);
        assertTrue(out[1].contains("density: " + png.toAbsolutePath()), out[1]);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());

        String[] unknown = run("density", dir, "--sweep", "nosuch", "--out", tmp.resolve("d.png").toString());
        assertEquals("2", unknown[0], unknown[1]);
        assertTrue(unknown[1].strip().lines().count() == 1 && unknown[1].contains("'nosuch'"), unknown[1]);
    }

    /** Runs the CLI; returns {exit status, stdout and stderr together}. */
    private static String[] run(String... args) {
        return Cli.run(args);
    }
}
