package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;

/**
 * The top eigenvalue of the SGD linear-stability operator (I - lr H)^2 + lr^2 (n-B)/(B(n-1)) Sigma
 * (Wu, Ma &amp; E 2018; docs/science.md): SGD is linearly stable at the minimum iff it is at most 1.
 * Asked with the sharpness; computed where it is defined with what was asked: with the
 * non-uniformity (Sigma's samples as chosen), or for full-batch GD (B = n), where Sigma does not
 * enter. Otherwise left null.
 */
final class Stability implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.STABILITY;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        if (!c.spec().on(Measures.NONUNIFORMITY) && c.batchSize() < k.rows()) return;
        EigenEstimate e = Lanczos.top(k.stability(c.lr(), c.batchSize()), k.dim(), c.spec().tol(), c.spec().maxIters(),
                c.stream("lanczos-stability"));
        c.put(ResultSchema.STABILITY_MAX_EIG, e.value());
        c.put(ResultSchema.STABILITY_RESIDUAL, e.residual());
        c.put(ResultSchema.STABILITY_ITERS, e.iterations());
    }
}
