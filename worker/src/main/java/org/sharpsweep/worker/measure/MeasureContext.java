package org.sharpsweep.worker.measure;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.HutchinsonTrace;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.curvature.TraceEstimate;

/**
 * What a {@link Measurement} works with at one set of parameters: the curvature operators, the
 * point's measure settings, its learning rate and batch size (the stability criterion reads
 * them), its seed, the step and whether this is a measurement along training, and where the
 * values go (a results row at the end, a trajectories row along training). Along training the
 * same {@link Memory} is handed to every measurement of a point, so a measure can warm-start
 * from its previous result. Not thread-safe: one per measurement.
 */
public final class MeasureContext {
    /** What a point's measurements along training keep between steps (a measure's last eigenvector). */
    public static final class Memory {
        private final Map<String, INDArray> vectors = new HashMap<>();

        /** The vector {@code key} left by the previous measurement, or null. */
        public INDArray vector(String key) {
            return vectors.get(key);
        }

        public void keep(String key, INDArray v) {
            vectors.put(key, v);
        }
    }

    private final Curvature curvature;
    private final MeasureSpec spec;
    private final double lr;
    private final int batchSize;
    private final long seed;
    private final Integer step;
    private final Memory memory;
    private final BiConsumer<String, Object> put;
    private final BiConsumer<ResultSchema.Table, Map<String, Object>> add;

    /**
     * @param step   updates taken before these parameters (the spectra rows' step)
     * @param memory null at the final parameters; along training, the point's memory
     * @param put    sets a column of the row being measured
     * @param add    adds a row to another table (the spectra)
     */
    public MeasureContext(Curvature curvature, MeasureSpec spec, double lr, int batchSize, long seed, Integer step, Memory memory,
                          BiConsumer<String, Object> put, BiConsumer<ResultSchema.Table, Map<String, Object>> add) {
        this.curvature = curvature;
        this.spec = spec;
        this.lr = lr;
        this.batchSize = batchSize;
        this.seed = seed;
        this.step = step;
        this.memory = memory;
        this.put = put;
        this.add = add;
    }

    public Curvature curvature() {
        return curvature;
    }

    public MeasureSpec spec() {
        return spec;
    }

    public double lr() {
        return lr;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Updates taken before these parameters (null if unknown). */
    public Integer step() {
        return step;
    }

    /** Whether this is a measurement along training ({@code measure.every}) rather than at the final parameters. */
    public boolean along() {
        return memory != null;
    }

    /** Along training: what the point's earlier measurements kept. */
    public Memory memory() {
        return memory;
    }

    /** The point's random stream {@code name} (docs/science.md, determinism): each measure draws from its own. */
    public long stream(String name) {
        return Seeds.stream(seed, name);
    }

    /** Sets a column of the row being measured (one of the measure's declared columns). */
    public void put(String column, Object value) {
        put.accept(column, value);
    }

    /** Adds a row of the spectra table at this step, with these further columns. */
    public void addSpectrum(String kind, Map<String, Object> columns) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(ResultSchema.STEP, step);
        row.put(ResultSchema.KIND, kind);
        row.putAll(columns);
        add.accept(ResultSchema.SPECTRA, row);
    }

    /**
     * tr({@code op}) as every trace of the measures is estimated (docs/science.md): its part in a
     * Krylov space of {@code measure.trace_deflate} vectors exactly, the rest by Hutchinson's
     * estimator until the standard error is at most {@code measure.trace_tol} of the estimate or
     * {@code measure.trace_max_probes} probes are spent, from the point's random stream {@code stream}.
     */
    public TraceEstimate trace(SymmetricOperator op, String stream) {
        return HutchinsonTrace.estimate(op, curvature.dim(), spec.doubleValue(Measures.TRACE_TOL),
                spec.intValue(Measures.TRACE_MAX_PROBES), spec.intValue(Measures.TRACE_DEFLATE), stream(stream));
    }

    /**
     * lambda_max of {@code op} by Lanczos at {@code measure.tol} and {@code measure.max_iters}
     * (docs/science.md): at the final parameters from a seeded Gaussian of stream {@code atEnd},
     * checked for a larger eigenvalue the residual test cannot see ({@link
     * org.sharpsweep.worker.curvature.Lanczos#topChecked}; its {@code next} is the eigenvalue below);
     * along training from this measure's previous top Ritz vector (kept under {@code warmKey}: the
     * top eigenvector moves little between measurements, so fewer products reach the same
     * residual), the first from a seeded Gaussian of stream {@code alongFirst}.
     */
    public org.sharpsweep.worker.curvature.Lanczos.Checked top(org.sharpsweep.worker.curvature.SymmetricOperator op, String atEnd,
                                                               String alongFirst, String warmKey) {
        int dim = curvature.dim();
        if (!along()) return org.sharpsweep.worker.curvature.Lanczos.topChecked(op, dim, spec.tol(), spec.maxIters(), stream(atEnd));
        INDArray warm = memory.vector(warmKey);
        org.sharpsweep.worker.curvature.EigenEstimate.WithVector w = warm == null
                ? org.sharpsweep.worker.curvature.Lanczos.topWithVector(op, dim, spec.tol(), spec.maxIters(), stream(alongFirst))
                : org.sharpsweep.worker.curvature.Lanczos.topWithVector(op, dim, spec.tol(), spec.maxIters(), warm);
        memory.keep(warmKey, w.vector());
        return new org.sharpsweep.worker.curvature.Lanczos.Checked(w.estimate(), w.vector(), Double.NaN, 0);
    }
}
