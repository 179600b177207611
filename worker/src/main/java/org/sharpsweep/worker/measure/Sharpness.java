package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;

/**
 * lambda_max(H) by Lanczos with full re-orthogonalization (docs/science.md). At the final
 * parameters from a seeded Gaussian start; along training from the previous measurement's top
 * Ritz vector (a warm start: the top eigenvector moves little between measurements, so fewer
 * products reach the same residual), the first from a seeded Gaussian of its own stream.
 */
final class Sharpness implements Measurement {
    private static final String WARM = "sharpness";

    @Override
    public Measure declaration() {
        return Measures.SHARPNESS;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        EigenEstimate e;
        if (c.along()) {
            EigenEstimate.WithVector w = c.memory().vector(WARM) == null
                    ? Lanczos.topWithVector(k.hessian(), k.dim(), c.spec().tol(), c.spec().maxIters(), c.stream("lanczos-trajectory"))
                    : Lanczos.topWithVector(k.hessian(), k.dim(), c.spec().tol(), c.spec().maxIters(), c.memory().vector(WARM));
            c.memory().keep(WARM, w.vector());
            e = w.estimate();
        } else {
            e = Lanczos.top(k.hessian(), k.dim(), c.spec().tol(), c.spec().maxIters(), c.stream("lanczos-hessian"));
        }
        c.put(ResultSchema.SHARPNESS, e.value());
        c.put(ResultSchema.SHARPNESS_RESIDUAL, e.residual());
        c.put(ResultSchema.SHARPNESS_ITERS, e.iterations());
    }
}
