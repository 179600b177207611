package org.sharpsweep.worker.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lanczos against spectra known in closed form (diagonal operators, U diag(s) U^T) and against
 * commons-math3's dense {@link EigenDecomposition}. Every converged result is also checked to be
 * honest: the residual ||A x - theta x|| / |theta| recomputed here from the Ritz vector matches
 * the reported one and is within tol.
 */
class LanczosTest {

    /** Slack on the recomputed residual: the Lanczos relation holds to O(eps ||A||) (Paige 1976). */
    static final double RESIDUAL_SLACK = 1e-10;
    /** Eigenvalues of the small dense and tridiagonal oracles agree to this relative accuracy. */
    static final double DENSE_REL_TOL = 1e-10;

    // ---- operators with known spectra ----

    static SymmetricOperator diagonal(double[] eigenvalues) {
        INDArray d = Nd4j.createFromArray(eigenvalues.clone());
        return (v, out) -> out.assign(v).muli(d);
    }

    static SymmetricOperator dense(double[][] m) {
        int n = m.length;
        INDArray a = Nd4j.createFromArray(m).castTo(DataType.DOUBLE);
        return (v, out) -> Nd4j.gemm(a, v.reshape(n, 1), out.reshape(n, 1), false, false, 1.0, 0.0);
    }

    static double max(double[] x) {
        return Arrays.stream(x).max().orElseThrow();
    }

    /** The top cluster 1.0, 0.9999, ..., 1 - (size-1) 1e-4 above a bulk uniform in [0, bulkTop]. */
    static double[] clusteredSpectrum(int dim, int size, double bulkTop, long seed) {
        return clusteredSpectrum(dim, size, 1e-4, bulkTop, seed);
    }

    /** The top cluster 1 - spacing j, j < size, above a bulk uniform in [0, bulkTop]. */
    static double[] clusteredSpectrum(int dim, int size, double spacing, double bulkTop, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = i < size ? 1.0 - spacing * i : rng.nextDouble(0, bulkTop);
        return d;
    }

    /** ||A x - theta x|| / |theta| computed from scratch for the returned pair. */
    static double trueResidual(SymmetricOperator op, int dim, EigenEstimate.WithVector pair) {
        INDArray x = pair.vector();
        assertEquals(1.0, x.norm2Number().doubleValue(), 1e-12, "Ritz vector must be a unit vector");
        INDArray ax = Nd4j.create(DataType.DOUBLE, dim);
        op.apply(x, ax);
        double theta = pair.estimate().value();
        double num = ax.sub(x.mul(theta)).norm2Number().doubleValue();
        return num == 0 ? 0 : num / Math.abs(theta);
    }

    /** Converged, within maxIters, and the reported residual is the true one up to rounding. */
    static void assertHonest(SymmetricOperator op, int dim, EigenEstimate.WithVector pair, double tol, int maxIters,
            String context) {
        EigenEstimate e = pair.estimate();
        double truth = trueResidual(op, dim, pair);
        assertTrue(e.iterations() <= maxIters, context + ": iterations " + e.iterations() + " > maxIters " + maxIters);
        assertEquals(truth, e.residual(), RESIDUAL_SLACK, context + ": reported residual vs recomputed");
        if (e.converged()) {
            assertTrue(e.residual() <= tol, context + ": converged but residual " + e.residual() + " > tol " + tol);
            assertTrue(truth <= tol + RESIDUAL_SLACK, context + ": true residual " + truth + " > tol " + tol);
        }
    }

    // ---- tests ----

