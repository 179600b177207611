package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;

/**
 * s = sqrt(lambda_max(Sigma)), Sigma the covariance of the per-sample Hessians over the first m
 * training samples ({@code measure.nonuniformity_samples}, all by default), by Lanczos on
 * {@link Curvature#sigma()} (docs/science.md). Sigma is PSD; a Ritz value below zero by round-off
 * gives s = 0.
 */
final class Nonuniformity implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.NONUNIFORMITY;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        EigenEstimate e = Lanczos.top(k.sigma(), k.dim(), c.spec().tol(), c.spec().maxIters(), c.stream("lanczos-sigma"));
        c.put(ResultSchema.NONUNIFORMITY, Math.sqrt(Math.max(e.value(), 0.0)));
        c.put(ResultSchema.NONUNIFORMITY_RESIDUAL, e.residual());
        c.put(ResultSchema.NONUNIFORMITY_ITERS, e.iterations());
        c.put(ResultSchema.NONUNIFORMITY_N, k.samples());
    }
}
