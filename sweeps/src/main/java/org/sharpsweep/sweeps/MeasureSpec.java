package org.sharpsweep.sweeps;

/**
 * What is measured (docs/science.md): at the final parameters, and with {@code every > 0}
 * also along training (the trajectories table).
 *
 * @param tol                  Lanczos stops at relative residual |beta_k e_k^T y| / |theta| <= tol
 * @param maxIters             Lanczos iteration cap
 * @param nonuniformitySamples estimate Sigma on the first this many training samples; 0 = all
 * @param every                0: only at the end; K > 0: also at step 0, every K steps and the last step
 * @param window               0: none; W > 0: sharpness_window_mean/min/max over the measurements
 *                             at steps >= steps_done - W (needs {@code every > 0})
 * @param trace                Hutchinson's estimate of tr(H) (columns hessian_trace, hessian_trace_stderr)
 * @param traceTol             its stopping rule (PyHessian's): relative change of the running mean below this
 * @param topK                 the k largest eigenvalues of H by Lanczos into the spectra table; 0 = none
 * @param density              H's spectral density by stochastic Lanczos quadrature into the spectra table
 * @param saveParams           keep the final parameters in the params table
 */
public record MeasureSpec(boolean sharpness, boolean nonuniformity, double tol, int maxIters, int nonuniformitySamples,
                          int every, int window, boolean trace, double traceTol, int topK, boolean density, boolean saveParams)
        implements java.io.Serializable {
    public MeasureSpec {
        if (!(tol > 0 && tol < 1)) throw new SpecException("measure.tol must be in (0, 1), got " + tol);
        if (maxIters < 1) throw new SpecException("measure.max_iters must be >= 1, got " + maxIters);
        if (nonuniformitySamples < 0) {
            throw new SpecException("measure.nonuniformity_samples must be >= 0 (0 = all), got " + nonuniformitySamples);
        }
        if (every < 0) throw new SpecException("measure.every must be >= 0 (0 = only at the end), got " + every);
        if (window < 0) throw new SpecException("measure.window must be >= 0 (0 = none), got " + window);
        if (window > 0 && every == 0) {
            throw new SpecException("measure.window " + window + " needs measurements during training: set measure.every "
                    + "(e.g. every: " + Math.max(1, window / 10) + ")");
        }
        if (window > 0 && !sharpness) {
            throw new SpecException("measure.window " + window + " summarises the sharpness, but measure.sharpness is false");
        }
        if (!(traceTol > 0 && traceTol < 1)) throw new SpecException("measure.trace_tol must be in (0, 1), got " + traceTol);
        if (topK < 0) throw new SpecException("measure.top_k must be >= 0 (0 = none), got " + topK);
        if (topK > maxIters) {
            throw new SpecException("measure.top_k " + topK + " is more than measure.max_iters " + maxIters
                    + " Lanczos steps can resolve; raise max_iters or lower top_k");
        }
    }

    /** Only the final measurements of sharpness and non-uniformity, as before trajectories existed. */
    public MeasureSpec(boolean sharpness, boolean nonuniformity, double tol, int maxIters, int nonuniformitySamples) {
        this(sharpness, nonuniformity, tol, maxIters, nonuniformitySamples, Defaults.EVERY, Defaults.WINDOW, Defaults.TRACE,
                Defaults.TRACE_TOL, Defaults.TOP_K, Defaults.DENSITY, Defaults.SAVE_PARAMS);
    }
}