    @Test
    void diagonalOperatorsWithRandomSpectra() {
        double tol = 1e-8;
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int dim = rng.nextInt(50, 400);
            double[] d = new double[dim];
            for (int i = 0; i < dim; i++) d[i] = rng.nextDouble(-1.0, 2.0);
            double expected = max(d); // closed form: a diagonal matrix's eigenvalues are its entries
            String ctx = "seed " + seed + ", dim " + dim;
            SymmetricOperator op = diagonal(d);
            EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, dim, seed);
            assertTrue(pair.estimate().converged(), ctx + ": " + pair.estimate());
            assertHonest(op, dim, pair, tol, dim, ctx);
            // converged residual r bounds |theta - lambda_j| <= r |theta| for some j; theta <= lambda_max
            assertEquals(expected, pair.estimate().value(), tol * Math.abs(expected), ctx);
        }
    }

    @Test
    void denseRandomSymmetricMatchesCommonsMath() {
        double tol = 1e-10;
        for (long seed = 11; seed <= 13; seed++) {
            int dim = 60;
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] m = new double[dim][dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) m[i][j] = m[j][i] = rng.nextGaussian();
            }
            double expected = max(new EigenDecomposition(new Array2DRowRealMatrix(m)).getRealEigenvalues());
            SymmetricOperator op = dense(m);
            EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, dim, seed);
            String ctx = "seed " + seed;
            assertTrue(pair.estimate().converged(), ctx + ": " + pair.estimate());
            assertHonest(op, dim, pair, tol, dim, ctx);
            assertEquals(expected, pair.estimate().value(), DENSE_REL_TOL * Math.abs(expected), ctx);
        }
    }

    @Test
    void negativeDefiniteOperatorHasNegativeTop() {
        double tol = 1e-8;
        int dim = 200;
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = -1.0 - i * 0.05; // closed form: top eigenvalue -1
        SymmetricOperator op = diagonal(d);
        EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, dim, 3);
        assertTrue(pair.estimate().converged(), pair.estimate().toString());
        assertHonest(op, dim, pair, tol, dim, "negative definite");
        assertEquals(-1.0, pair.estimate().value(), tol);

        // dense: M - (||M||_F + 1) I is negative definite; oracle commons-math
        int n = 40;
        SplittableRandom rng = new SplittableRandom(5);
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) m[i][j] = m[j][i] = rng.nextGaussian();
        }
        double shift = new Array2DRowRealMatrix(m).getFrobeniusNorm() + 1;
        for (int i = 0; i < n; i++) m[i][i] -= shift;
        double expected = max(new EigenDecomposition(new Array2DRowRealMatrix(m)).getRealEigenvalues());
        assertTrue(expected < 0);
        EigenEstimate e = Lanczos.top(dense(m), n, 1e-10, n, 5);
        assertTrue(e.converged(), e.toString());
        assertEquals(expected, e.value(), DENSE_REL_TOL * Math.abs(expected));
    }

    @Test
    void clusteredTopIsResolvedAtTightTolerance() {
        int dim = 1000;
        long seed = 21;
        double[] d = clusteredSpectrum(dim, 5, 0.9, seed);
        SymmetricOperator op = diagonal(d);
        double tol = 1e-8;
        EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, 300, seed);
        assertTrue(pair.estimate().converged(), pair.estimate().toString());
        assertHonest(op, dim, pair, tol, 300, "clustered, tol 1e-8");
        // residual 1e-8 < spacing 1e-4: theta is within 1e-8 of the eigenvalue 1.0 (closed form)
        assertEquals(1.0, pair.estimate().value(), tol);

        double loose = 1e-4;
        EigenEstimate.WithVector coarse = Lanczos.topWithVector(op, dim, loose, 300, seed);
        assertTrue(coarse.estimate().converged(), coarse.estimate().toString());
        assertHonest(op, dim, coarse, loose, 300, "clustered, tol 1e-4");
        // theta <= lambda_max = 1 (Rayleigh quotient) and within r |theta| <= 1e-4 of an eigenvalue,
        // and the only eigenvalues above 0.9 are the cluster's: theta in [0.9996 - 1e-4, 1]
        double theta = coarse.estimate().value();
        assertTrue(theta <= 1.0 + 1e-15 && theta >= 0.9996 - loose, "theta " + theta);
    }

    @Test
    void multiplicityTwoIsFoundWithTheRightValue() {
        int dim = 300;
        SplittableRandom rng = new SplittableRandom(31);
        double[] d = new double[dim];
        d[0] = 5.0;
        d[1] = 5.0;
        d[2] = 3.0;
        for (int i = 3; i < dim; i++) d[i] = rng.nextDouble(0, 2.0);
        SymmetricOperator op = diagonal(d);
        double tol = 1e-8;
        EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, dim, 31);
        assertTrue(pair.estimate().converged(), pair.estimate().toString());
        assertHonest(op, dim, pair, tol, dim, "multiplicity two");
        assertEquals(5.0, pair.estimate().value(), tol * 5.0);
    }

    @Test
    void lowRankOperatorBreaksDownWithExactValue() {
        int dim = 200;
        double[] s = {3.0, 2.0, -1.0, 0.5};
        int rank = s.length;
        // A = U diag(s) U^T with U the orthonormal Q of a Gaussian matrix: spectrum s plus zeros
        SplittableRandom rng = new SplittableRandom(41);
        double[][] g = new double[dim][rank];
        for (double[] row : g) for (int j = 0; j < rank; j++) row[j] = rng.nextGaussian();
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(g)).getQ().getSubMatrix(0, dim - 1, 0, rank - 1);
        double[][] m = q.multiply(new Array2DRowRealMatrix(diag(s))).multiply(q.transpose()).getData();
        SymmetricOperator op = dense(m);
        double tol = 1e-14; // below what any step before the breakdown can reach
        EigenEstimate.WithVector pair = Lanczos.topWithVector(op, dim, tol, 50, 41);
        EigenEstimate e = pair.estimate();
        // the Krylov space is span(U) + the start vector's null-space part: dimension rank + 1
        assertEquals(rank + 1, e.iterations(), e.toString());
        assertTrue(e.converged(), e.toString());
        assertEquals(3.0, e.value(), 1e-13);
        assertHonest(op, dim, pair, tol, 50, "low rank");

        // the zero operator: breakdown at the first product, theta = 0 exactly, residual 0
        EigenEstimate zero = Lanczos.top((v, out) -> out.assign(0.0), 10, 1e-4, 10, 1);
        assertEquals(new EigenEstimate(0.0, 0.0, 1, true), zero);
    }

    private static double[][] diag(double[] s) {
        double[][] m = new double[s.length][s.length];
        for (int i = 0; i < s.length; i++) m[i][i] = s[i];
        return m;
    }

    @Test
    void dimensionOne() {
        for (double c : new double[] {-2.5, 0.0, 7.0}) {
            SymmetricOperator op = (v, out) -> out.assign(v).muli(c);
            EigenEstimate.WithVector pair = Lanczos.topWithVector(op, 1, 1e-4, 10, 7);
            assertEquals(new EigenEstimate(c, 0.0, 1, true), pair.estimate(), "A = [" + c + "]");
            assertEquals(1.0, Math.abs(pair.vector().getDouble(0)), 0.0);
        }
    }

    @Test
    void dimensionBelowMaxItersStopsAtDim() {
        double[] d = {1.5, 1.2, 1.9, 1.1, 1.7};
        SymmetricOperator op = diagonal(d);
        EigenEstimate.WithVector pair = Lanczos.topWithVector(op, d.length, 1e-12, 100, 2);
        EigenEstimate e = pair.estimate();
        assertTrue(e.iterations() <= d.length, e.toString());
        assertTrue(e.converged(), e.toString());
        assertEquals(1.9, e.value(), 1e-13);
        assertHonest(op, d.length, pair, 1e-12, d.length, "dim 5");
    }

    @Test
    void nonConvergenceReportsTheResidualReached() {
        int dim = 1000;
        double[] d = clusteredSpectrum(dim, 5, 0.9, 51);
        SymmetricOperator op = diagonal(d);
        AtomicInteger products = new AtomicInteger();
        SymmetricOperator counting = (v, out) -> {
            products.incrementAndGet();
            op.apply(v, out);
        };
        double tol = 1e-10;
        int maxIters = 6;
        EigenEstimate.WithVector pair = Lanczos.topWithVector(counting, dim, tol, maxIters, 51);
        EigenEstimate e = pair.estimate();
        assertFalse(e.converged(), e.toString());
        assertEquals(maxIters, e.iterations());
        assertEquals(maxIters, products.get(), "iterations must count the operator products");
        assertTrue(e.residual() > tol, e.toString());
        assertHonest(op, dim, pair, tol, maxIters, "capped");
        assertTrue(e.value() <= 1.0 + 1e-15, "a Ritz value never exceeds lambda_max: " + e.value());
    }

    @Test
    void iterationsCountProductsAndNeverExceedMaxIters() {
        int dim = 500;
        double[] d = clusteredSpectrum(dim, 3, 0.95, 61);
        for (int maxIters : new int[] {1, 2, 7, 40, 500}) {
            AtomicInteger products = new AtomicInteger();
            SymmetricOperator op = diagonal(d);
            EigenEstimate e = Lanczos.top((v, out) -> {
                products.incrementAndGet();
                op.apply(v, out);
            }, dim, 1e-6, maxIters, 61);
            assertTrue(e.iterations() <= maxIters, "maxIters " + maxIters + ": " + e);
            assertEquals(products.get(), e.iterations(), "maxIters " + maxIters);
            assertEquals(e.residual() <= 1e-6, e.converged(), "maxIters " + maxIters + ": " + e);
        }
    }

    @Test
    void sameSeedSameResultAndStartVectorDependsOnSeed() {
        double[] d = clusteredSpectrum(300, 4, 0.9, 71);
        EigenEstimate a = Lanczos.top(diagonal(d), 300, 1e-4, 100, 71);
        EigenEstimate b = Lanczos.top(diagonal(d), 300, 1e-4, 100, 71);
        assertEquals(a, b);
        assertFalse(Lanczos.gaussianUnit(300, 1).equals(Lanczos.gaussianUnit(300, 2)));
    }

    @Test
    void operatorProducingNaNIsAnError() {
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> Lanczos.top((v, out) -> out.assign(Double.NaN), 5, 1e-4, 5, 1));
        assertTrue(ex.getMessage().contains("not finite"), ex.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        SymmetricOperator op = diagonal(new double[] {1, 2});
        assertMessage("dim must be >= 1, got 0", () -> Lanczos.top(op, 0, 1e-4, 10, 1));
        assertMessage("tol must be in (0, 1), got 0.0", () -> Lanczos.top(op, 2, 0.0, 10, 1));
        assertMessage("tol must be in (0, 1), got 1.0", () -> Lanczos.top(op, 2, 1.0, 10, 1));
        assertMessage("tol must be in (0, 1), got NaN", () -> Lanczos.top(op, 2, Double.NaN, 10, 1));
        assertMessage("maxIters must be >= 1, got 0", () -> Lanczos.top(op, 2, 1e-4, 0, 1));
        assertMessage("operator must not be null", () -> Lanczos.top(null, 2, 1e-4, 10, 1));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, ex.getMessage());
    }

    /** The O(n) tridiagonal top eigenpair against commons-math3's tridiagonal EigenDecomposition. */
    @Test
    void tridiagonalTopEigenpairMatchesCommonsMath() {
        for (long seed = 100; seed < 140; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int n = rng.nextInt(1, 80);
            double scale = Math.pow(10, rng.nextInt(-3, 4));
            double[] alpha = new double[n];
            double[] beta = new double[n];
            for (int i = 0; i < n; i++) alpha[i] = scale * rng.nextGaussian();
            for (int i = 0; i < n - 1; i++) beta[i] = scale * rng.nextDouble(0.01, 1.0);
            EigenDecomposition ed = new EigenDecomposition(alpha.clone(), Arrays.copyOf(beta, n - 1));
            double[] values = ed.getRealEigenvalues();
            int top = 0;
            for (int i = 1; i < n; i++) if (values[i] > values[top]) top = i;
            double norm = Arrays.stream(values).map(Math::abs).max().orElseThrow();
            String ctx = "seed " + seed + ", n " + n;
            double theta = Lanczos.topEigenvalue(alpha, beta, n);
            assertEquals(values[top], theta, DENSE_REL_TOL * norm, ctx);
            double[] y = Lanczos.topEigenvector(alpha, beta, n, theta);
            double[] expectedY = ed.getEigenvector(top).toArray();
            // eigenvectors are defined up to sign; the accuracy ~ eps ||T|| / gap, gaps here are >> 1e-6 ||T||
            double dot = 0;
            for (int i = 0; i < n; i++) dot += y[i] * expectedY[i];
            double sign = Math.signum(dot);
            for (int i = 0; i < n; i++) assertEquals(expectedY[i], sign * y[i], 1e-8, ctx + ", component " + i);
        }
    }
}
