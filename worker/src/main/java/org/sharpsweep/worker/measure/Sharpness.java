package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;

/**
 * lambda_max(H) by Lanczos with full re-orthogonalization (docs/science.md). At the final
 * parameters from a seeded Gaussian start, checked for a larger eigenvalue the first run missed
 * ({@link Lanczos#topChecked}), with the relative gap to the next eigenvalue; along training from the previous measurement's top
 * Ritz vector (a warm start: the top eigenvector moves little between measurements, so fewer
 * products reach the same residual), the first from a seeded Gaussian of its own stream. Also
 * lambda_0 at the initial parameters, before the first step ({@link #atStart}).
 */
final class Sharpness implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.SHARPNESS;
    }

    @Override
    public void measure(MeasureContext c) {
        Lanczos.Checked top = c.top(c.curvature().hessian(), "lanczos-hessian", "lanczos-trajectory", "sharpness");
        EigenEstimate e = top.estimate();
        c.put(ResultSchema.SHARPNESS, e.value());
        c.put(ResultSchema.SHARPNESS_RESIDUAL, e.residual());
        c.put(ResultSchema.SHARPNESS_ITERS, e.iterations());
        if (!c.along() && Double.isFinite(top.next())) c.put(Measures.SHARPNESS_GAP, (e.value() - top.next()) / Math.abs(e.value()));
    }

    @Override
    public boolean measuresAtStart() {
        return true;
    }

    /** lambda_0, the sharpness at the initial parameters (cold, from a seeded Gaussian of its own stream). */
    @Override
    public void atStart(MeasureContext c) {
        EigenEstimate e = c.top(c.curvature().hessian(), "lanczos-init", null, null).estimate();
        c.put(Measures.SHARPNESS_INIT, e.value());
        c.put(Measures.SHARPNESS_INIT_RESIDUAL, e.residual());
    }
}
