package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Loss;

/**
 * Hutchinson's estimator against exact traces: the sum of a tiny network's dense Hessian diagonal,
 * diagonal operators (closed form: the sum of the entries, and zero variance with Rademacher
 * probes), and the closed-form probe variance 2 sum_{i != j} A_ij^2 of a dense matrix.
 */
class HutchinsonTraceTest {

    /** The acceptance bound: the estimate lies within this many standard errors of the truth. */
    static final double STDERRS = 3.0;
    /** Rounding of a sum of a few hundred terms, relative to sum |d_i|. */
    static final double ROUNDING = 1e-12;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @CsvSource({"TANH, MSE, 1", "RELU, XENT, 1", "TANH, HALF_SSE, 2", "TANH, XENT, 0"})
    void tinyNetworkTraceWithinThreeStandardErrors(Activation act, Loss loss, int depth) {
        TinyNetwork net = TinyNetwork.of(act, loss, depth, 20261129L + depth);
        double exact = net.trace(); // oracle: sum of the dense Hessian's diagonal
        for (long seed = 1; seed <= 3; seed++) {
            // PyHessian's defaults, and a run to the cap (tol far below any change of the mean)
            for (TraceEstimate e : List.of(HutchinsonTrace.estimate(net.hessian(), net.dim(), seed),
                    HutchinsonTrace.estimate(net.hessian(), net.dim(), 1e-15, 400, seed))) {
                String ctx = net + ", probe seed " + seed + ": exact " + exact + ", " + e;
                assertTrue(e.stderr() > 0, ctx);
                assertTrue(Math.abs(e.value() - exact) <= STDERRS * e.stderr(), ctx);
            }
        }
    }

