package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.analysis.LossLandscape;
import org.sharpsweep.store.Journal;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.Landscape;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep landscape DIR --sweep S --point ID [--plane] --out F}: the loss landscape of
 * one point that kept its final parameters ({@code measure.save_params}), computed on an executor
 * by the worker ({@link Landscape}) and drawn by the analysis module ({@link LossLandscape}); see
 * docs/commands.md, "Loss landscapes", and docs/science.md for the definitions. Bad input (the
 * picture's path, the options, an unknown sweep or point, a point without saved parameters) is
 * refused before any computation, naming the value.
 */
@Command(name = "landscape", mixinStandardHelpOptions = true,
        description = {"The loss landscape of one point with saved parameters (measure.save_params): train and test loss along the top "
                + "Hessian eigenvector, along a filter-normalized random direction (Li et al. 2018) and on the straight path from the "
                + "initial parameters (Goodfellow et al. 2015); with --plane, on a filter-normalized random plane instead."})
final class LandscapeCommand extends TableCommand {
    @Option(names = "--sweep", required = true, paramLabel = "NAME", description = "the point's sweep")
    String sweep;
    @Option(names = "--point", required = true, paramLabel = "ID", description = "the point's point_id")
    String point;
    @Option(names = "--plane", description = "draw the loss on a filter-normalized random plane (steps x steps losses of each kind)")
    boolean plane;
    @Option(names = "--range", paramLabel = "FROM,TO", split = ",",
            description = "alpha's range along the directions and on the plane's axes (default: -1,1; the path always spans -0.5 to 1.5)")
    double[] range;
    @Option(names = "--steps", paramLabel = "N", description = "grid values per line and per plane axis (default: 51)")
    Integer steps;
    @Option(names = "--out", required = true, paramLabel = "FILE.png|svg", description = "the picture")
    Path out;

    /** The computation on an executor: the point, its saved parameters, where it started from if saved, the options. */
    record Task(String sweep, GridPoint point, double[] theta, double[] start, Landscape.Options options) implements Serializable {
        Landscape.Result run() {
            org.sharpsweep.parallel.TaskGpu.bind();
            return Landscape.compute(point, theta, start, options);
        }

        /** For the report: the result, or why there is none (one sweep's failure does not stop the others'). */
        Outcome tryRun() {
            try {
                return new Outcome(sweep, run(), null);
            } catch (RuntimeException e) {
                return new Outcome(sweep, null, e.toString());
            }
        }
    }

    /** A report task's landscape, or its error. */
    record Outcome(String sweep, Landscape.Result result, String error) implements Serializable {
    }

    @Override
    public Integer call() throws Exception {
        Landscape.Options options = options();
        LossLandscape.checkPicture(out);
        OutputPaths.checkFile(out);
        try (SparkSessions.Handle session = openSettled("landscape")) {
            SparkSession spark = session.spark();
            List<String> present = ResultStore.open(spark, dir).sweepsOrRefuse();
            if (!present.contains(sweep)) throw new IllegalArgumentException("--sweep " + sweep + ": no such sweep in " + dir + "; it holds " + present);
            SweepSpec spec = SweepRunner.readSpec(spark, dir, sweep);
            if (spec == null) throw new IllegalArgumentException("sweep " + sweep + " in " + dir + " has no readable kept spec (_specs/" + sweep + ".yaml)");
            GridPoint p = spec.points().stream().filter(x -> x.pointId().equals(point)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--point " + point + ": sweep " + sweep + " has no such point (its points: sharpsweep sql " + dir
                            + " \"SELECT point_id, status FROM results WHERE sweep_id = '" + sweep + "'\")"));
            List<Row> rows = ResultsTable.read(spark, dir)
                    .filter(col(ResultSchema.SWEEP_ID).equalTo(sweep).and(col(ResultSchema.POINT_ID).equalTo(point)))
                    .select(ResultSchema.STATUS, ResultSchema.START_TIME, ResultSchema.TRAIN_LOSS).collectAsList();
            if (rows.isEmpty()) throw new IllegalArgumentException("--point " + point + ": sweep " + sweep + " has not run it yet");
            Row row = rows.get(0);
            double[] theta = null;
            if ("OK".equals(row.getString(0))) {
                Timestamp start = row.getTimestamp(1);
                for (Row r : ResultsTable.read(spark, dir, ResultSchema.PARAMS_TABLE)
                        .filter(col(ResultSchema.SWEEP_ID).equalTo(sweep).and(col(ResultSchema.POINT_ID).equalTo(point)))
                        .select(ResultSchema.START_TIME, ResultSchema.PARAMS).collectAsList()) {
                    if (r.getTimestamp(0).equals(start)) theta = Journal.doubles(r.get(1));
                }
            }
            if (theta == null) {
                throw new IllegalArgumentException("--point " + point + " of sweep " + sweep + " has no saved parameters ("
                        + (!"OK".equals(row.getString(0)) ? "its status is " + row.getString(0)
                        : "it ran without measure.save_params: true; rerun the sweep with it and --restart") + ")");
            }
            double[] startParams = p.spec().train().fromSaved()
                    ? SavedParams.forPoints(spark, dir, List.of(p)).get(SavedParams.key(p.spec().train())) : null;

            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.setJobDescription("landscape of point " + point + " of " + sweep);
            Landscape.Result r = jsc.parallelize(List.of(new Task(sweep, p, theta, startParams, options)), 1).map(Task::run).collect().get(0);
            Double rowLoss = row.isNullAt(2) ? null : row.getDouble(2);
            System.out.printf("point %s of sweep %s: train_loss at theta %s (results row: %s), test_loss %s; lambda_max %s (residual %.2e); "
                            + "directions of length %s%nstart theta_0: %s, train_loss there %s, test_loss %s%n", point, sweep, r.trainLoss(),
                    rowLoss, r.testLoss(), r.sharpness(), r.sharpnessResidual(), r.directionNorm(), r.start(), r.startTrainLoss(),
                    r.startTestLoss());
            for (Landscape.Line l : r.lines()) {
                System.out.printf("%-12s alpha %s to %s (%d values): train loss %s to %s, test loss %s to %s%n", l.direction(),
                        l.alpha()[0], l.alpha()[l.alpha().length - 1], l.alpha().length, min(l.train()), max(l.train()),
                        min(l.test()), max(l.test()));
            }
            LossLandscape.draw(picture(sweep, p, r), out);
        }
        System.out.println("landscape: " + out.toAbsolutePath());
        return 0;
    }

    /** The options, checked before Spark starts, naming the option and its value. */
    Landscape.Options options() {
        if (range != null && range.length != 2) {
            throw new IllegalArgumentException("--range takes two numbers FROM,TO, got " + range.length + " values");
        }
        Landscape.Options d = Landscape.Options.defaults();
        double from = range == null ? d.from() : range[0], to = range == null ? d.to() : range[1];
        int n = steps == null ? d.steps() : steps;
        if (!(from < to) || !Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("--range " + from + "," + to + ": give two finite numbers FROM < TO");
        }
        if (n < 3 || n > Landscape.MAX_STEPS) throw new IllegalArgumentException("--steps " + n + ": give a number from 3 to " + Landscape.MAX_STEPS);
        return new Landscape.Options(from, to, n, plane);
    }

    /** The worker's numbers as the analysis module draws them, with the point's grid values for the subtitle. */
    static LossLandscape.Result picture(String sweep, GridPoint p, Landscape.Result r) {
        List<LossLandscape.Line> lines = new ArrayList<>();
        for (Landscape.Line l : r.lines()) lines.add(new LossLandscape.Line(l.direction(), l.alpha(), l.train(), l.test()));
        LossLandscape.Plane plane = r.plane() == null ? null
                : new LossLandscape.Plane(r.plane().x(), r.plane().y(), r.plane().train(), r.plane().test());
        String settings = p.axes().entrySet().stream().map((Map.Entry<String, Object> e) -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(", "));
        return new LossLandscape.Result(sweep, p.pointId(), settings, r.trainLoss(), r.testLoss(), r.startTrainLoss(), r.startTestLoss(),
                r.start(), r.sharpness(), r.directionNorm(), lines, plane);
    }

    /**
     * The report's landscapes: for each sweep of {@code dir} with saved parameters, the lines
     * (default options, no plane) of its OK point with saved parameters and the lowest point index,
     * computed in one Spark job, one task per sweep. A sweep whose kept spec is missing, or
     * whose landscape fails, is left out with a line on standard error.
     */
    static Map<String, LossLandscape.Result> forReport(SparkSession spark, String dir) {
        if (!ResultsTable.exists(spark, dir)) return Map.of();
        // which point per sweep: ids and indices only (the parameters of the chosen points are read below, not all of them)
        Map<String, Row> first = new java.util.TreeMap<>();
        for (Row r : ResultsTable.read(spark, dir).filter(col(ResultSchema.STATUS).equalTo("OK")).alias("r")
                .join(ResultsTable.read(spark, dir, ResultSchema.PARAMS_TABLE).alias("p"),
                        col("r." + ResultSchema.SWEEP_ID).equalTo(col("p." + ResultSchema.SWEEP_ID))
                                .and(col("r." + ResultSchema.POINT_ID).equalTo(col("p." + ResultSchema.POINT_ID)))
                                .and(col("r." + ResultSchema.START_TIME).equalTo(col("p." + ResultSchema.START_TIME))))
                .select(col("r." + ResultSchema.SWEEP_ID), col("r." + ResultSchema.POINT_ID), col("r." + ResultSchema.POINT_INDEX),
                        col("r." + ResultSchema.START_TIME)).collectAsList()) {
            Row was = first.get(r.getString(0));
            if (was == null || r.getInt(2) < was.getInt(2)) first.put(r.getString(0), r);
        }
        if (first.isEmpty()) return Map.of();
        Map<String, double[]> saved = new java.util.HashMap<>();
        for (Row r : ResultsTable.read(spark, dir, ResultSchema.PARAMS_TABLE)
                .filter(col(ResultSchema.POINT_ID).isin(first.values().stream().map(x -> x.getString(1)).toArray()))
                .select(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.PARAMS).collectAsList()) {
            Row chosen = first.get(r.getString(0));
            if (chosen != null && chosen.getString(1).equals(r.getString(1)) && chosen.getTimestamp(3).equals(r.getTimestamp(2))) {
                saved.put(r.getString(0), Journal.doubles(r.get(3)));
            }
        }
        List<Task> tasks = new ArrayList<>();
        for (Row r : first.values()) {
            String sweep = r.getString(0);
            SweepSpec spec = SweepRunner.readSpec(spark, dir, sweep);
            GridPoint p = spec == null ? null : spec.points().stream().filter(x -> x.pointId().equals(r.getString(1))).findFirst().orElse(null);
            if (p == null) {
                System.err.println("report: no loss landscape for sweep " + sweep + ": its kept spec (_specs/" + sweep + ".yaml) is missing or lacks point " + r.getString(1));
                continue;
            }
            double[] start;
            try {
                start = p.spec().train().fromSaved() ? SavedParams.forPoints(spark, dir, List.of(p)).get(SavedParams.key(p.spec().train())) : null;
            } catch (IllegalArgumentException e) {
                System.err.println("report: no loss landscape for sweep " + sweep + ": " + e.getMessage());
                continue;
            }
            if (saved.get(sweep) == null) continue; // compacted or rewritten between the two reads
            tasks.add(new Task(sweep, p, saved.get(sweep), start, Landscape.Options.defaults()));
        }
        if (tasks.isEmpty()) return Map.of();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("loss landscapes of " + tasks.size() + " sweeps for the report");
        Map<String, LossLandscape.Result> out = new java.util.HashMap<>();
        Map<String, GridPoint> points = new java.util.HashMap<>();
        for (Task t : tasks) points.put(t.sweep(), t.point());
        for (Outcome o : jsc.parallelize(tasks, tasks.size()).map(Task::tryRun).collect()) {
            if (o.result() == null) System.err.println("report: no loss landscape for sweep " + o.sweep() + ": " + o.error());
            else out.put(o.sweep(), picture(o.sweep(), points.get(o.sweep()), o.result()));
        }
        return out;
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).max().orElse(Double.NaN);
    }
}
