package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.HutchinsonTrace;
import org.sharpsweep.worker.curvature.TraceEstimate;

/**
 * tr(H) by Hutchinson's estimator with Rademacher probes and its standard error, stopped by
 * {@code measure.trace_tol} (docs/science.md). Each measurement along training draws its probes
 * from a stream of its own step.
 */
final class Trace implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.TRACE;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        TraceEstimate t = HutchinsonTrace.estimate(k.hessian(), k.dim(), c.spec().doubleValue(Measures.TRACE_TOL),
                HutchinsonTrace.DEFAULT_MAX_PROBES, c.stream(c.along() ? "hutchinson-" + c.step() : "hutchinson"));
        c.put(ResultSchema.HESSIAN_TRACE, t.value());
        c.put(ResultSchema.HESSIAN_TRACE_STDERR, t.stderr());
        c.put(ResultSchema.HESSIAN_TRACE_PROBES, t.probes());
    }
}
