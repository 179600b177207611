package org.sharpsweep.worker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.lockstep.LockstepTrainer;
import org.sharpsweep.worker.lockstep.SmallMlp;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.model.Models;
import org.sharpsweep.worker.train.Trainer;

/**
 * Runs one grid point: load data, initialise, train (measuring along the way with
 * {@code measure.every}, {@link TrajectoryRecorder}), measure at the final parameters. Never
 * throws for a point's own failure: an exception becomes a FAILED result with its error, a
 * divergence a DIVERGED result with its step. Safe to call from several threads
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
     *                      in the model's export layout (a cnn's K1, k1, ..., then W1, b1, ...) — see {@link #saveParams}
     */
    public static PointResult run(GridPoint point, Path saveParamsDir) {
        return run(point, saveParamsDir, null);
    }

    /**
     * @param startParams the parameters to start from instead of an initialization: the saved final
     *              parameters of point {@code train.from_point} of sweep {@code train.from_sweep}
     *              (the driver reads them from the params table); required exactly when the
     *              spec names them
     */
    public static PointResult run(GridPoint point, Path saveParamsDir, double[] startParams) {
        return run(point, saveParamsDir, startParams, LOCAL);
    }

    /**
     * How a point's training and the sums its curvature is made of run: {@link #LOCAL}, all in
     * this JVM (one Spark task per point); the parallel module's data-parallel execution trains
     * with Deeplearning4j Spark over several workers and sums over data partitions there. Every
     * other step of a point (initialization, losses, accuracies, the eigenvalue algorithms, the
     * row) is this class's, the same for both.
     */
    public interface Execution {
        /**
         * Trains {@code theta} in place from its initial value, as {@link Trainer#train} does (its
         * minibatch order, its divergence rule), calling {@code observer} every {@code every} steps.
         */
        Trainer.Outcome train(Model model, INDArray theta, Data data, GridPoint point, int every, Trainer.Observer observer);

        /** The training rows' sums at the final {@code theta}, Sigma's on the point's leading {@code nonuniformitySamples()}. */
        Curvature.Sums sums(Model model, INDArray theta, Data data, GridPoint point);
    }

    /** Everything in this JVM. */
    public static final Execution LOCAL = new Execution() {
        @Override
        public Trainer.Outcome train(Model model, INDArray theta, Data data, GridPoint point, int every, Trainer.Observer observer) {
            PointSpec spec = point.spec();
            return Trainer.train(model, theta, data.trainX(), data.trainY(), spec.train(), spec.penalty(), point.orderSeed(), every, observer);
        }

        @Override
        public Curvature.Sums sums(Model model, INDArray theta, Data data, GridPoint point) {
            return Curvature.local(model, theta, data.trainX(), data.trainY(), point.spec().nonuniformitySamples());
        }
    };

    /**
     * As {@link #run(GridPoint, Path, double[])}, training and summing as {@code execution} does.
     * A small network ({@link LockstepGroups#smallNetwork}) run {@link #LOCAL}ly trains as a
     * lockstep group of one ({@link #runGroup}), so that its numbers are those it has in any group.
     */
    public static PointResult run(GridPoint point, Path saveParamsDir, double[] startParams, Execution execution) {
        if (execution == LOCAL && LockstepGroups.smallNetwork(point.spec())) {
            return runGroup(List.of(point), java.util.Collections.singletonList(saveParamsDir),
                    java.util.Collections.singletonList(startParams)).get(0);
        }
        Attempt a;
        try {
            a = Attempt.start(point, saveParamsDir, startParams, execution);
        } catch (Attempt.Failed f) {
            return f.result;
        }
        Trainer.Outcome outcome;
        try {
            outcome = execution.train(a.model, a.theta, a.data, a.point, a.point.spec().measure().every(), a.trajectory);
        } catch (Throwable e) {
            return a.failed(e);
        }
        double measuredDuring = a.trajectory == null ? 0 : a.trajectory.seconds();
        return a.finish(outcome, seconds(a.t0) - measuredDuring - a.startMeasureSeconds, execution);
    }

    /**
     * Runs points of small networks that share their data set as one lockstep group, in one task:
     * {@link #TRAINED_TOGETHER} models at a time train together ({@link LockstepTrainer}), then
     * each is measured as {@link #run} measures it: the same rows, bit for bit, as each alone, but
     * for {@code lockstep} (the group's size) and {@code train_seconds} (its own set-up and its
     * share of the training it was in, its measurements along training left out). Never throws
     * for a point's own failure; a failure of a training fails the points that were in it.
     *
     * @param saveParamsDirs per point, as {@link #run(GridPoint, Path)}'s (entries may be null)
     * @param startParams    per point, as {@link #run(GridPoint, Path, double[])}'s (entries may be null)
     * @throws IllegalArgumentException if the lists differ in length, a point is no small network, or
     *                                  the points do not share their data set
     */
    public static List<PointResult> runGroup(List<GridPoint> points, List<Path> saveParamsDirs, List<double[]> startParams) {
        if (points.size() != saveParamsDirs.size() || points.size() != startParams.size()) {
            throw new IllegalArgumentException("points, saveParamsDirs and startParams differ in length: " + points.size() + ", "
                    + saveParamsDirs.size() + ", " + startParams.size());
        }
        for (GridPoint p : points) {
            if (!LockstepGroups.smallNetwork(p.spec())) throw new IllegalArgumentException("point " + p.index() + " is no small network");
            if (!p.spec().data().equals(points.get(0).spec().data()) || p.sweepSeed() != points.get(0).sweepSeed()) {
                throw new IllegalArgumentException("the points of a lockstep group must share their data set; point " + p.index() + " does not");
            }
        }
        List<PointResult> results = new ArrayList<>(java.util.Collections.nCopies(points.size(), (PointResult) null));
        List<Attempt> attempts = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            try {
                attempts.add(Attempt.start(points.get(i), saveParamsDirs.get(i), startParams.get(i), LOCAL));
                at.add(i);
            } catch (Attempt.Failed f) {
                results.set(i, f.result);
            }
        }
        int size = attempts.size();
        for (int from = 0; from < size; from += TRAINED_TOGETHER) {
            int to = Math.min(size, from + TRAINED_TOGETHER);
            long t1 = System.nanoTime();
            List<LockstepTrainer.Member> members = new ArrayList<>(to - from);
            for (Attempt a : attempts.subList(from, to)) {
                TrainSpec t = a.point.spec().train();
                members.add(new LockstepTrainer.Member(((SmallMlp) a.model).mlp(), a.theta, t, a.point.spec().penalty(), a.point.orderSeed(),
                        a.point.spec().measure().every(), a.trajectory));
            }
            List<Trainer.Outcome> outcomes = null;
            Throwable failure = null;
            try {
                Data data = attempts.get(from).data;
                outcomes = LockstepTrainer.train(data.trainX(), data.trainY(), members);
            } catch (Throwable e) {
                failure = e;
            }
            members.clear();
            double measuredDuring = 0;
            for (Attempt a : attempts.subList(from, to)) measuredDuring += a.trajectory == null ? 0 : a.trajectory.seconds();
            double share = (seconds(t1) - measuredDuring) / (to - from);
            for (int j = from; j < to; j++) {
                Attempt a = attempts.set(j, null); // a finished point's arrays are garbage at once
                a.r.put(ResultSchema.LOCKSTEP, size);
                results.set(at.get(j), failure != null ? a.failed(failure) : a.finish(outcomes.get(j - from), a.setupSeconds + share, LOCAL));
            }
        }
        return results;
    }

    /**
     * How many of a group's models train together ({@link LockstepTrainer}) before they are
     * measured: 1, each model trained and measured in turn, measured best (docs/lockstep.md:
     * the 1,200-point quickstart grid took the same time as one task per point, 0.98-1.00,
     * against 0.83-1.01 with the whole group trained first); the numbers are the same bits
     * either way. {@code -Dsharpsweep.lockstep.together=K} to compare.
     */
    static final int TRAINED_TOGETHER = Math.max(1, Integer.getInteger("sharpsweep.lockstep.together", 1));

    /**
     * multiple x 2/lambda_0 ({@code train.lr_in_2_over_lambda0}).
     *
     * @throws IllegalStateException naming both if lambda_0 is not positive and finite, or the product is not a learning rate
     */
    static double lrFromLambda0(double multiple, double lambda0) {
        if (!(lambda0 > 0) || !Double.isFinite(lambda0)) {
            throw new IllegalStateException("train.lr_in_2_over_lambda0 " + multiple + ": lambda_0 = " + lambda0
                    + " at the initial parameters is not positive, so 2/lambda_0 is no learning rate");
        }
        double lr = multiple * 2 / lambda0;
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalStateException("train.lr_in_2_over_lambda0 " + multiple + " x 2/lambda_0 (lambda_0 = " + lambda0
                    + ") is " + lr + ", no learning rate");
        }
        return lr;
    }

    /** One point's run between its start and its row: what it loaded and built, and the row so far. */
    private static final class Attempt {
        /** The point; with its learning rate resolved once lambda_0 is known ({@link #atStart}). */
        GridPoint point;
        final Path saveParamsDir;
        final long t0 = System.nanoTime();
        final Builder r = new Builder(Instant.now());
        /** Seconds {@link #start} took: loading the data, building the model and the initial parameters. */
        double setupSeconds;
        /** Seconds {@link #start} spent measuring at the initial parameters ({@link #atStart}); not in setupSeconds. */
        double startMeasureSeconds;
        Data data;
        Model model;
        INDArray theta;
        TrajectoryRecorder trajectory;

        /** The point's failure before training, as its FAILED result. */
        static final class Failed extends Exception {
            final transient PointResult result;

            Failed(PointResult result) {
                super(null, null, false, false);
                this.result = result;
            }
        }

        private Attempt(GridPoint point, Path saveParamsDir) {
            this.point = point;
            this.saveParamsDir = saveParamsDir;
        }

        /** Loads the data, builds the model and its initial parameters, and the trajectory recorder. */
        static Attempt start(GridPoint point, Path saveParamsDir, double[] startParams, Execution execution) throws Failed {
            Blas.prepare(); // before ND4J loads OpenBLAS: the kernel is chosen at load
            Attempt a = new Attempt(point, saveParamsDir);
            try {
                Backend.name(); // a CUDA build that cannot start on this machine says why, before any work
                Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
                PointSpec spec = point.spec();
                a.data = DataCache.get(spec.data(), point.sweepSeed());
                Model model = model(spec, a.data);
                a.model = model;
                a.r.put(ResultSchema.NUM_PARAMS, model.numParams());
                a.theta = initialParams(model, point, startParams);
                a.atStart(execution);
                spec = a.point.spec(); // its learning rate resolved where it is given in units of 2/lambda_0
                a.r.put(ResultSchema.SHARPNESS_BOUND, 2.0 / spec.train().lr());
                a.r.put(ResultSchema.NONUNIFORMITY_BOUND, nonuniformityBound(spec.train().lr(), spec.train().batchSize(), a.data.nTrain()));
                if (spec.measure().every() > 0) {
                    Data data = a.data;
                    a.trajectory = new TrajectoryRecorder(model, data, spec, point.seed(), t -> execution.sums(model, t, data, point), a.r);
                }
                a.setupSeconds = seconds(a.t0) - a.startMeasureSeconds;
                return a;
            } catch (Throwable e) {
                throw new Failed(a.failed(e));
            }
        }

        /**
         * At the initial parameters, before the first step, with one set of curvature sums: where
         * the learning rate is a multiple of 2/lambda_0, lambda_0 (the sharpness_init measurement,
         * its seeds and settings, recorded as it) and the point continues with lr = multiple x
         * 2/lambda_0; then what the asked measures record there (sharpness_init, once), with that lr.
         *
         * @throws IllegalStateException if lambda_0 is not positive (2/lambda_0 is then no learning rate)
         */
        void atStart(Execution execution) throws Exception {
            boolean resolve = point.spec().train().lrIn2OverLambda0() != null;
            if (!resolve && !Measurements.anyAtStart(point.spec().measure())) return;
            long t = System.nanoTime();
            Curvature.Sums sums = execution.sums(model, theta, data, point);
            try {
                Curvature curvature = new Curvature(model, theta, sums);
                Set<org.sharpsweep.sweeps.measure.Measure> done = Set.of();
                if (resolve) {
                    Measurements.of(Measures.SHARPNESS).atStart(context(curvature)); // reads no lr
                    double lr = lrFromLambda0(point.spec().train().lrIn2OverLambda0(), (Double) r.get(Measures.SHARPNESS_INIT));
                    point = point.withLr(lr);
                    r.lr = lr;
                    done = Set.of(Measures.SHARPNESS);
                }
                Measurements.atStart(context(curvature), done);
            } finally {
                if (sums instanceof AutoCloseable c) c.close();
                startMeasureSeconds = seconds(t);
            }
        }

        private MeasureContext context(Curvature curvature) {
            PointSpec spec = point.spec();
            return new MeasureContext(curvature, spec.measure(), spec.train().lr(), spec.train().batchSize(), point.seed(), 0, null,
                    r::put, r::add);
        }

        /** The row of a point whose training ended with {@code outcome} after {@code trainSeconds}: measured unless it diverged. */
        PointResult finish(Trainer.Outcome outcome, double trainSeconds, Execution execution) {
            PointSpec spec = point.spec();
            try {
                double measuredDuring = trajectory == null ? 0 : trajectory.seconds();
                r.put(ResultSchema.STEPS_DONE, outcome.stepsDone());
                r.put(ResultSchema.TRAIN_SECONDS, trainSeconds);
                r.put(ResultSchema.LOSS_PEAK_RATIO, outcome.lossPeakRatio());
                if (outcome.stopped()) r.put(ResultSchema.STOPPED_AT_STEP, outcome.stepsDone());
                if (outcome.diverged()) {
                    r.status = Status.DIVERGED;
                    r.error = outcome.reason();
                    r.put(ResultSchema.DIVERGED_AT_STEP, outcome.divergedAtStep());
                    if (trajectory != null || startMeasureSeconds > 0) {
                        r.put(ResultSchema.MEASURE_SECONDS, measuredDuring + startMeasureSeconds);
                    }
                    return r.build();
                }
                long t1 = System.nanoTime();
                Curvature.Sums sums = execution.sums(model, theta, data, point);
                try {
                    Metrics.measure(model, theta, data, spec, point.seed(), sums, r);
                } finally {
                    if (sums instanceof AutoCloseable c) c.close(); // e.g. Spark broadcasts of the parameters
                }
                if (trajectory != null) trajectory.finish(outcome.stepsDone());
                r.put(ResultSchema.MEASURE_SECONDS, seconds(t1) + measuredDuring + startMeasureSeconds);
                if (saveParamsDir != null) saveParams(model, theta, saveParamsDir);
                if (spec.measure().saveParams()) {
                    Map<String, Object> saved = new LinkedHashMap<>();
                    saved.put(ResultSchema.STEP, outcome.stepsDone());
                    saved.put(ResultSchema.NUM_PARAMS, model.numParams());
                    saved.put(ResultSchema.PARAMS, theta.toDoubleVector());
                    r.add(ResultSchema.PARAMS_TABLE, saved);
                }
                r.status = Status.OK;
                return r.build();
            } catch (Throwable e) {
                return failed(e);
            }
        }

        /** The point FAILED with {@code e}. */
        PointResult failed(Throwable e) {
            r.status = Status.FAILED;
            r.error = describe(e);
            if (r.get(ResultSchema.TRAIN_SECONDS) == null) r.put(ResultSchema.TRAIN_SECONDS, seconds(t0));
            return r.build();
        }
    }

    /**
     * Measures a point again at its saved final parameters, without training ({@code sharpsweep
     * measure}): the curvature measures that {@code point.spec().measure()} turns on, with the
     * same seeds as a run (so the same values a run with those settings would have measured),
     * and their spectra rows. The result carries the original attempt's start time, so that its
     * rows join the results row they belong to. Never throws for the point's own failure.
     *
     * @param theta     the saved parameters (params table)
     * @param stepsDone the updates the parameters were trained for (the spectra rows' step)
     * @param start     the measured attempt's start_time
     */
    public static PointResult measureAt(GridPoint point, double[] theta, int stepsDone, Instant start) {
        Blas.prepare();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        long t0 = System.nanoTime();
        PointSpec spec = point.spec();
        Builder r = new Builder(start);
        if (spec.train().lrIn2OverLambda0() != null) r.lr = spec.train().lr(); // resolved by the run it measures again
        try {
            Data data = DataCache.get(spec.data(), point.sweepSeed());
            Model model = model(spec, data);
            if (theta.length != model.numParams()) {
                throw new IllegalArgumentException("saved parameters have " + theta.length + " values, the network " + model.numParams());
            }
            r.put(ResultSchema.STEPS_DONE, stepsDone);
            INDArray t = Nd4j.createFromArray(theta.clone());
            Curvature.measure(new Curvature(model, t, data.trainX(), data.trainY(), spec.nonuniformitySamples()), spec.measure(),
                    spec.train().lr(), spec.train().batchSize(), point.seed(), r);
            r.put(ResultSchema.MEASURE_SECONDS, seconds(t0));
            r.status = Status.OK;
        } catch (Throwable e) {
            r.status = Status.FAILED;
            r.error = describe(e);
        }
        return r.build();
    }

    /**
     * The point's network for its data: a small network ({@link LockstepGroups#smallNetwork}) as a
     * {@link SmallMlp}, whose calls on few rows run the plain-Java kernel it trains with; any
     * other as {@link Models#of} builds it. Training and measuring (in a run and in
     * {@code sharpsweep measure}) take it from here, so they agree.
     */
    static Model model(PointSpec spec, Data data) {
        Model model = Models.of(spec, data.inputs(), data.outputs());
        return LockstepGroups.smallNetwork(spec) && model instanceof Mlp mlp ? new SmallMlp(mlp) : model;
    }

    /** The point's initialization, or a copy of the saved parameters it starts from. */
    static INDArray initialParams(Model model, GridPoint point, double[] start) {
        var train = point.spec().train();
        if (!train.fromSaved()) {
            if (start != null) throw new IllegalArgumentException("start parameters given to a point that starts from an initialization");
            return model.initParams(Seeds.stream(point.initSeed(), "init"));
        }
        String source = "point " + train.fromPoint() + " of sweep " + train.fromSweep();
        if (start == null) {
            throw new IllegalArgumentException("train.from_sweep: the saved parameters of " + source
                    + " were not passed in; sharpsweep run reads them from the results table's params");
        }
        if (start.length != model.numParams()) {
            throw new IllegalArgumentException("train.from_point: " + source + " saved " + start.length
                    + " parameters, this point's network has " + model.numParams() + " (model and data must match)");
        }
        return Nd4j.createFromArray(start.clone());
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
     * Writes the model's parameters as NumPy files in its export layout ({@link Model#exportArrays}:
     * for the MLP {@code W1.npy, b1.npy, W2.npy, ...}, W with shape [in, out], b [out]), float64,
     * and {@code model.json} ({@link Model#describe}: the family and its settings).
     */
    public static void saveParams(Model model, INDArray theta, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, INDArray> e : model.exportArrays(theta).entrySet()) Npy.write(e.getValue(), dir.resolve(e.getKey() + ".npy"));
        Files.writeString(dir.resolve("model.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(model.describe()) + "\n");
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

    /**
     * Mutable state of one run; only {@link #build} escapes. Measurements are put by results
     * column name ({@link ResultSchema#RESULTS}, groups METRIC and PROVENANCE), checked against
     * the column's type; rows of the other tables are added by table.
     */
    static final class Builder {
        final Instant start;
        Status status;
        String error;
        /** The learning rate resolved from lambda_0 ({@link PointResult#lr}), or null. */
        Double lr;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();

        Builder(Instant start) {
            this.start = start;
        }

        /** Sets a results column; null leaves it unset. */
        void put(String column, Object value) {
            ResultSchema.Column c = ResultSchema.RESULTS.column(column);
            if (c == null || (c.group() != ResultSchema.Group.METRIC && c.group() != ResultSchema.Group.PROVENANCE)) {
                throw new IllegalArgumentException("not a measured column of the results table: " + column);
            }
            if (value == null) {
                values.remove(column);
                return;
            }
            check(c, value);
            values.put(column, value);
        }

        Object get(String column) {
            return values.get(column);
        }

        /** Adds one row of another table (without sweep_id, point_id, start_time: {@link ResultRow} adds them). */
        void add(ResultSchema.Table table, Map<String, Object> row) {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                ResultSchema.Column c = table.column(e.getKey());
                if (c == null) throw new IllegalArgumentException("table " + table.name() + " has no column " + e.getKey());
                if (e.getValue() != null) check(c, e.getValue());
            }
            rows.computeIfAbsent(table.name(), k -> new ArrayList<>()).add(row);
        }

        private static void check(ResultSchema.Column c, Object value) {
            boolean ok = switch (c.type()) {
                case STRING -> value instanceof String;
                case INT -> value instanceof Integer;
                case LONG -> value instanceof Long;
                case DOUBLE -> value instanceof Double;
                case BOOLEAN -> value instanceof Boolean;
                case TIMESTAMP -> value instanceof Instant;
                case DOUBLE_ARRAY -> value instanceof double[];
            };
            if (!ok) throw new IllegalArgumentException("column " + c.name() + " is " + c.type() + ", got " + value.getClass().getSimpleName());
        }

        PointResult build() {
            Double trainLoss = (Double) values.get(ResultSchema.TRAIN_LOSS), testLoss = (Double) values.get(ResultSchema.TEST_LOSS);
            Double trainAcc = (Double) values.get(ResultSchema.TRAIN_ACC), testAcc = (Double) values.get(ResultSchema.TEST_ACC);
            put(ResultSchema.GEN_GAP_LOSS, trainLoss == null || testLoss == null ? null : testLoss - trainLoss);
            put(ResultSchema.GEN_GAP_ACC, trainAcc == null || testAcc == null ? null : trainAcc - testAcc);
            put(ResultSchema.ENGINE_VERSION, Backend.engineVersion());
            put(ResultSchema.BACKEND, Backend.name());
            put(ResultSchema.DEVICE, Backend.device());
            put(ResultSchema.GPU_ADDRESS, Backend.gpuAddress());
            put(ResultSchema.BLAS_CORE, Backend.blasCore());
            put(ResultSchema.EXECUTOR_HOST, Backend.host());
            return new PointResult(status, error, values, rows, start, lr);
        }
    }
}
