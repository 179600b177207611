package org.sharpsweep.worker.measure;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.curvature.TraceEstimate;

/**
 * Adaptive sharpness (docs/science.md): with D = diag(|theta|), lambda_max(D H D) by Lanczos and
 * tr(D H D) by Hutchinson, through the product v -> D H (D v), exact like H v. Along training the
 * Lanczos run warm-starts from the previous measurement's eigenvector, as the sharpness does.
 */
final class Adaptive implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.ADAPTIVE;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        INDArray d = Transforms.abs(k.theta(), true).castTo(DataType.DOUBLE);
        INDArray dv = Nd4j.create(DataType.DOUBLE, k.dim());
        SymmetricOperator h = k.hessian();
        SymmetricOperator dhd = (v, out) -> {
            dv.assign(v).muli(d);
            h.apply(dv, out);
            out.muli(d);
        };
        EigenEstimate e = c.top(dhd, "lanczos-adaptive", "lanczos-adaptive-trajectory", "adaptive").estimate();
        c.put(Measures.ADAPTIVE_SHARPNESS, e.value());
        c.put(Measures.ADAPTIVE_SHARPNESS_RESIDUAL, e.residual());
        c.put(Measures.ADAPTIVE_SHARPNESS_ITERS, e.iterations());
        TraceEstimate t = c.trace(dhd, c.along() ? "hutchinson-adaptive-" + c.step() : "hutchinson-adaptive");
        c.put(Measures.ADAPTIVE_TRACE, t.value());
        c.put(Measures.ADAPTIVE_TRACE_STDERR, t.stderr());
        c.put(Measures.ADAPTIVE_TRACE_PROBES, t.probes());
    }
}
