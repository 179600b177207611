package org.sharpsweep.worker.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;

/** The k largest eigenvalues of H by Lanczos ({@code measure.top_k}), one spectra row each with its residual. */
final class TopEigenvalues implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.TOP_EIGENVALUES;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature h = c.curvature();
        int k = Math.min(c.spec().intValue(Measures.TOP_K), h.dim());
        List<EigenEstimate> top = Lanczos.topK(h.hessian(), h.dim(), k, c.spec().tol(), Math.max(c.spec().maxIters(), k),
                c.stream("lanczos-top-k"));
        for (int j = 0; j < top.size(); j++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(ResultSchema.RANK, j + 1);
            row.put(ResultSchema.EIGENVALUE, top.get(j).value());
            row.put(ResultSchema.RESIDUAL, top.get(j).residual());
            c.addSpectrum(ResultSchema.KIND_TOP_K, row);
        }
    }
}
