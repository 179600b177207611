package org.sharpsweep.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.HutchinsonTrace;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.TraceEstimate;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.train.Trainer;

/**
 * Measurements during training ({@code measure.every: K}): at step 0, after every K updates and
 * at the last step, one row of the trajectories table with the losses, accuracies, gradient and
 * parameter norms ({@link Metrics#basic}), the sharpness ({@code measure.sharpness}) and the
 * trace ({@code measure.trace}); then the window statistics of the sharpness over the last
 * {@code measure.window} steps into the results row. The non-uniformity, the stability
 * criterion and the spectra stay end-of-training measures (each costs up to m per-sample
 * products per Lanczos step).
 *
 * <p>Lanczos for the sharpness starts from the previous measurement's top Ritz vector (a warm
 * start; the first one from a seeded Gaussian): along a training run the top eigenvector moves
 * little between measurements, so fewer products reach the same residual. Its iterations are in
 * the {@code sharpness_iters} column.
 *
 * <p>The row at the last step reuses the final measurements when training did not end on a
 * multiple of K; otherwise the observer has measured it already. Not thread-safe: one per point.
 */
final class TrajectoryRecorder implements Trainer.Observer {
    private final Model model;
    private final java.util.function.Function<INDArray, Curvature.Sums> sums;
    private final Data data;
    private final MeasureSpec measure;
    private final long seed;
    private final PointRunner.Builder r;
    private final long started = System.nanoTime();
    private long measuringNanos;
    private INDArray lastVector;
    private int lastStep = -1;
    /** (step, sharpness) of every measurement with a sharpness. */
    private final List<double[]> sharpness = new ArrayList<>();

    /**
     * @param sums the training rows' curvature sums at given parameters (the point's execution:
     *             in this JVM, or over Spark partitions for a data-parallel point)
     */
    TrajectoryRecorder(Model model, Data data, PointSpec spec, long seed, java.util.function.Function<INDArray, Curvature.Sums> sums,
                       PointRunner.Builder r) {
        this.sums = sums;
        this.model = model;
        this.data = data;
        this.measure = spec.measure();
        this.seed = seed;
        this.r = r;
    }

    /** Wall seconds spent measuring so far. */
    double seconds() {
        return measuringNanos / 1e9;
    }

    @Override
    public void at(int step, INDArray theta) {
        long t = System.nanoTime();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(ResultSchema.STEP, step);
        row.putAll(Metrics.basic(model, theta, data));
        Curvature c = null;
        Curvature.Sums rows = null;
        if (measure.sharpness() || measure.trace()) {
            rows = sums.apply(theta);
            c = new Curvature(model, theta, rows);
        }
        if (measure.sharpness()) {
            EigenEstimate.WithVector e = lastVector == null
                    ? Lanczos.topWithVector(c.hessian(), c.dim(), measure.tol(), measure.maxIters(), Seeds.stream(seed, "lanczos-trajectory"))
                    : Lanczos.topWithVector(c.hessian(), c.dim(), measure.tol(), measure.maxIters(), lastVector);
            lastVector = e.vector();
            row.put(ResultSchema.SHARPNESS, e.estimate().value());
            row.put(ResultSchema.SHARPNESS_RESIDUAL, e.estimate().residual());
            row.put(ResultSchema.SHARPNESS_ITERS, e.estimate().iterations());
            sharpness.add(new double[] {step, e.estimate().value()});
        }
        if (measure.trace()) {
            TraceEstimate tr = HutchinsonTrace.estimate(c.hessian(), c.dim(), measure.traceTol(), HutchinsonTrace.DEFAULT_MAX_PROBES,
                    Seeds.stream(seed, "hutchinson-" + step));
            row.put(ResultSchema.HESSIAN_TRACE, tr.value());
            row.put(ResultSchema.HESSIAN_TRACE_STDERR, tr.stderr());
        }
        if (rows instanceof AutoCloseable closing) {
            try {
                closing.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release the curvature sums at step " + step + ": " + e.getMessage(), e);
            }
        }
        row.put(ResultSchema.TRAIN_SECONDS, (t - started - measuringNanos) / 1e9);
        r.add(ResultSchema.TRAJECTORIES, row);
        lastStep = step;
        measuringNanos += System.nanoTime() - t;
    }

    /**
     * After the final measurements are in {@code r}: the row of the last step (unless measured
     * already) and the window statistics.
     */
    void finish(int stepsDone) {
        if (lastStep != stepsDone) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(ResultSchema.STEP, stepsDone);
            for (ResultSchema.Column col : ResultSchema.TRAJECTORIES.columns()) {
                if (col.group() == ResultSchema.Group.METRIC) row.put(col.name(), r.get(col.name()));
            }
            row.put(ResultSchema.TRAIN_SECONDS, r.get(ResultSchema.TRAIN_SECONDS));
            r.add(ResultSchema.TRAJECTORIES, row);
            Object s = r.get(ResultSchema.SHARPNESS);
            if (s != null) sharpness.add(new double[] {stepsDone, (Double) s});
            lastStep = stepsDone;
        }
        if (measure.window() > 0) {
            double from = (double) stepsDone - measure.window();
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            int count = 0;
            for (double[] m : sharpness) {
                if (m[0] < from) continue;
                sum += m[1];
                min = Math.min(min, m[1]);
                max = Math.max(max, m[1]);
                count++;
            }
            if (count > 0) {
                r.put(ResultSchema.SHARPNESS_WINDOW_MEAN, sum / count);
                r.put(ResultSchema.SHARPNESS_WINDOW_MIN, min);
                r.put(ResultSchema.SHARPNESS_WINDOW_MAX, max);
                r.put(ResultSchema.SHARPNESS_WINDOW_N, count);
            }
        }
    }
}
