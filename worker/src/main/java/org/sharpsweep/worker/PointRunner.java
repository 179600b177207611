package org.sharpsweep.worker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * Runs one grid point: load data, initialise, train, measure at the final parameters. Never
 * throws for a point's own failure: an exception becomes a FAILED result with its error, a
 * divergence a DIVERGED result with its step (STYLE.md 10). Safe to call from several threads
 * at once (each call builds its own model and state).
 */
public final class PointRunner {
    private PointRunner() {
    }

    public static PointResult run(GridPoint point) {
        return run(point, null);
    }

    /**
     * @param saveParamsDir if not null, the final parameters are written there as NumPy files
     *                      {@code W1.npy, b1.npy, ...} (W as [in, out]) — see {@link #saveParams}
     */
    public static PointResult run(GridPoint point, Path saveParamsDir) {
        Blas.prepare(); // before ND4J loads OpenBLAS: the kernel is chosen at load
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        PointSpec spec = point.spec();
        Builder r = new Builder(start);
        try {
            Data data = DataCache.get(spec.data(), point.sweepSeed());
            Mlp model = new Mlp(data.inputs(), spec.model().depth(), spec.model().width(), data.outputs(),
                    spec.model().activation(), spec.model().init(), spec.loss());
            r.numParams = model.numParams();
            r.sharpnessBound = 2.0 / spec.train().lr();
            r.nonuniformityBound = nonuniformityBound(spec.train().lr(), spec.train().batchSize(), data.nTrain());
            INDArray theta = model.initParams(Seeds.stream(point.seed(), "init"));
            Trainer.Outcome outcome = Trainer.train(model, theta, data.trainX(), data.trainY(), spec.train(),
                    spec.penalty(), point.seed());
            r.stepsDone = outcome.stepsDone();
            r.trainSeconds = seconds(t0);
            if (outcome.diverged()) {
                r.status = Status.DIVERGED;
                r.error = outcome.reason();
                r.divergedAtStep = outcome.divergedAtStep();
                return r.build();
            }
            long t1 = System.nanoTime();
            Metrics.measure(model, theta, data, spec, point.seed(), r);
            r.measureSeconds = seconds(t1);
            if (saveParamsDir != null) saveParams(model, theta, saveParamsDir);
            r.status = Status.OK;
            return r.build();
        } catch (Throwable e) {
            r.status = Status.FAILED;
            r.error = describe(e);
            if (r.trainSeconds == null) r.trainSeconds = seconds(t0);
            return r.build();
        }
    }

    /**
     * sqrt(B(n-1)/(n-B)) / lr, the non-uniformity bound of SGD's linear stability for batches of
     * B drawn without replacement from n; null for full-batch GD (B = n), which has no bound.
     */
    public static Double nonuniformityBound(double lr, int b, int n) {
        if (b >= n) return null;
        return Math.sqrt((double) b * (n - 1) / (n - b)) / lr;
    }

    /**
     * Writes every layer's weights and bias as {@code W1.npy, b1.npy, W2.npy, ...} in layer
     * order, W with shape [in, out], b with shape [out], float64.
     */
    public static void saveParams(Mlp model, INDArray theta, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int l = 0; l < model.layers(); l++) {
            int in = model.fanIn(l);
            int out = model.fanOut(l);
            INDArray w = theta.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(model.weightOffset(l),
                    model.weightOffset(l) + (long) in * out)).dup().reshape('c', in, out);
            INDArray b = theta.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(model.biasOffset(l),
                    model.biasOffset(l) + out)).dup();
            Npy.write(w, dir.resolve("W" + (l + 1) + ".npy"));
            Npy.write(b, dir.resolve("b" + (l + 1) + ".npy"));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The exception and its first frames: enough to find the cause in a results table. */
    static String describe(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        String text = sw.toString();
        String[] lines = text.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 8); i++) sb.append(lines[i].strip()).append('\n');
        return sb.toString().strip();
    }

    /** Mutable state of one run; only {@link #build} escapes. */
    static final class Builder {
        final Instant start;
        Status status;
        String error;
        Double trainLoss, testLoss, trainAcc, testAcc;
        Double sharpness, sharpnessResidual;
        Integer sharpnessIters;
        Double nonuniformity, nonuniformityResidual;
        Integer nonuniformityIters, nonuniformityN;
        Double sharpnessBound, nonuniformityBound;
        Double stabilityMaxEig, stabilityResidual;
        Integer stabilityIters;
        Double paramNorm, gradNorm;
        Integer numParams, stepsDone, divergedAtStep;
        Double trainSeconds, measureSeconds;

        Builder(Instant start) {
            this.start = start;
        }

        PointResult build() {
            return new PointResult(status, error, trainLoss, testLoss, trainAcc, testAcc,
                    sharpness, sharpnessResidual, sharpnessIters,
                    nonuniformity, nonuniformityResidual, nonuniformityIters, nonuniformityN,
                    sharpnessBound, nonuniformityBound, stabilityMaxEig, stabilityResidual, stabilityIters,
                    paramNorm, gradNorm, numParams, stepsDone, divergedAtStep,
                    Backend.engineVersion(), Backend.name(), Backend.device(), Backend.blasCore(), Backend.host(),
                    trainSeconds, measureSeconds, start);
        }
    }
}
