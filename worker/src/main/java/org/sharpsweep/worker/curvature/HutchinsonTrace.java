package org.sharpsweep.worker.curvature;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The trace of a symmetric operator by Hutchinson's estimator with Rademacher probes (Hutchinson
 * 1990; Avron &amp; Toledo 2011) on the part of the operator a short Krylov space leaves over, and
 * a stopping rule on the standard error (docs/science.md, "Hessian trace").
 *
 * <p><b>Deflation.</b> j steps of Lanczos ({@link LanczosProcess}, full re-orthogonalization, from
 * a seeded Gaussian start) give an orthonormal basis V (j x dim) of a Krylov space, which holds
 * the directions of the largest eigenvalues first. For any orthonormal V and P = I - V^T V,
 * tr(A) = tr(V A V^T) + tr(P A P) exactly; tr(V A V^T) is the sum of Lanczos' alpha_i = v_i^T A
 * v_i (computed, not estimated), and Hutchinson estimates only tr(P A P) with probes u = P z, z
 * Rademacher: t = u^T A u, unbiased since E[z z^T] = I. The variance of one probe drops from 2
 * sum_{i != j} A_ij^2 to that of P A P: a Hessian's few large outlying eigenvalues, which carry most
 * of its Frobenius norm, no longer enter it (the idea of Hutch++, Meyer, Musco, Musco &amp;
 * Woodruff 2021, with a Krylov space in place of a sketch). j = 0 is plain Hutchinson; j = dim
 * gives the trace exactly with no probes.
 *
 * <p><b>Stopping.</b> After k probes the estimate is tr(V A V^T) + m_k, m_k = (1/k) sum t_i, and
 * its standard error is s_k / sqrt(k), s_k the sample standard deviation (divisor k - 1). The run
 * stops at the first k >= {@link #MIN_PROBES} whose standard error is at most {@code tol} times
 * |estimate|, or at {@code maxProbes}: the tolerance is the relative standard error it says it is.
 * (PyHessian's rule, a change of the running mean below tol, stops long before the error is that
 * small; it is not used.) Stopping on the estimated error lowers the coverage of estimate +- 2
 * stderr a little below the 95% of a fixed k; the test measures it.
 *
 * <p>Units: those of A. Randomness from {@code new SplittableRandom(seed)} only: the same
 * arguments give the same result. Cost: j + k operator products, O(j dim) work per product for
 * the basis. Memory: j + 2 vectors of dim doubles. Thread-safe as far as the operator is.
 */
public final class HutchinsonTrace {

    /** Relative standard error that stops the run by default (1%). */
    public static final double DEFAULT_TOL = 1e-2;
    /** Cap on probes by default. */
    public static final int DEFAULT_MAX_PROBES = 100;
    /** Krylov vectors taken out exactly by default. */
    public static final int DEFAULT_DEFLATE = 20;
    /** Probes before the standard error may stop the run: with fewer it is itself too uncertain. */
    public static final int MIN_PROBES = 10;

    private HutchinsonTrace() {
    }

    /** {@link #estimate(SymmetricOperator, int, double, int, int, long)} with the defaults. */
    public static TraceEstimate estimate(SymmetricOperator a, int dim, long seed) {
        return estimate(a, dim, DEFAULT_TOL, DEFAULT_MAX_PROBES, DEFAULT_DEFLATE, seed);
    }

    /**
     * @param a         the operator; called at most min(deflate, dim) + maxProbes times
     * @param dim       dimension, >= 1
     * @param tol       relative standard error that stops the run, in (0, 1)
     * @param maxProbes cap on probes, >= 2
     * @param deflate   j, the Krylov vectors whose part of the trace is computed exactly, >= 0
     * @param seed      seed of the Krylov start and of the probes
     * @throws IllegalArgumentException on a bad argument
     * @throws IllegalStateException    if a product or a probe value is not finite
     */
    public static TraceEstimate estimate(SymmetricOperator a, int dim, double tol, int maxProbes, int deflate, long seed) {
        if (a == null) throw new IllegalArgumentException("operator must not be null");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (!(tol > 0 && tol < 1)) throw new IllegalArgumentException("tol must be in (0, 1), got " + tol);
        if (maxProbes < 2) throw new IllegalArgumentException("maxProbes must be >= 2, got " + maxProbes);
        if (deflate < 0) throw new IllegalArgumentException("deflate must be >= 0, got " + deflate);
        SplittableRandom rng = new SplittableRandom(seed);
        long krylovSeed = rng.nextLong();
        Deflation d = Deflation.of(a, dim, Math.min(deflate, dim), krylovSeed, rng.split());
        if (d.rows == dim) { // the basis spans everything
            LanczosProcess.free(d.basis);
            return new TraceEstimate(d.trace, 0, 0, d.rows, true);
        }
        double[] signs = new double[dim];
        INDArray u = Nd4j.create(DataType.DOUBLE, dim);
        INDArray w = Nd4j.create(DataType.DOUBLE, dim);
        double mean = 0;
        double m2 = 0; // Welford: sum of squared deviations from the running mean
        int k = 0;
        boolean converged = false;
        while (k < maxProbes) {
            rademacher(rng, signs);
            u.assign(Nd4j.createFromArray(signs));
            d.project(u);
            a.apply(u, w);
            double t = Nd4j.getBlasWrapper().dot(u, w);
            if (!Double.isFinite(t)) {
                throw new IllegalStateException("probe " + (k + 1) + " gave a non-finite u^T A u = " + t);
            }
            k++;
            double delta = t - mean;
            mean += delta / k;
            m2 += delta * (t - mean);
            if (k >= MIN_PROBES && standardError(m2, k) <= tol * Math.abs(d.trace + mean)) {
                converged = true;
                break;
            }
        }
        LanczosProcess.free(d.basis);
        LanczosProcess.free(u);
        LanczosProcess.free(w);
        return new TraceEstimate(d.trace + mean, standardError(m2, k), k, d.rows, converged);
    }

    private static double standardError(double m2, int k) {
        return Math.sqrt(Math.max(0, m2) / (k - 1) / k);
    }

    /** V, the orthonormal Krylov basis (rows), and tr(V A V^T) = sum alpha_i. */
    private record Deflation(INDArray basis, int rows, double trace, INDArray coef) {
        static Deflation of(SymmetricOperator a, int dim, int j, long startSeed, SplittableRandom restarts) {
            if (j == 0) return new Deflation(null, 0, 0, null);
            LanczosProcess.Result r = LanczosProcess.run(a, dim, Lanczos.gaussianUnit(dim, startSeed), j, restarts,
                    (alpha, beta, n, breakdown, blockStart) -> LanczosProcess.Decision.CONTINUE);
            double trace = 0;
            for (double x : r.alpha()) trace += x;
            // a breakdown without a restart left fewer vectors: the span is invariant and its part of the trace exact all the same
            INDArray v = r.basis().get(NDArrayIndex.interval(0, r.n()), NDArrayIndex.all()).dup();
            r.free();
            return new Deflation(v, r.n(), trace, Nd4j.create(DataType.DOUBLE, r.n(), 1));
        }

        /** u := P u = u - V^T (V u), twice (classical Gram-Schmidt is exact to rounding after two passes). */
        void project(INDArray u) {
            if (rows == 0) return;
            INDArray col = u.reshape(u.length(), 1);
            for (int pass = 0; pass < 2; pass++) {
                Nd4j.gemm(basis, col, coef, false, false, 1.0, 0.0);
                Nd4j.gemm(basis, coef, col, true, false, -1.0, 1.0);
            }
        }
    }

    /** Fills {@code out} with i.i.d. +-1, 64 signs per draw. */
    static void rademacher(SplittableRandom rng, double[] out) {
        long bits = 0;
        for (int i = 0; i < out.length; i++) {
            if ((i & 63) == 0) bits = rng.nextLong();
            out[i] = (bits & 1L) == 0 ? 1.0 : -1.0;
            bits >>>= 1;
        }
    }
}
