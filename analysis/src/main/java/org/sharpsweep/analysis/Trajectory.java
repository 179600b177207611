package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * A metric during training, one line per grid point: the {@code trajectories} table (written
 * when a sweep sets {@code measure.every: K}) joined to the {@code results} view on (sweep_id,
 * point_id, start_time), so each line carries its point's settings and only the attempt the
 * view keeps is shown. With the metric {@code sharpness}, each learning rate's bound 2/lr is
 * drawn beside its lines: full-batch gradient descent is unstable on a quadratic whose
 * sharpness exceeds 2/lr, and Cohen et al. (2021, "Gradient descent on neural networks
 * typically occurs at the edge of stability", Figure 1) show sharpness rising to it and
 * hovering there. A second panel shows the training loss on a log axis.
 *
 * <p>Rows: every status (a DIVERGED point's trajectory up to its divergence is what one wants to
 * see). A measurement whose metric is null or not finite is left out of that point's line;
 * {@code train_loss} likewise for the loss series (the painter further skips values
 * {@code <= 0}, which a log axis cannot show).
 */
public final class Trajectory {
    private Trajectory() {
    }

    /** The metric drawn when none is named. */
    public static final String DEFAULT_METRIC = ResultSchema.SHARPNESS;

    /** The loss of the second panel. */
    static final String LOSS = ResultSchema.TRAIN_LOSS;

    private static final String LR = "lr";
    private static final String BATCH_SIZE = "batch_size";

    /**
     * @param metric   a numeric column of the trajectories table other than its key and {@code step}
     *                 ({@link #metricColumns()}); null for {@link #DEFAULT_METRIC}
     * @param where    Spark SQL predicate over the results view's columns, or null
     * @param colourBy a settings column of the results view, or null: {@code lr} if the selected
     *                 points have more than one lr, else {@code batch_size} if they have more than
     *                 one batch size, else {@code lr}
     * @param sweep    only this sweep_id, or null for every sweep
     */
    public record Options(String metric, String where, String colourBy, String sweep) {
        public Options {
            if (metric == null) metric = DEFAULT_METRIC;
            if (!metricColumns().contains(metric)) {
                throw new IllegalArgumentException("unknown metric '" + metric + "'; numeric trajectory columns: "
                        + String.join(", ", metricColumns()));
            }
            if (where != null && where.isBlank()) where = null;
            if (colourBy != null && !colourColumns().contains(colourBy)) {
                throw new IllegalArgumentException("unknown colour axis '" + colourBy + "'; settings columns: "
                        + String.join(", ", colourColumns()));
            }
            if (sweep != null && sweep.isBlank()) {
                throw new IllegalArgumentException("sweep must name a sweep_id, got '" + sweep + "'");
            }
        }

        /** The defaults: sharpness, every point, the colour axis chosen from the points. */
        public Options() {
            this(null, null, null, null);
        }
    }

    /** One measurement: the step (updates taken before it) and the value there. */
    public record Sample(int step, double value) {
    }

    /**
     * One grid point's line.
     *
     * @param colour      its value of the colour axis (a number or a string; null if the column is null)
     * @param colourIndex the position of {@code colour} in {@link Result#colourValues()}
     * @param lr          its learning rate, or null
     * @param values      the metric, by step, finite values only
     * @param trainLoss   {@code train_loss}, by step, finite values only
     */
    public record Line(String sweepId, String pointId, String status, Object colour, int colourIndex, Double lr,
            List<Sample> values, List<Sample> trainLoss) {
        public Line {
            values = List.copyOf(values);
            trainLoss = List.copyOf(trainLoss);
        }

        /** The metric at the first measurement, NaN if it has none; likewise {@link #last}, {@link #min}, {@link #max}. */
        public double first() {
            return values.isEmpty() ? Double.NaN : values.get(0).value();
        }

        public double last() {
            return values.isEmpty() ? Double.NaN : values.get(values.size() - 1).value();
        }

        public double min() {
            return values.stream().mapToDouble(Sample::value).min().orElse(Double.NaN);
        }

        public double max() {
            return values.stream().mapToDouble(Sample::value).max().orElse(Double.NaN);
        }
    }

    /**
     * The gradient-descent stability bound 2/lr of one learning rate.
     *
     * @param colourIndex the colour of that lr's lines in {@link Result#colourValues()}, or -1 when
     *                    its lines have several colours (the colour axis is not lr)
     */
    public record Bound(double lr, double value, int colourIndex) {
    }

    /**
     * What the picture shows.
     *
     * @param colourValues the colour axis's distinct values among the lines, in {@link GridAxes#VALUE_ORDER}
     * @param lines        one per point, ordered by colour value, sweep and point id; each by step
     * @param bounds       2/lr per distinct lr, ascending lr; empty unless the metric is sharpness
     * @param sweeps       the sweeps of the lines, sorted
     * @param where        the user's predicate, or null
     */
    public record Result(String metric, String colourBy, List<Object> colourValues, List<Line> lines, List<Bound> bounds,
            List<String> sweeps, String where) {
        public Result {
            colourValues = java.util.Collections.unmodifiableList(new ArrayList<>(colourValues));
            lines = List.copyOf(lines);
            bounds = List.copyOf(bounds);
            sweeps = List.copyOf(sweeps);
        }

        /** The figure's title, e.g. {@code sharpness λmax(H) during training — sweep eos}. */
        public String title() {
            return Labels.metric(metric) + " during training — " + (sweeps.size() == 1 ? "sweep " : "sweeps ") + String.join(", ", sweeps);
        }

        /** Measurements with a value of the metric, over every line. */
        public int measurements() {
            return lines.stream().mapToInt(l -> l.values().size()).sum();
        }
    }

    /** Numeric columns of the trajectories table that can be drawn: all but the key and {@code step}. */
    public static List<String> metricColumns() {
        return ResultSchema.TRAJECTORIES.columns().stream()
                .filter(c -> c.group() != ResultSchema.Group.IDENTITY)
                .filter(c -> c.type() == ResultSchema.Type.DOUBLE || c.type() == ResultSchema.Type.INT
                        || c.type() == ResultSchema.Type.LONG)
                .map(ResultSchema.Column::name).toList();
    }

    /** Columns of the results view a line can be coloured by: the settings and {@code sweep_id}. */
    static List<String> colourColumns() {
        List<String> out = new ArrayList<>(GridAxes.parameterColumns());
        out.add(ResultSchema.SWEEP_ID);
        return out;
    }

    /** Reads the results and trajectories tables in {@code dir}; errors name the value at fault. */
    public static Result compute(SparkSession spark, String dir, Options o) {
        Dataset<Row> results = Query.table(spark, dir);
        return compute(results, ResultsTable.read(spark, dir, ResultSchema.TRAJECTORIES), dir, o);
    }

    /** The refusal of a picture of a table without trajectories (of {@code sweep}, when not null). */
    public static IllegalArgumentException noTrajectories(String source, String sweep) {
        return new IllegalArgumentException("no trajectories in " + source + (sweep == null ? "" : " for sweep '" + sweep + "'")
                + ": run a sweep with measure.every: K");
    }

    /**
     * From tables already loaded: {@code results} in the schema of the results view (one row per
     * point) and {@code trajectories} in that of {@link ResultSchema#TRAJECTORIES}.
     *
     * @param source what to call the directory in messages
     */
    static Result compute(Dataset<Row> results, Dataset<Row> trajectories, String source, Options o) {
        Dataset<Row> selected = Query.filter(results, o.where());
        if (o.sweep() != null) {
            selected = selected.filter(col(ResultSchema.SWEEP_ID).equalTo(o.sweep()));
            trajectories = trajectories.filter(col(ResultSchema.SWEEP_ID).equalTo(o.sweep()));
        }
        List<String> settings = new ArrayList<>(List.of(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME,
                ResultSchema.STATUS, LR, BATCH_SIZE));
        if (o.colourBy() != null && !settings.contains(o.colourBy())) settings.add(o.colourBy());
        Dataset<Row> joined = trajectories
                .select(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID), col(ResultSchema.START_TIME), col(ResultSchema.STEP),
                        col(o.metric()).cast("double").as("_metric"), col(LOSS).cast("double").as("_loss"))
                .join(selected.select(settings.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)),
                        scala.collection.JavaConverters.asScalaBuffer(
                                List.of(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME)).toSeq(), "inner")
                .orderBy(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID), col(ResultSchema.STEP));
        // one job when there are lines to draw; the jobs that say why there are none only when there are none
        List<Row> rows = joined.collectAsList();
        if (rows.isEmpty()) {
            Dataset<Row> checked = Query.select(results, o.where(), o.sweep(), source);
            if (trajectories.isEmpty()) throw noTrajectories(source, o.sweep());
            String selection = "points" + (o.sweep() == null ? "" : " of sweep '" + o.sweep() + "'") + " in " + source
                    + (o.where() == null ? "" : " that match --where '" + o.where() + "'");
            long points = checked.count();
            if (points == 0) throw new IllegalArgumentException("no " + selection);
            throw new IllegalArgumentException("none of the " + points + " " + selection + " has trajectories: run a sweep with measure.every: K");
        }
        return of(rows, o);
    }

    /** Groups the joined rows (ordered by sweep, point and step) into lines. */
    private static Result of(List<Row> rows, Options o) {
        Map<List<String>, List<Row>> byPoint = new LinkedHashMap<>();
        for (Row r : rows) {
            byPoint.computeIfAbsent(List.of(r.<String>getAs(ResultSchema.SWEEP_ID), r.<String>getAs(ResultSchema.POINT_ID)),
                    k -> new ArrayList<>()).add(r);
        }
        String colourBy = o.colourBy() != null ? o.colourBy() : Query.defaultColour(byPoint.values());
        TreeSet<Object> distinct = new TreeSet<>(GridAxes.VALUE_ORDER);
        for (List<Row> point : byPoint.values()) distinct.add(Query.normalised(point.get(0).getAs(colourBy)));
        List<Object> colourValues = new ArrayList<>(distinct);

        List<Line> lines = new ArrayList<>();
        for (List<Row> point : byPoint.values()) {
            Row first = point.get(0);
            List<Sample> values = new ArrayList<>();
            List<Sample> loss = new ArrayList<>();
            for (Row r : point) {
                int step = r.<Integer>getAs(ResultSchema.STEP);
                Double v = r.getAs("_metric");
                Double l = r.getAs("_loss");
                if (v != null && Double.isFinite(v)) values.add(new Sample(step, v));
                if (l != null && Double.isFinite(l)) loss.add(new Sample(step, l));
            }
            Object colour = Query.normalised(first.getAs(colourBy));
            Number lr = first.getAs(LR);
            lines.add(new Line(first.getAs(ResultSchema.SWEEP_ID), first.getAs(ResultSchema.POINT_ID), first.getAs(ResultSchema.STATUS),
                    colour, colourValues.indexOf(colour), lr == null ? null : lr.doubleValue(), values, loss));
        }
        if (lines.stream().allMatch(l -> l.values().isEmpty())) {
            throw new IllegalArgumentException("metric '" + o.metric() + "' has no value in the trajectories of the " + lines.size()
                    + " selected points (null or not finite at every step): was it measured during training?");
        }
        lines.sort(java.util.Comparator.comparing(Line::colour, GridAxes.VALUE_ORDER)
                .thenComparing(Line::sweepId).thenComparing(Line::pointId));

        List<Bound> bounds = new ArrayList<>();
        if (o.metric().equals(ResultSchema.SHARPNESS)) {
            TreeSet<Double> lrs = new TreeSet<>();
            for (Line l : lines) if (l.lr() != null && l.lr() > 0 && !l.values().isEmpty()) lrs.add(l.lr());
            for (double lr : lrs) {
                int[] colours = lines.stream().filter(l -> l.lr() != null && l.lr() == lr).mapToInt(Line::colourIndex).distinct().toArray();
                bounds.add(new Bound(lr, 2 / lr, colours.length == 1 ? colours[0] : -1));
            }
        }
        List<String> sweeps = lines.stream().map(Line::sweepId).distinct().sorted().toList();
        return new Result(o.metric(), colourBy, colourValues, lines, bounds, sweeps, o.where());
    }

    /** Refuses, before any work, a picture path that does not end in .png or .svg. */
    public static void checkPicture(Path out) {
        Figure.formatOf(out);
    }

    /** Writes the picture, {@link TrajectoryPainter#WIDTH} x {@link TrajectoryPainter#HEIGHT}, to {@code out} (.png or .svg). */
    public static void draw(Result r, Path out) {
        Figure.write(new TrajectoryPainter(r, TrajectoryPainter.WIDTH, TrajectoryPainter.HEIGHT).figure(), out);
    }
}
