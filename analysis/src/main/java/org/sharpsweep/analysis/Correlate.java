package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.sweeps.Status;

/**
 * Which measure predicts the generalization gap: Kendall's tau-b of each measure against a
 * target over all selected points, and the granulated Kendall coefficient psi_i per grid axis
 * and its mean Psi (Jiang et al. 2019, "Fantastic generalization measures and where to find
 * them", section 6; the formulas are in {@link Kendall} and {@link GranulatedKendall}).
 *
 * <p>Rows: the table's view {@code results} (one row per point), the user's {@code --where},
 * then only status OK (DIVERGED and FAILED points have no meaningful measures); of those, for
 * each measure, the rows whose measure or target is null or NaN are left out, so {@code n}
 * differs per measure. Infinite values are kept (they still have an order).
 *
 * <p>Axes: the parameter columns that take more than one value among the OK rows, less those
 * that are a function of another axis ({@link GridAxes#independent}). The seed axis
 * {@code replicate} gets no psi: it is held fixed in every combination (only points of the same
 * seed are compared), and so is {@code sweep_id} when the rows span several sweeps.
 */
public final class Correlate {
    private Correlate() {
    }

    /**
     * Measures compared when none are named: the curvature and norm measures and the training
     * loss. Not the gaps and test metrics (they contain the target), not the bounds (2/lr and its
     * kin are functions of the settings) and not the Lanczos residuals and iteration counts.
     */
    public static final List<String> DEFAULT_MEASURES = defaultMeasures();

    /** The columns each measure's declaration ranks ({@link Measures}), then the norms and the training loss. */
    private static List<String> defaultMeasures() {
        List<String> m = new java.util.ArrayList<>();
        for (Measure d : Measures.all()) m.addAll(d.ranked());
        m.addAll(List.of(ResultSchema.PARAM_NORM, ResultSchema.GRAD_NORM, ResultSchema.TRAIN_LOSS));
        return List.copyOf(m);
    }

    /** The default target, the gap of the loss (test minus train). */
    public static final String DEFAULT_TARGET = ResultSchema.GEN_GAP_LOSS;

    /**
     * @param target   a numeric METRIC column
     * @param measures numeric METRIC columns; empty for {@link #DEFAULT_MEASURES} (those with values)
     * @param where    Spark SQL predicate over the results columns, or null
     */
    public record Options(String target, List<String> measures, String where) {
        public Options {
            if (target == null || !Query.metricColumns().contains(target)) {
                throw new IllegalArgumentException("unknown target column '" + target + "'; numeric result columns: " + Query.metricColumns());
            }
            measures = measures == null ? List.of() : List.copyOf(measures);
            for (String m : measures) {
                if (!Query.metricColumns().contains(m)) {
                    throw new IllegalArgumentException("unknown measure column '" + m + "'; numeric result columns: " + Query.metricColumns());
                }
                if (m.equals(target)) throw new IllegalArgumentException("measure '" + m + "' is the target");
            }
        }
    }

    /** One measure's coefficients; {@code leftOut} OK rows had a null or NaN measure or target. */
    public record Line(String measure, GranulatedKendall.Result result, int leftOut) {
    }

    /**
     * @param axes      the axes, each with a psi
     * @param heldFixed columns held fixed in every combination, without psi
     * @param selected  rows matching the predicate
     * @param notOk     of those, rows left out for a status other than OK
     * @param noValues  default measures left out because fewer than 2 OK rows have them
     */
    public record Result(String target, List<String> axes, List<String> heldFixed, List<Line> lines, long selected, long notOk,
            List<String> noValues) {
    }

    /** Reads the table in {@code dir} and computes every line; errors name the value at fault. */
    public static Result compute(SparkSession spark, String dir, Options o) {
        Dataset<Row> rows = Query.filter(Query.table(spark, dir), o.where());
        long selected = rows.count();
        if (selected == 0) {
            throw new IllegalArgumentException("no rows in " + dir + (o.where() == null ? "" : " match --where '" + o.where() + "'"));
        }
        Dataset<Row> ok = rows.filter(col(ResultSchema.STATUS).equalTo(Status.OK.name()));
        List<String> measures = o.measures().isEmpty() ? DEFAULT_MEASURES.stream().filter(m -> !m.equals(o.target())).toList() : o.measures();
        List<String> axes = new ArrayList<>();
        List<String> held = new ArrayList<>();
        GridAxes.Described d = GridAxes.describe(ok);
        if (d.rows() > 0) {
            for (String a : GridAxes.independent(ok, d.values())) (a.equals(ResultSchema.REPLICATE) ? held : axes).add(a);
            if (d.sweeps().size() > 1) held.add(ResultSchema.SWEEP_ID);
        }
        List<String> cols = new ArrayList<>(axes);
        cols.addAll(held);
        cols.add(o.target());
        cols.addAll(measures);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Row r : ok.select(cols.stream().distinct().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList()) {
            Map<String, Object> m = new HashMap<>();
            for (String c : cols) m.put(c, r.getAs(c));
            maps.add(m);
        }
        return of(maps, axes, held, o.target(), measures, !o.measures().isEmpty(), selected);
    }

    /**
     * The Spark-free part: {@code okRows} are the OK rows as maps from column name to value.
     *
     * @param named true if the user named the measures: one without 2 usable points is then an error,
     *              not a line left out
     */
    static Result of(List<Map<String, Object>> okRows, List<String> axes, List<String> heldFixed, String target, List<String> measures,
            boolean named, long selected) {
        if (okRows.isEmpty()) throw new IllegalArgumentException("none of the " + selected + " selected rows has status OK");
        List<Line> lines = new ArrayList<>();
        List<String> noValues = new ArrayList<>();
        for (String m : measures) {
            List<Map<String, Object>> settings = new ArrayList<>();
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Map<String, Object> r : okRows) {
                Double x = number(r.get(m)), y = number(r.get(target));
                if (x == null || y == null) continue;
                settings.add(r);
                xs.add(x);
                ys.add(y);
            }
            if (xs.size() < 2) {
                if (named) {
                    throw new IllegalArgumentException("measure '" + m + "' against '" + target + "' has " + xs.size()
                            + " point(s) with both values among " + okRows.size() + " OK rows; it needs at least 2");
                }
                noValues.add(m);
                continue;
            }
            GranulatedKendall.Result g = GranulatedKendall.of(settings, axes, heldFixed, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray());
            lines.add(new Line(m, g, okRows.size() - xs.size()));
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("fewer than 2 OK points have '" + target + "' and any of the measures " + measures);
        }
        return new Result(target, List.copyOf(axes), List.copyOf(heldFixed), List.copyOf(lines), selected, selected - okRows.size(),
                List.copyOf(noValues));
    }

    /** A value as a double, or null if it is null or NaN. */
    private static Double number(Object v) {
        if (!(v instanceof Number n)) return null;
        double d = n.doubleValue();
        return Double.isNaN(d) ? null : d;
    }

    /** Refuses, before any work, a picture path that does not end in .png or .svg. */
    public static void checkPicture(Path out) {
        Figure.formatOf(out);
    }

    /** Writes the bar chart of tau and Psi per measure to {@code out} (.png or .svg). */
    public static void draw(Result r, Path out) {
        Figure.write(new CorrelationPainter(r).figure(), out);
    }
}
