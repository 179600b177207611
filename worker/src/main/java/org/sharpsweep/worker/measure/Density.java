package org.sharpsweep.worker.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.StochasticLanczosQuadrature;

/**
 * H's spectral density by stochastic Lanczos quadrature (Ghorbani et al. 2019, PyHessian's
 * defaults: {@link #PROBES} Rademacher probe, {@link StochasticLanczosQuadrature#DEFAULT_STEPS}
 * steps): one spectra row per probe and node, with its weight.
 */
final class Density implements Measurement {
    /** Probes of the spectral density: PyHessian's default n_v = 1. */
    static final int PROBES = 1;

    @Override
    public Measure declaration() {
        return Measures.DENSITY;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature h = c.curvature();
        List<StochasticLanczosQuadrature.Quadrature> qs = StochasticLanczosQuadrature.run(h.hessian(), h.dim(),
                StochasticLanczosQuadrature.DEFAULT_STEPS, PROBES, StochasticLanczosQuadrature.Probe.RADEMACHER, c.stream("slq"));
        for (int p = 0; p < qs.size(); p++) {
            StochasticLanczosQuadrature.Quadrature q = qs.get(p);
            for (int j = 0; j < q.nodes().length; j++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(ResultSchema.PROBE, p);
                row.put(ResultSchema.RANK, j + 1);
                row.put(ResultSchema.EIGENVALUE, q.nodes()[j]);
                row.put(ResultSchema.WEIGHT, q.weights()[j]);
                c.addSpectrum(ResultSchema.KIND_DENSITY, row);
            }
        }
    }
}
