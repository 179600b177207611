package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;

/**
 * A heatmap of one metric over two grid axes, straight from the results table.
 *
 * <p>One cell per actual value of x and of y (no interpolation, unequal spacing kept as
 * categories), labelled with those values; log-spaced axes are detected from the values
 * ({@link Format#isLogSpaced}) and say so. Every other column that varies among the
 * selected rows (seed replicates, other axes, several sweeps) is aggregated inside a cell
 * by {@link HeatmapOptions#agg()} through Spark SQL, and the title names them.
 *
 * <p>Status rules, per cell: the aggregate is taken over OK points with a finite value only (a DIVERGED point's
 * metrics describe a blown-up network, a FAILED point has none). A cell with at least one OK
 * value shows it, with "+k div" / "+k fail" and a corner mark when some of its points did not
 * finish OK. A cell without an OK value is hatched red ("diverged") if any point diverged,
 * else hatched grey ("failed") if any failed; a cell whose OK points have a null metric shows
 * "n/a"; a cell with no point at all is blank. See {@link HeatmapResult.State}.
 */
public final class Heatmap {
    private Heatmap() {
    }

    /** Renders from the results table in {@code resultsDir} (registered as the view {@code results}). */
    public static HeatmapResult render(SparkSession spark, String resultsDir, HeatmapOptions o, Path out) {
        return render(Query.table(spark, resultsDir), o, out);
    }

    /**
     * Renders from result rows already loaded (the schema of {@link SparkSchema#results()}, one
     * row per point as {@link ResultsTable#read} gives).
     *
     * @throws IllegalArgumentException for an unknown metric or axis (the message lists the valid
     *                                  ones), a bad predicate, no matching rows, or a bad extension
     */
    public static HeatmapResult render(Dataset<Row> table, HeatmapOptions o, Path out) {
        return render(table, o, List.of(out));
    }

    /** Renders once and writes every path (e.g. a PNG and an SVG); the result names the first. */
    static HeatmapResult render(Dataset<Row> table, HeatmapOptions o, List<Path> outs) {
        if (outs.isEmpty()) throw new IllegalArgumentException("no output file given");
        outs.forEach(Figure::formatOf);
        return render(table, GridAxes.describe(table), o, outs);
    }

    /** As above with the table already described (the report draws many heatmaps of one table). */
    static HeatmapResult render(Dataset<Row> table, GridAxes.Described described, HeatmapOptions o, List<Path> outs) {
        Column metric = metric(table, o.metric());
        Map<String, List<Object>> tableValues = described.values();
        List<String> axes = described.varying();
        checkAxis("x", o.x(), axes, tableValues);
        if (o.y() != null) checkAxis("y", o.y(), axes, tableValues);

        Dataset<Row> rows = Query.filter(table, o.where());
        GridAxes.Described selected = o.where() == null ? described : GridAxes.describe(rows);
        Map<String, List<Object>> values = selected.values();
        List<Object> xs = values.get(o.x());
        if (selected.rows() == 0) {
            throw new IllegalArgumentException(o.where() == null ? "the results table has no rows"
                    : "no results match where '" + o.where() + "'");
        }
        List<Object> ys = o.y() == null ? Arrays.asList((Object) null) : values.get(o.y());
        // the other independent axes: a column that follows x or y (an sgd point's null sam_rho) is no axis averaged over
        List<String> shown = o.y() == null ? List.of(o.x()) : List.of(o.x(), o.y());
        List<String> aggregated = new ArrayList<>();
        for (String c : GridAxes.independent(rows, values, shown)) {
            if (!shown.contains(c)) aggregated.add(c);
        }
        List<String> sweeps = selected.sweeps();
        if (sweeps.size() > 1) aggregated.add(ResultSchema.SWEEP_ID);

        Map<List<Object>, CellStats> byCell = aggregate(rows, o, metric);
        return HeatmapPainter.draw(o, outs, xs, ys, byCell, aggregated, sweeps, GridAxes.constants(values));
    }

