package org.sharpsweep.worker.curvature;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An estimate of the algebraically largest eigenvalue of a symmetric operator, with the
 * evidence a reader needs to trust it.
 *
 * @param value      the estimate of lambda_max; for Lanczos a Ritz value, so never above the true
 *                   lambda_max except by rounding
 * @param residual   the final relative residual ||A x - value x|| / |value| of the unit vector x
 *                   behind the estimate (for Lanczos |beta_k e_k^T y| / |theta|, which equals it up
 *                   to rounding); 0 when A x = 0 exactly, +Infinity when value = 0 but A x != 0
 * @param iterations the operator products used
 * @param converged  {@code residual <= tol}
 */
public record EigenEstimate(double value, double residual, int iterations, boolean converged) {
    public EigenEstimate {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("value must be finite, got " + value);
        if (!(residual >= 0)) throw new IllegalArgumentException("residual must be >= 0, got " + residual);
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
    }

    /**
     * An estimate with the unit vector x it was computed from (a Ritz vector for Lanczos, the
     * last iterate for power iteration), so a caller can check {@code ||A x - value x||} itself.
     *
     * @param vector 1-D DOUBLE array of length dim, ||vector|| = 1 up to rounding; owned by the caller
     */
    public record WithVector(EigenEstimate estimate, INDArray vector) {
        public WithVector {
            if (estimate == null) throw new IllegalArgumentException("estimate must not be null");
            if (vector == null) throw new IllegalArgumentException("vector must not be null");
        }
    }
}
