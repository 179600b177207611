package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.TraceEstimate;

/**
 * tr(H) and its standard error: the part in a short Krylov space exactly, the rest by
 * Hutchinson's estimator with Rademacher probes, stopped when the standard error reaches
 * {@code measure.trace_tol} of the estimate (docs/science.md). Each measurement along training draws its probes
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
        TraceEstimate t = c.trace(k.hessian(), c.along() ? "hutchinson-" + c.step() : "hutchinson");
        c.put(ResultSchema.HESSIAN_TRACE, t.value());
        c.put(ResultSchema.HESSIAN_TRACE_STDERR, t.stderr());
        c.put(ResultSchema.HESSIAN_TRACE_PROBES, t.probes());
    }
}