    @Test
    void diagonalOperatorsGiveTheirTraceExactly() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int dim = rng.nextInt(1, 300);
            double[] d = new double[dim];
            double trace = 0;
            double abs = 0;
            for (int i = 0; i < dim; i++) {
                d[i] = rng.nextDouble(-1.0, 3.0);
                trace += d[i];
                abs += Math.abs(d[i]);
            }
            // v^T D v = sum d_i v_i^2 = sum d_i for every Rademacher v: zero variance
            TraceEstimate e = HutchinsonTrace.estimate(LanczosTest.diagonal(d), dim, seed);
            String ctx = "seed " + seed + ", dim " + dim + ": " + e;
            assertEquals(trace, e.value(), ROUNDING * abs, ctx);
            assertTrue(e.stderr() <= ROUNDING * abs, ctx);
            assertEquals(2, e.probes(), ctx);
            assertTrue(e.converged(), ctx);
        }
    }

    @Test
    void stoppingRuleIsPyHessiansAndProbesAreCounted() {
        double[][] m = randomSymmetric(30, 7);
        SymmetricOperator dense = LanczosTest.dense(m);
        List<Double> values = new ArrayList<>();
        SymmetricOperator recording = (v, out) -> {
            dense.apply(v, out);
            values.add(v.mul(out).sumNumber().doubleValue());
        };
        for (double tol : new double[] {1e-1, 1e-2, 1e-3}) {
            values.clear();
            TraceEstimate e = HutchinsonTrace.estimate(recording, 30, tol, 100, 7);
            String ctx = "tol " + tol + ", seed 7: " + e;
            assertEquals(values.size(), e.probes(), ctx);
            // brute force: the first k >= 2 with |m_k - m_{k-1}| / (|m_{k-1}| + 1e-6) < tol
            int expected = 100;
            double sum = values.get(0);
            for (int k = 2; k <= values.size(); k++) {
                double previous = sum / (k - 1);
                sum += values.get(k - 1);
                if (Math.abs(sum / k - previous) / (Math.abs(previous) + 1e-6) < tol) {
                    expected = k;
                    break;
                }
            }
            assertEquals(expected, e.probes(), ctx);
            assertEquals(expected < 100, e.converged(), ctx);
            assertEquals(sum / e.probes(), e.value(), 1e-12 * Math.abs(sum), ctx);
        }
        TraceEstimate capped = HutchinsonTrace.estimate(recording, 30, 1e-15, 17, 7);
        assertEquals(17, capped.probes());
        assertTrue(!capped.converged());
    }

    /**
     * The standard error is sigma / sqrt(k) with sigma^2 = 2 sum_{i != j} A_ij^2 (closed form of
     * the Rademacher probe variance): sqrt(k) stderr matches sigma at every k, so stderr halves
     * when k quadruples. The sample standard deviation of k draws is within ~sqrt(kurtosis / 4k)
     * of sigma: 20% at k = 100 and 10% from k = 400 are several of those.
     */
    @Test
    void standardErrorShrinksLikeOneOverSqrtK() {
        int dim = 40;
        for (long seed = 1; seed <= 3; seed++) {
            double[][] m = randomSymmetric(dim, seed);
            double off = 0;
            for (int i = 0; i < dim; i++) for (int j = 0; j < dim; j++) if (i != j) off += m[i][j] * m[i][j];
            double sigma = Math.sqrt(2 * off);
            SymmetricOperator op = LanczosTest.dense(m);
            double previous = Double.NaN;
            for (int k : new int[] {100, 400, 1600}) {
                TraceEstimate e = HutchinsonTrace.estimate(op, dim, 1e-15, k, 100 + seed);
                String ctx = "seed " + seed + ", k " + k + ", sigma " + sigma + ": " + e;
                assertEquals(k, e.probes(), ctx);
                assertEquals(sigma, e.stderr() * Math.sqrt(k), (k == 100 ? 0.2 : 0.1) * sigma, ctx);
                if (k > 100) {
                    double ratio = previous / e.stderr();
                    assertTrue(ratio > 1.6 && ratio < 2.5, ctx + ": stderr ratio " + ratio + " for 4x probes");
                }
                previous = e.stderr();
            }
        }
    }

    @Test
    void sameSeedSameResultAndRademacherSigns() {
        double[][] m = randomSymmetric(25, 3);
        assertEquals(HutchinsonTrace.estimate(LanczosTest.dense(m), 25, 9),
                HutchinsonTrace.estimate(LanczosTest.dense(m), 25, 9));
        double[] signs = new double[1000];
        HutchinsonTrace.rademacher(new SplittableRandom(4), signs);
        int plus = 0;
        for (double s : signs) {
            assertTrue(s == 1.0 || s == -1.0);
            if (s > 0) plus++;
        }
        // Binomial(1000, 1/2): mean 500, sd 15.8; 5 sd
        assertTrue(Math.abs(plus - 500) < 80, "plus signs " + plus + " of 1000 (seed 4)");
    }

    @Test
    void badArgumentsAndNonFiniteProductsAreNamed() {
        SymmetricOperator op = LanczosTest.diagonal(new double[] {1, 2});
        LanczosTest.assertMessage("dim must be >= 1, got 0", () -> HutchinsonTrace.estimate(op, 0, 1));
        LanczosTest.assertMessage("tol must be in (0, 1), got 0.0", () -> HutchinsonTrace.estimate(op, 2, 0.0, 10, 1));
        LanczosTest.assertMessage("maxProbes must be >= 2, got 1", () -> HutchinsonTrace.estimate(op, 2, 1e-3, 1, 1));
        LanczosTest.assertMessage("operator must not be null", () -> HutchinsonTrace.estimate(null, 2, 1));
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> HutchinsonTrace.estimate((v, out) -> out.assign(Double.NaN), 3, 1));
        assertTrue(ex.getMessage().contains("non-finite"), ex.getMessage());
    }

    static double[][] randomSymmetric(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] m = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j <= i; j++) m[i][j] = m[j][i] = rng.nextGaussian();
        }
        return m;
    }
}
