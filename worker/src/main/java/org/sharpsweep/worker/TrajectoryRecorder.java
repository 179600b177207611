package org.sharpsweep.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.train.Trainer;

/**
 * Measurements during training ({@code measure.every: K}): at step 0, after every K updates and
 * at the last step, one row of the trajectories table with the losses, accuracies, gradient and
 * parameter norms ({@link Metrics#basic}) and the measures declared along training that the
 * point asks for (the sharpness and the trace today; {@link Measurements#along}, the same code as
 * at the end, with a {@link MeasureContext.Memory} that lets the sharpness warm-start from the
 * previous measurement); then the window statistics of the sharpness over the last
 * {@code measure.window} steps into the results row. The other measures stay end-of-training
 * measures (the non-uniformity costs up to m per-sample products per Lanczos step).
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
    private final MeasureContext.Memory memory = new MeasureContext.Memory();
    private final double lr;
    private final int batchSize;
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
        this.lr = spec.train().lr();
        this.batchSize = spec.train().batchSize();
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
        if (!Measurements.alongTraining(measure).isEmpty()) {
            Curvature.Sums rows = sums.apply(theta);
            Map<String, Object> measured = new LinkedHashMap<>();
            Measurements.along(new MeasureContext(new Curvature(model, theta, rows), measure, lr, batchSize, seed, step, memory,
                    measured::put, r::add));
            measured.forEach((column, value) -> {
                if (ResultSchema.TRAJECTORIES.column(column) != null) row.put(column, value); // its trajectory columns
            });
            Object s = measured.get(ResultSchema.SHARPNESS);
            if (s != null) sharpness.add(new double[] {step, (Double) s});
            if (rows instanceof AutoCloseable closing) {
                try {
                    closing.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot release the curvature sums at step " + step + ": " + e.getMessage(), e);
                }
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
