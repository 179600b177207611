package org.sharpsweep.worker.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The pieces of m-sharpness's APGD against their definitions (docs/science.md, "m-sharpness"). */
class MSharpnessStepsTest {
    @Test
    void theCheckpointsAreTheirs() {
        // Andriushchenko et al.'s schedule evaluated by Python 3 (math.ceil on their float steps):
        // n_iters 20 -> [5, 9, 12, 15, 16, 18, 19, 20] (0.7 * 20 rounds up to 15), 100 -> [22, 41, 58, 70, 80, 87, 93, 99, 105]
        assertEquals(List.of(5, 9, 12, 15, 16, 18, 19, 20), MSharpness.checkpoints(20));
        assertEquals(List.of(22, 41, 58, 70, 80, 87, 93, 99, 105), MSharpness.checkpoints(100));
        assertEquals(List.of(1), MSharpness.checkpoints(1));
    }

    @Test
    void theProjectionLandsOnTheBallAndLeavesPointsInsideAlone() {
        double[] c = {0.5, 2.0, 0.0, 1.0};
        MSharpness.Options l2 = new MSharpness.Options(0.1, 8, true, true, 20, 8);
        double[] d = {0.3, -0.4, 0.0, 0.2};
        MSharpness.project(d, c, l2);
        double n = Math.sqrt(Math.pow(d[0] / 0.5, 2) + Math.pow(d[1] / 2.0, 2) + Math.pow(d[3], 2));
        assertEquals(0.1, n, 1e-15, "||delta / c|| = rho");
        assertEquals(0.3 / -0.4, d[0] / d[1], 1e-15, "a rescaling in u = delta / c");
        double[] inside = {0.01, 0.01, 0.0, 0.01};
        MSharpness.project(inside, c, l2);
        assertArrayEquals(new double[]{0.01, 0.01, 0.0, 0.01}, inside);
        double[] box = {0.3, -0.4, 0.0, 0.05};
        MSharpness.project(box, c, new MSharpness.Options(0.1, 8, true, false, 20, 8));
        assertArrayEquals(new double[]{0.05, -0.2, 0.0, 0.05}, box, 1e-15, "linf: clipped to rho c");
    }

    @Test
    void theSamStepMaximisesTheLinearIncreaseOverTheBall() {
        double[] g = {1.0, -2.0, 0.5};
        double[] c = {0.5, 1.0, 2.0};
        double[] d = MSharpness.samStep(g, c, new MSharpness.Options(0.1, 8, true, true, 20, 8));
        // rho c^2 g / ||c g||: ||c g|| = sqrt(0.25 + 4 + 1) = sqrt(5.25); g . d = rho ||c g||
        double gd = g[0] * d[0] + g[1] * d[1] + g[2] * d[2];
        assertEquals(0.1 * Math.sqrt(5.25), gd, 1e-15);
        double[] l = MSharpness.samStep(g, c, new MSharpness.Options(0.1, 8, true, false, 20, 8));
        assertArrayEquals(new double[]{0.05, -0.1, 0.2}, l, 1e-15, "linf: rho c sign(g)");
    }
}
