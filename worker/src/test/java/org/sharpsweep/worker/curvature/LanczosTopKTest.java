package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Loss;

/**
 * {@link Lanczos#topK} against spectra known in closed form (diagonal operators, with and without
 * multiplicity, U diag(s) U^T of low rank) and a tiny network's dense Hessian eigen-decomposed by
 * commons-math3. A converged relative residual r bounds |theta - lambda| <= r |theta| for some
 * eigenvalue lambda; the j-th Ritz value never exceeds the j-th eigenvalue (Cauchy interlacing).
 */
class LanczosTopKTest {

    /** Eigenvalues of a tiny dense Hessian: Lanczos at tol 1e-10 against commons-math, relative to lambda_max. */
    static final double DENSE_REL_TOL = 1e-8;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static double[] descending(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    static void assertWellFormed(List<EigenEstimate> top, int k, double tol, int maxIters, String ctx) {
        assertEquals(k, top.size(), ctx);
        for (int j = 0; j < k; j++) {
            EigenEstimate e = top.get(j);
            assertTrue(e.iterations() <= maxIters, ctx + ": " + e);
            assertEquals(top.get(0).iterations(), e.iterations(), ctx + ": one run, one product count");
            assertEquals(e.residual() <= tol, e.converged(), ctx + ": " + e);
            if (j > 0) assertTrue(e.value() <= top.get(j - 1).value(), ctx + ": not descending " + top);
        }
    }

    @Test
    void diagonalOperatorsWithRandomSpectra() {
        double tol = 1e-8;
        int k = 5;
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int dim = rng.nextInt(50, 400);
            double[] d = new double[dim];
            for (int i = 0; i < dim; i++) d[i] = rng.nextDouble(-1.0, 2.0);
            double[] expected = descending(d); // closed form: the diagonal entries
            String ctx = "seed " + seed + ", dim " + dim;
            List<EigenEstimate> top = Lanczos.topK(LanczosTest.diagonal(d), dim, k, tol, dim, seed);
            assertWellFormed(top, k, tol, dim, ctx);
            for (int j = 0; j < k; j++) {
                assertTrue(top.get(j).converged(), ctx + ": " + top);
                assertEquals(expected[j], top.get(j).value(), tol * Math.abs(expected[j]), ctx + ", j " + j + ": " + top);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @CsvSource({"TANH, MSE, 1", "RELU, XENT, 1", "TANH, HALF_SSE, 2", "TANH, XENT, 0"})
    void tinyNetworkHessianMatchesDenseEigenvalues(Activation act, Loss loss, int depth) {
        TinyNetwork net = TinyNetwork.of(act, loss, depth, 20261129L + depth);
        double[] expected = net.eigenvalues(); // oracle: commons-math3 on the dense Hessian
        int k = 4;
        double tol = 1e-10;
        List<EigenEstimate> top = Lanczos.topK(net.hessian(), net.dim(), k, tol, net.dim(), 3);
        String ctx = net + ": " + top + " vs " + Arrays.toString(Arrays.copyOf(expected, k));
        assertWellFormed(top, k, tol, net.dim(), ctx);
        for (int j = 0; j < k; j++) {
            assertEquals(expected[j], top.get(j).value(), DENSE_REL_TOL * Math.abs(expected[0]), ctx + ", j " + j);
        }
    }

    @Test
    void multiplicityIsListedWhenTheRunReachesTheInvariantSubspaces() {
        // closed form: the spectrum is the diagonal, with 5 twice and 3 three times
        double[] d = {5, 1, 3, 0.5, 5, 3, -2, 0.25, 3, 4, -1, 2};
        int dim = d.length;
        double[] expected = descending(d);
        for (int k : new int[] {2, 4, 6}) {
            for (long seed = 1; seed <= 3; seed++) {
                String ctx = "k " + k + ", seed " + seed;
                List<EigenEstimate> top = Lanczos.topK(LanczosTest.diagonal(d), dim, k, 1e-10, dim, seed);
                assertWellFormed(top, k, 1e-10, dim, ctx + ": " + top);
                for (int j = 0; j < k; j++) assertEquals(expected[j], top.get(j).value(), 1e-12, ctx + ": " + top);
            }
        }
    }

    /**
     * A double eigenvalue in a large space without breakdown: the top is right; the second value
     * is either the second copy (found late through rounding) or the next distinct eigenvalue,
     * as {@link Lanczos#topK} documents.
     */
    @Test
    void multiplicityInALargeSpaceGivesTheRightTop() {
        int dim = 300;
        SplittableRandom rng = new SplittableRandom(31);
        double[] d = new double[dim];
        d[0] = 5.0;
        d[1] = 5.0;
        d[2] = 3.0;
        for (int i = 3; i < dim; i++) d[i] = rng.nextDouble(0, 2.0);
        double tol = 1e-8;
        List<EigenEstimate> top = Lanczos.topK(LanczosTest.diagonal(d), dim, 2, tol, dim, 31);
        assertWellFormed(top, 2, tol, dim, "seed 31");
        assertTrue(top.get(1).converged(), top.toString());
        assertEquals(5.0, top.get(0).value(), tol * 5);
        double second = top.get(1).value();
        assertTrue(Math.abs(second - 5.0) <= tol * 5 || Math.abs(second - 3.0) <= tol * 3, "seed 31: " + top);
    }

    @Test
    void lowRankOperatorStopsAfterOneRestart() {
        int dim = 200;
        double[] s = {3.0, 2.0, -1.0, 0.5};
        int rank = s.length;
        SplittableRandom rng = new SplittableRandom(41);
        double[][] g = new double[dim][rank];
        for (double[] row : g) for (int j = 0; j < rank; j++) row[j] = rng.nextGaussian();
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g)).getQ().getSubMatrix(0, dim - 1, 0, rank - 1);
        double[][] diag = new double[rank][rank];
        for (int i = 0; i < rank; i++) diag[i][i] = s[i];
        double[][] m = q.multiply(new Array2DRowRealMatrix(diag)).multiply(q.transpose()).getData();
        List<EigenEstimate> top = Lanczos.topK(LanczosTest.dense(m), dim, 3, 1e-10, 50, 41);
        String ctx = "seed 41: " + top;
        assertWellFormed(top, 3, 1e-10, 50, ctx);
        // Krylov space span(U) + the start's null part (rank + 1 steps), then one restart into the
        // null space whose Ritz value 0 is below the third eigenvalue 0.5: rank + 2 products
        assertEquals(rank + 2, top.get(0).iterations(), ctx);
        double[] expected = {3.0, 2.0, 0.5};
        for (int j = 0; j < 3; j++) {
            assertEquals(expected[j], top.get(j).value(), 1e-13, ctx);
            assertTrue(top.get(j).converged(), ctx);
        }
    }

    @Test
    void kOneAgreesWithTopWithoutBreakdown() {
        double[] d = LanczosTest.clusteredSpectrum(500, 3, 0.95, 61);
        for (int maxIters : new int[] {1, 7, 60}) {
            EigenEstimate one = Lanczos.top(LanczosTest.diagonal(d), 500, 1e-6, maxIters, 61);
            List<EigenEstimate> k1 = Lanczos.topK(LanczosTest.diagonal(d), 500, 1, 1e-6, maxIters, 61);
            assertEquals(List.of(one), k1, "maxIters " + maxIters);
        }
    }

    @Test
    void capIsHonoredAndReportedAsNotConverged() {
        int dim = 1000;
        double[] d = LanczosTest.clusteredSpectrum(dim, 5, 0.9, 51);
        AtomicInteger products = new AtomicInteger();
        SymmetricOperator op = LanczosTest.diagonal(d);
        List<EigenEstimate> top = Lanczos.topK((v, out) -> {
            products.incrementAndGet();
            op.apply(v, out);
        }, dim, 3, 1e-10, 8, 51);
        assertWellFormed(top, 3, 1e-10, 8, "seed 51");
        assertEquals(8, products.get());
        assertEquals(8, top.get(0).iterations());
        assertFalse(top.get(2).converged(), top.toString());
        for (EigenEstimate e : top) assertTrue(e.value() <= 1.0 + 1e-15, "Ritz value above lambda_max: " + top);
    }

    @Test
    void tridiagonalEigenvaluesByIndexMatchCommonsMath() {
        for (long seed = 200; seed < 230; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int n = rng.nextInt(1, 60);
            double[] alpha = new double[n];
            double[] beta = new double[n];
            for (int i = 0; i < n; i++) alpha[i] = rng.nextGaussian();
            for (int i = 0; i < n - 1; i++) beta[i] = rng.nextDouble(0.01, 1.0);
            double[] values = descending(new EigenDecomposition(alpha.clone(), Arrays.copyOf(beta, n - 1)).getRealEigenvalues());
            double norm = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
            for (int j = 0; j < n; j++) {
                assertEquals(values[j], Lanczos.eigenvalueFromTop(alpha, beta, n, j), 1e-12 * norm, "seed " + seed + ", j " + j);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        SymmetricOperator op = LanczosTest.diagonal(new double[] {1, 2, 3});
        LanczosTest.assertMessage("k must be in [1, dim = 3], got 0", () -> Lanczos.topK(op, 3, 0, 1e-4, 10, 1));
        LanczosTest.assertMessage("k must be in [1, dim = 3], got 4", () -> Lanczos.topK(op, 3, 4, 1e-4, 10, 1));
        LanczosTest.assertMessage("maxIters must be >= k = 3, got 2", () -> Lanczos.topK(op, 3, 3, 1e-4, 2, 1));
        LanczosTest.assertMessage("tol must be in (0, 1), got 0.0", () -> Lanczos.topK(op, 3, 1, 0.0, 10, 1));
    }
}
