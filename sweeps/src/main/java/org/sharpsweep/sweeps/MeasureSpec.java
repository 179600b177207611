package org.sharpsweep.sweeps;

/**
 * What is measured at the final parameters (DESIGN.md section 4).
 *
 * @param tol                  Lanczos stops at relative residual |beta_k e_k^T y| / |theta| <= tol
 * @param maxIters             Lanczos iteration cap
 * @param nonuniformitySamples estimate Sigma on the first this many training samples; 0 = all
 */
public record MeasureSpec(boolean sharpness, boolean nonuniformity, double tol, int maxIters, int nonuniformitySamples) implements java.io.Serializable {
    public MeasureSpec {
        if (!(tol > 0 && tol < 1)) throw new SpecException("measure.tol must be in (0, 1), got " + tol);
        if (maxIters < 1) throw new SpecException("measure.max_iters must be >= 1, got " + maxIters);
        if (nonuniformitySamples < 0) {
            throw new SpecException("measure.nonuniformity_samples must be >= 0 (0 = all), got " + nonuniformitySamples);
        }
    }
}
