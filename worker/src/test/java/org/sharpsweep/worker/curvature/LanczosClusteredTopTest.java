package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The top eigenvalue when the top of the spectrum is clustered: diagonal operators with lambda_1 =
 * 10, lambda_2 = 10 (1 - g) for relative gaps g from 1e-2 to 1e-6 and a bulk in [0, 5], over 300
 * start seeds each. The plain residual test stops on lambda_2 for some seeds (the start held
 * little of e_1's direction), more than tol below the top; the checked run never does, and its
 * gap is the true one wherever the gap is larger than tol.
 */
class LanczosClusteredTopTest {
    private static final double TOL = 1e-4;
    private static final int MAX_ITERS = 100;
    private static final int SEEDS = 100;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static double[] spectrum(int dim, double gap, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = rng.nextDouble(0, 5);
        d[rng.nextInt(dim)] = 10; // lambda_1 and lambda_2 at places the start vector does not know
        int second;
        do {
            second = rng.nextInt(dim);
        } while (d[second] == 10);
        d[second] = 10 * (1 - gap);
        return d;
    }

    @Test
    void theCheckedTopIsNeverMoreThanTolBelowTheTop() {
        int dim = 300;
        int plainMisses = 0;
        for (double gap : new double[] {1e-2, 1e-3, 1e-4, 1e-5, 1e-6}) {
            double[] d = spectrum(dim, gap, 7);
            SymmetricOperator a = LanczosTest.diagonal(d);
            for (long seed = 1; seed <= SEEDS; seed++) {
                EigenEstimate plain = Lanczos.top(a, dim, TOL, MAX_ITERS, seed);
                if (plain.value() < 10 * (1 - 2 * TOL)) plainMisses++;
                Lanczos.Checked c = Lanczos.topChecked(a, dim, TOL, MAX_ITERS, seed);
                String ctx = "gap " + gap + ", seed " + seed + ": " + c.estimate() + ", next " + c.next() + ", plain " + plain;
                assertTrue(c.estimate().value() >= 10 * (1 - 2 * TOL), ctx);
                assertTrue(c.estimate().value() <= 10 * (1 + 1e-12), ctx + ": a Ritz value is never above the top");
                assertTrue(c.next() <= 10 * (1 + 1e-12), ctx);
                if (gap > 10 * TOL) {
                    // the check resolved lambda_2: the gap reads as it is
                    assertEquals(gap, (c.estimate().value() - c.next()) / c.estimate().value(), 3 * TOL, ctx);
                }
            }
        }
        // the failure the check exists for happens with these spectra (so this test can fail without it)
        assertTrue(plainMisses > 0, "the plain residual test never stopped on lambda_2: the test does not exercise the check");
    }

    @Test
    void aWellSeparatedTopNeedsNoCorrectionAndGivesTheGap() {
        double[] d = {1, 2, 3, 4, 8};
        Lanczos.Checked c = Lanczos.topChecked(LanczosTest.diagonal(d), 5, 1e-10, 50, 3);
        assertEquals(8, c.estimate().value(), 1e-9);
        assertEquals(4, c.next(), 1e-8);
        assertEquals(0, c.rounds());
        assertTrue(c.estimate().iterations() > Lanczos.top(LanczosTest.diagonal(d), 5, 1e-10, 50, 3).iterations(),
                "the check's products are counted");
    }
}