    /** A name that is a column's and nothing more: a metric column then, never an expression. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The metric as a column: a METRIC column by its name, or a numeric Spark SQL expression over
     * the results columns (anything but a bare name, e.g. {@code sharpness * lr / 2}, the sharpness
     * in units of 2/lr). A bare name that is no metric column (a typo, a setting) is refused with
     * the valid metrics, as is an expression Spark cannot analyse, one that aggregates points
     * ({@code avg(sharpness)}: the cells aggregate) or one that is not a number.
     */
    static Column metric(Dataset<Row> table, String metric) {
        List<String> metrics = Query.metricColumns();
        if (NAME.matcher(metric).matches()) {
            if (!metrics.contains(metric)) {
                throw new IllegalArgumentException("unknown metric '" + metric + "'; valid metrics: " + String.join(", ", metrics)
                        + "; or an expression over the results columns, e.g. 'sharpness * lr / 2'");
            }
            return col(metric);
        }
        Column c = org.apache.spark.sql.functions.expr(metric);
        org.apache.spark.sql.types.DataType type;
        try {
            type = table.select(c).schema().fields()[0].dataType();
            // a value per point: an aggregate or window function would fail only once the cells aggregate it
            table.select(org.apache.spark.sql.functions.max(c)).schema();
        } catch (Exception e) {
            throw new IllegalArgumentException("metric '" + metric + "' is neither a metric column nor a Spark SQL expression over the "
                    + "results columns giving a value per point: " + Query.reason(e), e);
        }
        if (!(type instanceof org.apache.spark.sql.types.NumericType)) {
            throw new IllegalArgumentException("metric expression '" + metric + "' is of type " + type.simpleString() + ", not a number");
        }
        return c;
    }

    private static void checkAxis(String which, String name, List<String> axes, Map<String, List<Object>> values) {
        if (axes.contains(name)) return;
        String valid = axes.isEmpty() ? "none (every parameter is constant)" : String.join(", ", axes);
        if (values.containsKey(name)) {
            throw new IllegalArgumentException(which + " axis '" + name + "' does not vary in this table (only "
                    + Query.show(values.get(name).isEmpty() ? null : values.get(name).get(0)) + "); axes that vary: " + valid);
        }
        throw new IllegalArgumentException("unknown " + which + " axis '" + name + "'; axes that vary: " + valid);
    }

    /**
     * One Spark SQL aggregation: per (x, y), the point counts by status and the aggregate of
     * the metric over OK points with a finite value. Keyed by {@link #key}.
     */
    private static Map<List<Object>, CellStats> aggregate(Dataset<Row> rows, HeatmapOptions o, Column value) {
        Column status = col(ResultSchema.STATUS);
        Column metric = value.cast("double");
        Column okValue = when(status.equalTo(Status.OK.name()).and(Query.finite(metric)), metric);
        Column[] group = o.y() == null ? new Column[] {col(o.x())} : new Column[] {col(o.x()), col(o.y())};
        List<Row> cells = rows.groupBy(group).agg(
                count(lit(1)).as("n"),
                sum(when(status.equalTo(Status.OK.name()), 1).otherwise(0)).as("n_ok"),
                sum(when(status.equalTo(Status.DIVERGED.name()), 1).otherwise(0)).as("n_diverged"),
                sum(when(status.equalTo(Status.FAILED.name()), 1).otherwise(0)).as("n_failed"),
                count(okValue).as("n_value"),
                o.agg().of(okValue).as("value")).collectAsList();
        Map<List<Object>, CellStats> out = new HashMap<>();
        for (Row r : cells) {
            CellStats c = new CellStats(r.getAs("n"), r.getAs("n_ok"), r.getAs("n_diverged"), r.getAs("n_failed"),
                    r.getAs("n_value"), r.getAs("value"));
            out.put(key(r.get(0), o.y() == null ? null : r.get(1)), c);
        }
        return out;
    }

    /** Points of one cell by status, how many OK ones have a value, and their aggregate (null if none). */
    record CellStats(long n, long ok, long diverged, long failed, long withValue, Double value) {
        HeatmapResult.State state() {
            if (withValue > 0) return HeatmapResult.State.VALUE;
            if (diverged > 0) return HeatmapResult.State.DIVERGED;
            if (failed > 0) return HeatmapResult.State.FAILED;
            if (ok > 0) return HeatmapResult.State.NO_VALUE;
            return HeatmapResult.State.MISSING;
        }
    }

    /** Map key of a cell; numbers compare by value whatever their boxed type. */
    static List<Object> key(Object x, Object y) {
        return Arrays.asList(norm(x), norm(y));
    }

    private static Object norm(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : v;
    }
}
