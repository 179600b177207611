package org.sharpsweep.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

/** Shared steps of every figure: the view, the user's predicate, the columns one may plot. */
final class Query {
    private Query() {
    }

    /** Settings worth naming in a subtitle when fixed (the rest are numerics options a reader rarely needs). */
    private static final List<String> SHOWN_WHEN_FIXED = List.of("dataset", "target", "input_dim", "n_train", "n_test",
            "label_noise", "input_scale", "family", "conv_blocks", "channels", "kernel", "pool", "depth", "width", "activation",
            "init", "loss", "epochs", "steps", "lr", "batch_size", "momentum", "penalty", "penalty_coef");

    /** Registers the table in {@code dir} as the view {@code results} and returns that view. */
    static Dataset<Row> table(SparkSession spark, String dir) {
        if (spark == null) throw new IllegalArgumentException("spark must not be null");
        if (dir == null || dir.isBlank()) throw new IllegalArgumentException("results directory must be given, got " + dir);
        ResultsTable.register(spark, dir);
        return spark.table(ResultsTable.VIEW);
    }

    /** Numeric METRIC columns, in table order: the valid heatmap metrics. */
    static List<String> metricColumns() {
        return ResultSchema.columns().stream()
                .filter(c -> c.group() == ResultSchema.Group.METRIC)
                .filter(c -> c.type() == ResultSchema.Type.DOUBLE || c.type() == ResultSchema.Type.INT
                        || c.type() == ResultSchema.Type.LONG)
                .map(ResultSchema.Column::name).toList();
    }

    /** Rows matching a Spark SQL predicate; a predicate Spark cannot parse or resolve is an IllegalArgumentException. */
    static Dataset<Row> filter(Dataset<Row> rows, String where) {
        if (where == null || where.isBlank()) return rows;
        try {
            Dataset<Row> out = rows.where(where);
            out.schema();
            return out;
        } catch (Exception e) {
            throw new IllegalArgumentException("where predicate '" + where + "' is not valid Spark SQL over the results columns: "
                    + reason(e), e);
        }
    }

    /** Spark's reason for refusing a statement: the first line with text (its parse errors start with a blank line). */
    static String reason(Exception e) {
        return String.valueOf(e.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty())
                .findFirst().orElse(e.getClass().getSimpleName());
    }

    /**
     * The points of a results view that a {@code --where} predicate and a {@code --sweep} name
     * select; a sweep the view does not hold is an IllegalArgumentException listing those it does.
     *
     * @param source what to call the table in messages
     */
    static Dataset<Row> select(Dataset<Row> results, String where, String sweep, String source) {
        Dataset<Row> selected = filter(results, where);
        if (sweep == null) return selected;
        org.apache.spark.sql.Column bySweep = org.apache.spark.sql.functions.col(ResultSchema.SWEEP_ID).equalTo(sweep);
        if (results.filter(bySweep).isEmpty()) {
            List<String> sweeps = results.select(ResultSchema.SWEEP_ID).distinct().collectAsList().stream()
                    .map(r -> r.getString(0)).sorted().toList();
            throw new IllegalArgumentException("no sweep '" + sweep + "' in " + source + "; sweeps: " + String.join(", ", sweeps));
        }
        return selected.filter(bySweep);
    }

    /** {@code name=value} for fixed settings a reader needs to read a figure, e.g. {@code dataset=teacher, depth=1}. */
    static String fixedSettings(Map<String, Object> constants) {
        List<String> parts = new ArrayList<>();
        for (String c : SHOWN_WHEN_FIXED) {
            if (constants.containsKey(c) && constants.get(c) != null) parts.add(c + "=" + show(constants.get(c)));
        }
        return String.join(", ", parts);
    }

    /** A parameter value as a reader expects it: numbers in at most 6 significant digits. */
    static String show(Object v) {
        if (v instanceof Double d) return Format.number(d, 6);
        if (v instanceof Float f) return Format.number(f, 6);
        return String.valueOf(v);
    }

    /** True where c is a finite number: Spark orders NaN above +Infinity, so both comparisons exclude it. */
    static org.apache.spark.sql.Column finite(org.apache.spark.sql.Column c) {
        return c.lt(org.apache.spark.sql.functions.lit(Double.POSITIVE_INFINITY))
                .and(c.gt(org.apache.spark.sql.functions.lit(Double.NEGATIVE_INFINITY)));
    }

    /** Quotes a string as a Spark SQL literal. */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * The colour axis of a per-point picture when the user names none: {@code lr} if the points
     * have more than one, else {@code batch_size} if they have more than one, else {@code lr}.
     * Each point is its rows, all with the same settings.
     */
    static String defaultColour(java.util.Collection<List<Row>> points) {
        for (String c : List.of("lr", "batch_size")) {
            if (points.stream().map(p -> normalised(p.get(0).getAs(c))).distinct().count() > 1) return c;
        }
        return "lr";
    }

    /** Integers as Long and reals as Double, so equal values compare equal whatever the column type. */
    static Object normalised(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        return v;
    }
}
