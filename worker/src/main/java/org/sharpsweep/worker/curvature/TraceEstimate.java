package org.sharpsweep.worker.curvature;

/**
 * A stochastic estimate of tr(A) with its standard error ({@link HutchinsonTrace}).
 *
 * @param value     tr(V A V^T) over the deflated Krylov basis plus the mean of the probe values u_i^T A u_i
 * @param stderr    the standard error of that mean, s / sqrt(probes), s the sample standard
 *                  deviation (divisor probes - 1) of the probe values; 0 when every probe gave the
 *                  same value (for example a diagonal A with Rademacher probes and no deflation) or
 *                  when the basis spanned the whole space
 * @param probes    the probes used, one operator product each (0 when the basis spanned the whole space)
 * @param deflated  the Krylov vectors whose part of the trace was computed exactly, one operator product each
 * @param converged whether the standard error reached the tolerance before the probe cap
 */
public record TraceEstimate(double value, double stderr, int probes, int deflated, boolean converged) {
    public TraceEstimate {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("value must be finite, got " + value);
        if (!(stderr >= 0)) throw new IllegalArgumentException("stderr must be >= 0, got " + stderr);
        if (probes != 0 && probes < 2) throw new IllegalArgumentException("probes must be 0 or >= 2, got " + probes);
        if (deflated < 0) throw new IllegalArgumentException("deflated must be >= 0, got " + deflated);
    }
}
