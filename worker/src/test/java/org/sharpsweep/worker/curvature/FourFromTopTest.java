package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Four bisections side by side give each the bits of its own bisection (Lanczos.fourFromTop against
 * Lanczos.eigenvalueFromTop): random tridiagonals of every size up to 40, clustered and repeated
 * eigenvalues, tiny and huge off-diagonals, every block of four j, the last block past n.
 */
class FourFromTopTest {
    @Test
    void fourBisectionsAtOnceGiveTheBitsOfEach() {
        SplittableRandom rng = new SplittableRandom(5);
        int compared = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(40);
            double[] alpha = new double[n], beta = new double[Math.max(n - 1, 1)];
            int kind = trial % 3;
            for (int i = 0; i < n; i++) alpha[i] = kind == 1 ? Math.floor(rng.nextDouble() * 3) : rng.nextGaussian() * Math.exp(3 * rng.nextGaussian());
            for (int i = 0; i < n - 1; i++) beta[i] = kind == 2 ? 1e-9 * rng.nextGaussian() : rng.nextGaussian();
            for (int from = 0; from < n; from += 4) {
                double[] four = Lanczos.fourFromTop(alpha, beta, n, from);
                for (int c = 0; c < 4; c++) {
                    if (from + c >= n) {
                        assertTrue(Double.isNaN(four[c]), "past n");
                        continue;
                    }
                    double one = Lanczos.eigenvalueFromTop(alpha, beta, n, from + c);
                    assertEquals(Double.doubleToRawLongBits(one), Double.doubleToRawLongBits(four[c]),
                            "n " + n + ", j " + (from + c) + ": " + one + " vs " + four[c]);
                    compared++;
                }
            }
        }
        assertTrue(compared > 3000, "compared " + compared);
    }
}
