package org.sharpsweep.worker.curvature;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trace of a symmetric operator by Hutchinson's estimator with Rademacher probes
 * (Hutchinson 1990, "A stochastic estimator of the trace of the influence matrix for Laplacian
 * smoothing splines"; Avron &amp; Toledo 2011), with PyHessian's stopping rule (Yao, Gholami,
 * Keutzer &amp; Mahoney 2020, {@code hessian.trace}).
 *
 * <p>Probe i is v_i with i.i.d. entries +-1 (probability 1/2 each), so E[v v^T] = I and
 * E[v^T A v] = tr(A); its value is t_i = v_i^T A v_i. After k probes the estimate is the mean
 * m_k = (1/k) sum t_i and its standard error is s_k / sqrt(k), s_k the sample standard deviation
 * (divisor k - 1). The variance of one Rademacher probe is 2 sum_{i != j} A_ij^2: a diagonal A
 * gives the exact trace with standard error 0.
 *
 * <p>Stop at the first k >= 2 with |m_k - m_{k-1}| / (|m_{k-1}| + 1e-6) &lt; tol, or at k =
 * maxProbes. PyHessian applies the rule from k = 1 with m_0 = 0; starting at k = 2 here makes the
 * standard error defined (and a trace below 1e-9 can no longer stop the run after one probe).
 * Defaults are PyHessian's: {@link #DEFAULT_TOL} = 1e-3 and {@link #DEFAULT_MAX_PROBES} = 100.
 * The rule measures the stability of the running mean, not its error: read {@code stderr}.
 *
 * <p>Units: those of A (for the Hessian of the mean loss, loss per parameter squared). The probes
 * come from {@code new SplittableRandom(seed)} (64 signs per {@code nextLong}), never from the
 * clock: the same arguments give the same result. Cost: one operator product and O(dim) work per
 * probe. Thread-safe as far as the operator is.
 */
public final class HutchinsonTrace {

    /** PyHessian's default relative tolerance on the change of the running mean. */
    public static final double DEFAULT_TOL = 1e-3;
    /** PyHessian's default cap on probes ({@code maxIter}). */
    public static final int DEFAULT_MAX_PROBES = 100;
    /** PyHessian's guard in the denominator of the stopping rule. */
    static final double MEAN_GUARD = 1e-6;

    private HutchinsonTrace() {
    }

    /** {@link #estimate(SymmetricOperator, int, double, int, long)} with PyHessian's defaults. */
    public static TraceEstimate estimate(SymmetricOperator a, int dim, long seed) {
        return estimate(a, dim, DEFAULT_TOL, DEFAULT_MAX_PROBES, seed);
    }

    /**
     * @param a         the operator; called at most maxProbes times
     * @param dim       dimension, >= 1
     * @param tol       relative change of the running mean that stops the run, in (0, 1)
     * @param maxProbes cap on probes, >= 2
     * @param seed      seed of the probes
     * @throws IllegalArgumentException on a bad argument
     * @throws IllegalStateException    if a probe value is not finite
     */
    public static TraceEstimate estimate(SymmetricOperator a, int dim, double tol, int maxProbes, long seed) {
        if (a == null) throw new IllegalArgumentException("operator must not be null");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (!(tol > 0 && tol < 1)) throw new IllegalArgumentException("tol must be in (0, 1), got " + tol);
        if (maxProbes < 2) throw new IllegalArgumentException("maxProbes must be >= 2, got " + maxProbes);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] signs = new double[dim];
        INDArray w = Nd4j.create(DataType.DOUBLE, dim);
        double mean = 0;
        double m2 = 0; // Welford: sum of squared deviations from the running mean
        int k = 0;
        boolean converged = false;
        while (k < maxProbes) {
            rademacher(rng, signs);
            INDArray v = Nd4j.createFromArray(signs);
            a.apply(v, w);
            double t = Nd4j.getBlasWrapper().dot(v, w);
            if (!Double.isFinite(t)) {
                throw new IllegalStateException("probe " + (k + 1) + " gave a non-finite v^T A v = " + t);
            }
            k++;
            double previous = mean;
            double delta = t - mean;
            mean += delta / k;
            m2 += delta * (t - mean);
            if (k >= 2 && Math.abs(mean - previous) / (Math.abs(previous) + MEAN_GUARD) < tol) {
                converged = true;
                break;
            }
        }
        double stderr = Math.sqrt(Math.max(0, m2) / (k - 1) / k);
        return new TraceEstimate(mean, stderr, k, converged);
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
