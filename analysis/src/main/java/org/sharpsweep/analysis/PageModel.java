package org.sharpsweep.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One sweep's rows as the page's interactive views read them ({@link Page}): every point with
 * its varying settings, status and every metric that has a value, from the rows the report
 * collected, and the model built from them. The page's script draws from this model alone, the same in the
 * report and on a served page, so what it may decide is decided here: which columns are settings
 * and which metrics, their labels, which are drawn on log axes ({@link #LOG_RATIO}), the heatmap axes
 * and metrics, the trajectories and spectral densities (computed by {@link Trajectory} and
 * {@link SpectralDensity}, thinned to at most {@link #MAX_SAMPLES} samples per line).
 *
 * <p>The model, {@code data} of a sweep in {@link Page#json}:
 * <pre>
 * {"points": 32, "total": 36 or null, "counts": {"OK": 25, "DIVERGED": 5, "FAILED": 2},
 *  "axes": ["lr", "batch_size"],              heatmap axes: the independent grid axes, replicate left out
 *  "settings": ["lr", "batch_size", "replicate"],   every varying setting: filters, tooltips
 *  "metrics": ["train_loss", "sharpness", ...],     every numeric metric with a value at some point
 *  "heatmapMetrics": ["sharpness", ...],            {@link Report#HEATMAP_METRICS} with a value at an OK point
 *  "columns": {"lr": {"label": "learning rate lr", "numeric": true, "log": true, "values": [0.01, 0.1, 1]}, ...},
 *  "rows": {"point_id": [...], "status": [...], "error": [...], "lr": [...], ...},   one array per column, point order
 *  "trajectories": {"metric", "label", "log", "bounds": [{"lr", "value"}], "lines": [{"point", "step", "value", "lossStep", "loss"}]},
 *  "density": {"curves": [{"point", "step", "x", "y", "sharpness"}]}}
 * </pre>
 * A value that is not finite is written as the string {@code "NaN"}, {@code "Infinity"} or
 * {@code "-Infinity"} (JSON has no such numbers); a null stays null. {@code error} holds the first
 * line of a point's error (the whole text is in the failures table).
 */
final class PageModel {
    /** Samples per trajectory line at most: a line of more measurements is thinned evenly, its last kept. */
    static final int MAX_SAMPLES = 200;
    /** Eigenvalue grid points per spectral density at most: each window of the density's grid is given by its highest point. */
    static final int MAX_DENSITY_POINTS = 250;
    /**
     * Ratio of a positive column's largest to smallest value from which the page draws it on a log
     * axis (values spanning two decades); a grid axis whose values are log-spaced ({@link
     * Format#isLogSpaced}) is drawn on one too.
     */
    static final double LOG_RATIO = 100;

    private final List<String> settings;
    /** The page's columns: point id, status, error, the settings, every numeric metric; and where each is in a row. */
    private final List<String> columns;
    private final Map<String, Integer> at;
    private final List<Row> rows;

    private PageModel(List<String> settings, List<String> columns, Map<String, Integer> at, List<Row> rows) {
        this.settings = settings;
        this.columns = columns;
        this.at = at;
        this.rows = rows;
    }

    /**
     * The rows of one sweep, already collected, each with the columns of {@code schema}, ordered
     * by the settings (nulls last) and the point id.
     *
     * @param settings the sweep's varying setting columns
     */
    static PageModel of(List<Row> sweepRows, StructType schema, List<String> settings) {
        List<String> cols = new ArrayList<>(List.of(ResultSchema.POINT_ID, ResultSchema.STATUS, ResultSchema.ERROR));
        cols.addAll(settings);
        for (String m : Query.metricColumns()) if (!cols.contains(m)) cols.add(m);
        Map<String, Integer> at = new HashMap<>();
        for (String c : cols) at.put(c, schema.fieldIndex(c));
        Comparator<Row> order = (x, y) -> 0;
        for (String c : settings) order = order.thenComparing(r -> r.get(at.get(c)), GridAxes.VALUE_ORDER);
        order = order.thenComparing(r -> r.getString(at.get(ResultSchema.POINT_ID)));
        return new PageModel(List.copyOf(settings), List.copyOf(cols), at, sweepRows.stream().sorted(order).toList());
    }

    /** The OK points as maps from column name to value ({@link Correlate#of}'s input). */
    List<Map<String, Object>> okRows() {
        List<Map<String, Object>> out = new ArrayList<>();
        int status = at.get(ResultSchema.STATUS);
        for (Row r : rows) {
            if (!Status.OK.name().equals(r.get(status))) continue;
            Map<String, Object> m = new HashMap<>();
            for (String c : columns) m.put(c, r.get(at.get(c)));
            out.add(m);
        }
        return out;
    }

    /** Number of points. */
    int size() {
        return rows.size();
    }

    /**
     * The model of the sweep's views.
     *
     * @param total          points of the sweep's kept spec, or null when it has none that reads
     * @param axes           the heatmap axes (independent grid axes, without replicate), in pairing order
     * @param values         distinct values of every setting column ({@link GridAxes.Described#values})
     * @param heatmapMetrics the heatmap metrics with a value at some OK point
     * @param trajectory     the trajectory of the sweep's points, or null
     * @param density        the spectral densities of its points, or null
     */
    ObjectNode data(Integer total, List<String> axes, Map<String, List<Object>> values, List<String> heatmapMetrics,
            Trajectory.Result trajectory, SpectralDensity.Result density) {
        ObjectNode o = Page.JSON.createObjectNode();
        o.put("points", rows.size());
        if (total == null) o.putNull("total");
        else o.put("total", total);
        ObjectNode counts = o.putObject("counts");
        for (Status s : Status.values()) counts.put(s.name(), 0);
        int status = at.get(ResultSchema.STATUS);
        for (Row r : rows) {
            String s = r.getString(status);
            if (s != null) counts.put(s, counts.path(s).asInt() + 1);
        }
        strings(o.putArray("axes"), axes);
        strings(o.putArray("settings"), settings);
        List<String> metrics = new ArrayList<>();
        for (String c : columns) {
            if (!settings.contains(c) && Query.metricColumns().contains(c) && hasValue(c)) metrics.add(c);
        }
        strings(o.putArray("metrics"), metrics);
        strings(o.putArray("heatmapMetrics"), heatmapMetrics);

        ObjectNode info = o.putObject("columns");
        for (String c : settings) {
            ObjectNode n = info.putObject(c);
            n.put("label", Labels.axis(c));
            List<Object> vals = values.getOrDefault(c, List.of());
            boolean numeric = vals.stream().allMatch(v -> v == null || v instanceof Number);
            n.put("numeric", numeric);
            n.put("log", numeric && (Format.isLogSpaced(vals) || spansDecades(at.get(c))));
            ArrayNode a = n.putArray("values");
            for (Object v : vals) value(a, v);
        }
        for (String m : metrics) {
            ObjectNode n = info.putObject(m);
            n.put("label", Labels.metric(m));
            n.put("numeric", true);
            n.put("log", spansDecades(at.get(m)));
        }

        ObjectNode table = o.putObject("rows");
        List<String> shown = new ArrayList<>(List.of(ResultSchema.POINT_ID, ResultSchema.STATUS, ResultSchema.ERROR));
        shown.addAll(settings);
        shown.addAll(metrics);
        for (String c : shown) {
            int i = at.get(c);
            ArrayNode a = table.putArray(c);
            for (Row r : rows) {
                Object v = r.get(i);
                if (c.equals(ResultSchema.ERROR) && v != null) v = ((String) v).lines().findFirst().orElse("");
                value(a, v);
            }
        }
        if (trajectory != null) o.set("trajectories", trajectories(trajectory));
        if (density != null) o.set("density", densities(density));
        return o;
    }

    private boolean hasValue(String column) {
        int i = at.get(column);
        for (Row r : rows) if (!r.isNullAt(i)) return true;
        return false;
    }

    /** Whether the column's finite values are all positive and span {@link #LOG_RATIO} or more. */
    private boolean spansDecades(int column) {
        return spansDecades(rows.stream().map(r -> r.get(column)).filter(v -> v instanceof Number)
                .mapToDouble(v -> ((Number) v).doubleValue()).toArray());
    }

    /** Whether the finite values are all positive and span {@link #LOG_RATIO} or more. */
    static boolean spansDecades(double[] values) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            if (!(v > 0)) return false;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi > 0 && hi / lo >= LOG_RATIO;
    }

    private static ObjectNode trajectories(Trajectory.Result t) {
        ObjectNode o = Page.JSON.createObjectNode();
        o.put("metric", t.metric());
        o.put("label", Labels.metric(t.metric()));
        o.put("log", spansDecades(t.lines().stream().flatMap(l -> l.values().stream()).mapToDouble(Trajectory.Sample::value).toArray()));
        ArrayNode bounds = o.putArray("bounds");
        for (Trajectory.Bound b : t.bounds()) bounds.addObject().put("lr", b.lr()).put("value", b.value());
        ArrayNode lines = o.putArray("lines");
        for (Trajectory.Line l : t.lines()) {
            ObjectNode n = lines.addObject();
            n.put("point", l.pointId());
            List<Trajectory.Sample> values = thin(l.values(), MAX_SAMPLES);
            ArrayNode step = n.putArray("step");
            ArrayNode value = n.putArray("value");
            for (Trajectory.Sample s : values) {
                step.add(s.step());
                value.add(s.value());
            }
            ArrayNode lossStep = n.putArray("lossStep");
            ArrayNode loss = n.putArray("loss");
            for (Trajectory.Sample s : thin(l.trainLoss(), MAX_SAMPLES)) {
                lossStep.add(s.step());
                loss.add(s.value());
            }
        }
        return o;
    }

    private static ObjectNode densities(SpectralDensity.Result d) {
        ObjectNode o = Page.JSON.createObjectNode();
        ArrayNode curves = o.putArray("curves");
        for (SpectralDensity.Curve c : d.curves()) {
            ObjectNode n = curves.addObject();
            n.put("point", c.pointId());
            n.put("step", c.step());
            if (c.sharpness() == null || !Double.isFinite(c.sharpness())) n.putNull("sharpness");
            else n.put("sharpness", c.sharpness());
            // each window of grid points by its highest: a narrow peak survives on the page's log axis
            int stride = Math.max(1, (int) Math.ceil(c.grid().length / (double) MAX_DENSITY_POINTS));
            ArrayNode x = n.putArray("x");
            ArrayNode y = n.putArray("y");
            for (int i = 0; i < c.grid().length; i += stride) {
                int top = i;
                for (int j = i; j < Math.min(i + stride, c.grid().length); j++) if (c.density()[j] > c.density()[top]) top = j;
                x.add(c.grid()[top]);
                y.add(c.density()[top]);
            }
        }
        return o;
    }

    /** At most {@code max} of the samples, evenly spaced, the first and the last kept. */
    static <T> List<T> thin(List<T> samples, int max) {
        if (samples.size() <= max) return samples;
        List<T> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) out.add(samples.get((int) Math.round(i * (samples.size() - 1) / (double) (max - 1))));
        return out;
    }

    private static void strings(ArrayNode a, List<String> values) {
        for (String v : values) a.add(v);
    }

    /** A table value into JSON: numbers as numbers, the non-finite ones as strings, everything else as text. */
    private static void value(ArrayNode a, Object v) {
        if (v == null) a.addNull();
        else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) a.add(d);
            else a.add(Double.toString(d));
        } else if (v instanceof Number n) a.add(n.longValue());
        else if (v instanceof Boolean b) a.add(b);
        else a.add(String.valueOf(v));
    }
}
