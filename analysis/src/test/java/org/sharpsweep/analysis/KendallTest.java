package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class KendallTest {
    /** Two sums of the same +-1 terms in another order differ by a few ulps at most. */
    static final double SUM_ORDER_TOLERANCE = 1e-12;

    @Test
    void perfectAgreementIsOneAndReversalIsMinusOne() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(1.0, Kendall.tauB(x, new double[] {10, 20, 30, 40, 50}), 0);
        assertEquals(-1.0, Kendall.tauB(x, new double[] {5, 4, 3, 2, 1}), 0);
        assertEquals(1.0, Kendall.tauB(x, new double[] {-3, 0, 0.5, 7, 1e9}), 0, "only the order counts");
    }

    @Test
    void handWorkedExamplesWithTies() {
        // x = 1 2 2 3, y = 1 2 3 3; the 6 pairs: (0,1) (0,2) (0,3) (1,3) concordant, (1,2) tied in x only,
        // (2,3) tied in y only. n0 = 6, n1 = 1, n2 = 1, nc - nd = 4: tau-b = 4 / sqrt(5 * 5) = 0.8
        // (tau-a would be 4/6: tau-b does not count tied pairs against the agreement).
        assertEquals(0.8, Kendall.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}), SUM_ORDER_TOLERANCE);
        // x = 1 1 2 3, y = 2 1 1 3: (0,1) tied in x, (0,2) discordant, (0,3) (1,3) (2,3) concordant,
        // (1,2) tied in y: nc - nd = 3 - 1 = 2, n1 = n2 = 1: tau-b = 2 / 5 = 0.4
        assertEquals(0.4, Kendall.tauB(new double[] {1, 1, 2, 3}, new double[] {2, 1, 1, 3}), SUM_ORDER_TOLERANCE);
        // x = 1 1 2, y = 1 2 2: (0,1) tied in x, (1,2) tied in y, (0,2) concordant: 1 / sqrt(2 * 2) = 0.5
        assertEquals(0.5, Kendall.tauB(new double[] {1, 1, 2}, new double[] {1, 2, 2}), SUM_ORDER_TOLERANCE);
        // a pair tied in both counts in n0, n1, n2 and in neither nc nor nd: x = 1 1 2, y = 5 5 9:
        // n0 = 3, n1 = n2 = 1, nc = 2: 2 / sqrt(2 * 2) = 1
        assertEquals(1.0, Kendall.tauB(new double[] {1, 1, 2}, new double[] {5, 5, 9}), SUM_ORDER_TOLERANCE);
    }

    @Test
    void undefinedWhenOneSideIsConstantOrTooShort() {
        assertTrue(Double.isNaN(Kendall.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "x constant: 0/0");
        assertTrue(Double.isNaN(Kendall.tauB(new double[] {1, 2, 3}, new double[] {4, 4, 4})), "y constant");
        assertTrue(Double.isNaN(Kendall.tauB(new double[] {1}, new double[] {2})), "one point has no pair");
        assertEquals(1.0, Kendall.tauB(new double[] {-0.0, 1}, new double[] {0.0, 1}), 0, "-0.0 and 0.0 are one value");
        assertEquals(1.0, Kendall.tauB(new double[] {-0.0, 0.0, 1}, new double[] {0, 0, 1}), 0, "-0.0 ties with 0.0");
    }

    @Test
    void refusesNaNAndMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kendall.tauB(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kendall.tauB(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void agreesWithTheQuadraticDefinitionOnRandomDataWithTies() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            int n = 2 + rnd.nextInt(60);
            int levels = 1 + rnd.nextInt(8); // few levels: many ties, sometimes a constant side
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextBoolean() ? rnd.nextInt(levels) : rnd.nextGaussian();
                y[i] = rnd.nextInt(levels) - 0.5 * x[i];
                if (rnd.nextInt(10) == 0) y[i] = x[i];
            }
            double expected = bruteForce(x, y), actual = Kendall.tauB(x, y);
            String where = "seed " + seed + ", trial " + trial + ", n " + n;
            if (Double.isNaN(expected)) assertTrue(Double.isNaN(actual), where);
            else assertEquals(expected, actual, SUM_ORDER_TOLERANCE, where);
        }
    }

    /**
     * Kendall's tau-b straight from its definition (Kendall 1945; Agresti, Analysis of Ordinal
     * Categorical Data, 2010, section 7.1): over all n(n-1)/2 pairs, (nc - nd) / sqrt((n0 - n1)(n0 - n2)).
     */
    static double bruteForce(double[] x, double[] y) {
        long s = 0, n0 = 0, tx = 0, ty = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                n0++;
                double dx = Math.signum(x[i] - x[j]), dy = Math.signum(y[i] - y[j]);
                s += (long) (dx * dy);
                if (dx == 0) tx++;
                if (dy == 0) ty++;
            }
        }
        double d = Math.sqrt((double) (n0 - tx) * (n0 - ty));
        return d == 0 ? Double.NaN : s / d;
    }
}
