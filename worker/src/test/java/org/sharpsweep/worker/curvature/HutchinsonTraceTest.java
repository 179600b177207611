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
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Loss;

/**
 * The deflated Hutchinson estimator against exact traces: the sum of a tiny network's dense
 * Hessian diagonal, diagonal operators (closed form: the sum of the entries, and zero variance
 * with Rademacher probes), matrices with a few outlying eigenvalues like a Hessian's (exact trace
 * known by construction), the closed-form probe variance 2 sum_{i != j} A_ij^2 without deflation,
 * and the coverage of the reported interval over many seeds.
 */
class HutchinsonTraceTest {

    /** The estimate lies within this many standard errors of the truth. */
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
            // the defaults, plain Hutchinson to the cap, and a deflated run to the cap
            for (TraceEstimate e : List.of(HutchinsonTrace.estimate(net.hessian(), net.dim(), seed),
                    HutchinsonTrace.estimate(net.hessian(), net.dim(), 1e-15, 400, 0, seed),
                    HutchinsonTrace.estimate(net.hessian(), net.dim(), 1e-15, 200, 5, seed))) {
                String ctx = net + ", probe seed " + seed + ": exact " + exact + ", " + e;
                if (e.probes() == 0) { // P <= the deflated vectors: computed, not estimated
                    assertEquals(exact, e.value(), 1e-12 * Math.abs(exact) + 1e-14, ctx);
                    continue;
                }
                // plus rounding: a Krylov space may hold nearly all of a low-rank Hessian (softmax without hidden layers)
                assertTrue(Math.abs(e.value() - exact) <= STDERRS * e.stderr() + 1e-12 * Math.abs(exact), ctx);
            }
        }
    }

    @Test
    void diagonalOperatorsGiveTheirTraceExactlyWithoutDeflation() {
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
            // v^T D v = sum d_i v_i^2 = sum d_i for every Rademacher v: zero variance, so the first allowed stop
            TraceEstimate e = HutchinsonTrace.estimate(LanczosTest.diagonal(d), dim, 1e-2, 100, 0, seed);
            String ctx = "seed " + seed + ", dim " + dim + ": " + e;
            assertEquals(trace, e.value(), ROUNDING * abs, ctx);
            assertTrue(e.stderr() <= ROUNDING * abs, ctx);
            assertEquals(HutchinsonTrace.MIN_PROBES, e.probes(), ctx);
            assertEquals(0, e.deflated(), ctx);
            assertTrue(e.converged(), ctx);
        }
    }

    /** A basis of the whole space takes the trace out exactly: no probe is drawn. */
    @Test
    void deflatingEveryDirectionIsExact() {
        for (int dim : new int[] {1, 7, 30}) {
            double[][] m = randomSymmetric(dim, dim);
            double trace = 0;
            for (int i = 0; i < dim; i++) trace += m[i][i];
            TraceEstimate e = HutchinsonTrace.estimate(LanczosTest.dense(m), dim, 1e-2, 100, dim + 5, 3);
            String ctx = "dim " + dim + ": exact " + trace + ", " + e;
            assertEquals(trace, e.value(), 1e-11 * dim, ctx);
            assertEquals(0, e.probes(), ctx);
            assertEquals(0.0, e.stderr(), ctx);
            assertEquals(dim, e.deflated(), ctx);
        }
    }

    /**
     * Like a Hessian: a few large outlying eigenvalues over a bulk of small ones. Taking out a
     * Krylov space of 10 vectors takes the outliers out of the probes' variance: at the same
     * number of probes the standard error drops by more than 10x, and the estimate stays within
     * 3 standard errors of the exact trace.
     */
    @Test
    void deflationRemovesTheOutliersFromTheVariance() {
        int dim = 200;
        for (long seed = 1; seed <= 3; seed++) {
            Spectrum s = Spectrum.outliers(dim, seed);
            TraceEstimate plain = HutchinsonTrace.estimate(s.op, dim, 1e-15, 50, 0, seed);
            TraceEstimate deflated = HutchinsonTrace.estimate(s.op, dim, 1e-15, 50, 10, seed);
            String ctx = "seed " + seed + ": exact " + s.trace + ", plain " + plain + ", deflated " + deflated;
            assertEquals(50, plain.probes(), ctx);
            assertEquals(50, deflated.probes(), ctx);
            assertEquals(10, deflated.deflated(), ctx);
            assertTrue(deflated.stderr() * 10 < plain.stderr(), ctx);
            assertTrue(Math.abs(deflated.value() - s.trace) <= STDERRS * deflated.stderr(), ctx);
            assertTrue(Math.abs(plain.value() - s.trace) <= STDERRS * plain.stderr(), ctx);
        }
    }

    /**
     * The stated rate: estimate +- 2 stderr covers the exact trace in about 95% of runs at a fixed
     * number of probes; stopping on the estimated error lowers it a little. Over 200 seeds, with
     * the defaults and with plain Hutchinson stopped at 10% relative error, coverage is at least
     * 88% (a binomial with p = 0.95 falls below that with probability under 1e-4), and the mean
     * of the estimates is within 4 of its standard errors of the truth (no bias).
     */
    @Test
    void reportedIntervalCoversTheTraceAtTheStatedRate() {
        int dim = 120;
        Spectrum s = Spectrum.outliers(dim, 11);
        int runs = 200;
        for (int deflate : new int[] {HutchinsonTrace.DEFAULT_DEFLATE, 0}) {
            double tol = deflate == 0 ? 1e-1 : HutchinsonTrace.DEFAULT_TOL;
            int covered = 0;
            double sum = 0;
            double sumSq = 0;
            for (long seed = 1; seed <= runs; seed++) {
                TraceEstimate e = HutchinsonTrace.estimate(s.op, dim, tol, 200, deflate, 1000 + seed);
                if (Math.abs(e.value() - s.trace) <= 2 * e.stderr()) covered++;
                sum += e.value();
                sumSq += e.value() * e.value();
            }
            double mean = sum / runs;
            double sdOfMean = Math.sqrt(Math.max(0, sumSq / runs - mean * mean) / (runs - 1));
            String ctx = "deflate " + deflate + ", tol " + tol + ": covered " + covered + " of " + runs + ", mean " + mean
                    + " +- " + sdOfMean + ", exact " + s.trace;
            assertTrue(covered >= 0.88 * runs, ctx);
            assertTrue(Math.abs(mean - s.trace) <= 4 * sdOfMean + 1e-12 * Math.abs(s.trace), ctx);
        }
    }

    /** The run stops at the first k >= MIN_PROBES with stderr_k <= tol |estimate_k|, by brute force over the probe values. */
    @Test
    void stopsWhenTheStandardErrorReachesTheTolerance() {
        double[][] m = randomSymmetric(30, 7);
        for (int i = 0; i < 30; i++) m[i][i] += 12; // a trace far from 0, so the relative rule stops within the cap
        SymmetricOperator dense = LanczosTest.dense(m);
        for (int deflate : new int[] {0, 4}) {
            List<Double> values = new ArrayList<>();
            SymmetricOperator recording = (v, out) -> {
                dense.apply(v, out);
                values.add(v.mul(out).sumNumber().doubleValue());
            };
            for (double tol : new double[] {1e-1, 3e-2, 1e-2}) {
                values.clear();
                TraceEstimate e = HutchinsonTrace.estimate(recording, 30, tol, 100, deflate, 7);
                String ctx = "deflate " + deflate + ", tol " + tol + ": " + e;
                assertEquals(values.size(), deflate + e.probes(), ctx);
                double exactPart = 0;
                for (int i = 0; i < deflate; i++) exactPart += values.get(i);
                List<Double> probes = values.subList(deflate, values.size());
                int expected = 100;
                double sum = 0;
                double sumSq = 0;
                for (int k = 1; k <= probes.size(); k++) {
                    double t = probes.get(k - 1);
                    sum += t;
                    sumSq += t * t;
                    double mean = sum / k;
                    double se = k < 2 ? Double.NaN : Math.sqrt(Math.max(0, (sumSq - k * mean * mean) / (k - 1)) / k);
                    if (k >= HutchinsonTrace.MIN_PROBES && se <= tol * Math.abs(exactPart + mean) * (1 + 1e-9)) {
                        expected = k;
                        break;
                    }
                }
                assertEquals(expected, e.probes(), ctx);
                assertEquals(expected < 100, e.converged(), ctx);
                assertEquals(exactPart + sum / e.probes(), e.value(), 1e-10 * Math.abs(e.value()), ctx);
            }
        }
        TraceEstimate capped = HutchinsonTrace.estimate(dense, 30, 1e-15, 17, 0, 7);
        assertEquals(17, capped.probes());
        assertTrue(!capped.converged());
    }

    /**
     * Without deflation the standard error is sigma / sqrt(k) with sigma^2 = 2 sum_{i != j}
     * A_ij^2 (closed form of the Rademacher probe variance): sqrt(k) stderr matches sigma at every
     * k, so stderr halves when k quadruples. The sample standard deviation of k draws is within
     * ~sqrt(kurtosis / 4k) of sigma: 20% at k = 100 and 10% from k = 400 are several of those.
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
                TraceEstimate e = HutchinsonTrace.estimate(op, dim, 1e-15, k, 0, 100 + seed);
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
        LanczosTest.assertMessage("tol must be in (0, 1), got 0.0", () -> HutchinsonTrace.estimate(op, 2, 0.0, 10, 0, 1));
        LanczosTest.assertMessage("maxProbes must be >= 2, got 1", () -> HutchinsonTrace.estimate(op, 2, 1e-3, 1, 0, 1));
        LanczosTest.assertMessage("deflate must be >= 0, got -1", () -> HutchinsonTrace.estimate(op, 2, 1e-3, 10, -1, 1));
        LanczosTest.assertMessage("operator must not be null", () -> HutchinsonTrace.estimate(null, 2, 1));
        for (int deflate : new int[] {0, 2}) {
            IllegalStateException ex = assertThrows(IllegalStateException.class,
                    () -> HutchinsonTrace.estimate((v, out) -> out.assign(Double.NaN), 5, 1e-2, 10, deflate, 1));
            assertTrue(ex.getMessage().contains("not finite") || ex.getMessage().contains("non-finite"), ex.getMessage());
        }
    }

    /** A = Q diag(lambda) Q^T, Q a random orthogonal matrix: 5 outliers 40..200 over a bulk in [-0.5, 1.5]; exact trace sum lambda. */
    record Spectrum(SymmetricOperator op, double trace) {
        static Spectrum outliers(int dim, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] lambda = new double[dim];
            double trace = 0;
            for (int i = 0; i < dim; i++) {
                lambda[i] = i < 5 ? 40.0 * (i + 1) : rng.nextDouble(-0.5, 1.5);
                trace += lambda[i];
            }
            double[][] q = orthogonal(dim, rng);
            double[][] m = new double[dim][dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) {
                    double x = 0;
                    for (int l = 0; l < dim; l++) x += q[i][l] * lambda[l] * q[j][l];
                    m[i][j] = m[j][i] = x;
                }
            }
            return new Spectrum(LanczosTest.dense(m), trace);
        }

        /** Gram-Schmidt (twice) of a Gaussian matrix's columns. */
        private static double[][] orthogonal(int dim, SplittableRandom rng) {
            double[][] q = new double[dim][dim];
            for (int c = 0; c < dim; c++) {
                double[] v = new double[dim];
                for (int i = 0; i < dim; i++) v[i] = rng.nextGaussian();
                for (int pass = 0; pass < 2; pass++) {
                    for (int p = 0; p < c; p++) {
                        double dot = 0;
                        for (int i = 0; i < dim; i++) dot += q[i][p] * v[i];
                        for (int i = 0; i < dim; i++) v[i] -= dot * q[i][p];
                    }
                }
                double norm = 0;
                for (double x : v) norm += x * x;
                norm = Math.sqrt(norm);
                for (int i = 0; i < dim; i++) q[i][c] = v[i] / norm;
            }
            return q;
        }
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
