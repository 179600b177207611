package org.sharpsweep.worker.curvature;

/**
 * A stochastic estimate of tr(A) with its standard error.
 *
 * @param value     the mean of the probe values v_i^T A v_i
 * @param stderr    the standard error of that mean, s / sqrt(probes), s the sample standard
 *                  deviation (divisor probes - 1) of the probe values; 0 when every probe gave the
 *                  same value (for example a diagonal A with Rademacher probes)
 * @param probes    the probes used, one operator product each
 * @param converged whether the stopping rule was met before the probe cap
 */
public record TraceEstimate(double value, double stderr, int probes, boolean converged) {
    public TraceEstimate {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("value must be finite, got " + value);
        if (!(stderr >= 0)) throw new IllegalArgumentException("stderr must be >= 0, got " + stderr);
        if (probes < 2) throw new IllegalArgumentException("probes must be >= 2, got " + probes);
    }
}
