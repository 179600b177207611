package org.sharpsweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * What a set of result rows varies over. The table stores no spec, so the grid is read back
 * from the parameter columns: a column with more than one distinct value is an axis, one with
 * a single value is a fixed setting. {@code seed} is never an axis (it is derived per point
 * from the point id, so it always differs); the grid's seed axis is {@code replicate}.
 */
final class GridAxes {
    private GridAxes() {
    }

    /** Axes listed first, in this order, when a report pairs them (x before y). */
    private static final List<String> PREFERRED = List.of("lr_in_2_over_lambda0", "lr", "batch_size", "width", "depth",
            "penalty_coef", "n_train", "epochs", "steps", "label_noise", "momentum", "optimizer");


    /** Parameter columns that can be axes: every PARAMETER column but {@code seed}. */
    static List<String> parameterColumns() {
        return ResultSchema.names(ResultSchema.Group.PARAMETER).stream()
                .filter(c -> !c.equals(ResultSchema.SEED)).toList();
    }

    /** Orders axis values: numbers by value, then strings, booleans false first, null last. */
    static final Comparator<Object> VALUE_ORDER = (a, b) -> {
        if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
        if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
        if (a instanceof Boolean x && b instanceof Boolean y) return Boolean.compare(x, y);
        return String.valueOf(a).compareTo(String.valueOf(b));
    };

    /**
     * What a set of rows holds.
     *
     * @param values distinct values of every parameter column (but seed), sorted by
     *               {@link #VALUE_ORDER}, null included, in table order
     * @param sweeps distinct sweep ids, sorted
     * @param rows   number of rows
     */
    record Described(Map<String, List<Object>> values, List<String> sweeps, long rows) {
        List<String> varying() {
            return GridAxes.varying(values);
        }

        Map<String, Object> constants() {
            return GridAxes.constants(values);
        }
    }

    /** Describes {@code rows} in one Spark job: their distinct settings, counted, are described by {@link #describe(List, ToIntFunction, ToLongFunction)}. */
    static Described describe(Dataset<Row> rows) {
        List<String> cols = new ArrayList<>(parameterColumns());
        cols.add(ResultSchema.SWEEP_ID);
        List<Row> settings = rows.groupBy(cols.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).count()
                .collectAsList();
        return describe(settings, cols::indexOf, r -> r.getLong(cols.size()));
    }

    /** Describes rows already collected, each with the columns of {@code schema} (the results view's rows). */
    static Described describe(List<Row> rows, StructType schema) {
        return describe(rows, schema::fieldIndex, r -> 1);
    }

    /**
     * @param index  where a column is in a row
     * @param weight how many rows of the table a row stands for
     */
    private static Described describe(List<Row> rows, ToIntFunction<String> index,
            ToLongFunction<Row> weight) {
        List<String> cols = parameterColumns();
        int[] at = cols.stream().mapToInt(index).toArray();
        List<Set<Object>> sets = new ArrayList<>();
        for (int i = 0; i < at.length; i++) sets.add(new HashSet<>());
        Set<String> sweeps = new TreeSet<>();
        int sweep = index.applyAsInt(ResultSchema.SWEEP_ID);
        long n = 0;
        for (Row r : rows) {
            for (int i = 0; i < at.length; i++) sets.get(i).add(r.get(at[i]));
            if (!r.isNullAt(sweep)) sweeps.add(r.getString(sweep));
            n += weight.applyAsLong(r);
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            List<Object> vals = new ArrayList<>(sets.get(i));
            vals.sort(VALUE_ORDER);
            out.put(cols.get(i), Collections.unmodifiableList(vals));
        }
        return new Described(Collections.unmodifiableMap(out), List.copyOf(sweeps), n);
    }

    /** Columns with more than one distinct value, in table order. */
    static List<String> varying(Map<String, List<Object>> values) {
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** Columns with exactly one distinct value and that value (null included), in table order. */
    static Map<String, Object> constants(Map<String, List<Object>> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v.size() == 1) out.put(k, v.get(0));
        });
        return out;
    }

    /**
     * The independent grid axes, ordered for pairing: {@link #PREFERRED} first, then other
     * numeric columns, then the rest, {@code replicate} last. A varying column that is a
     * function of an axis already kept is dropped: a coefficient-0 point has penalty kind
     * {@code none}, so {@code penalty} follows {@code penalty_coef} and is no axis of its own, and
     * an sgd point's null {@code sam_rho} follows {@code optimizer}. So is a column resolved per
     * point from a given setting ({@code Setting.resolvedFrom}).
     */
    static List<String> independent(Dataset<Row> rows, Map<String, List<Object>> values) {
        return independent(rows, values, List.of());
    }

    /**
     * As {@link #independent(Dataset, Map)}, with the columns {@code first} (a picture's axes)
     * ranked before all others, so that a column that is a function of one of them is dropped:
     * what a picture's cell averages over ({@link Heatmap}) is the independent axes but its own.
     */
    static List<String> independent(Dataset<Row> rows, Map<String, List<Object>> values, List<String> first) {
        List<String> ordered = ordered(values, first);
        if (ordered.size() < 2) return ordered;
        List<Row> distinct = rows.select(ordered.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).distinct()
                .collectAsList();
        return independent(ordered, values, distinct, ordered::indexOf);
    }

    /** As {@link #independent(Dataset, Map, List)}, of rows already collected, each with the columns of {@code schema}. */
    static List<String> independent(List<Row> rows, StructType schema, Map<String, List<Object>> values) {
        List<String> ordered = ordered(values, List.of());
        if (ordered.size() < 2) return ordered;
        return independent(ordered, values, rows, schema::fieldIndex);
    }

    /** The varying columns but those resolved per point, {@code first} ranked first, then by {@link #rank}. */
    private static List<String> ordered(Map<String, List<Object>> values, List<String> first) {
        List<String> ordered = new ArrayList<>(varying(values));
        for (org.sharpsweep.sweeps.Setting s : org.sharpsweep.sweeps.Setting.values()) {
            // resolved per point from a setting that is given (lr from lr_in_2_over_lambda0): a different value at nearly every point
            if (s.resolvedFrom() != null
                    && values.getOrDefault(s.resolvedFrom().shortName, List.of()).stream().anyMatch(java.util.Objects::nonNull)) {
                ordered.remove(s.shortName);
            }
        }
        ordered.sort(Comparator.comparingInt(c -> first.contains(c) ? first.indexOf(c) - first.size() - 1 : rank(c)));
        return ordered;
    }

    /**
     * Keeps, in order, each column that is no function of a column kept before it: c follows a
     * when the rows hold as many distinct (a, c) pairs as a has values.
     */
    private static List<String> independent(List<String> ordered, Map<String, List<Object>> values, List<Row> rows,
            ToIntFunction<String> index) {
        List<String> kept = new ArrayList<>();
        for (String c : ordered) {
            boolean dependent = false;
            int ic = index.applyAsInt(c);
            for (String a : kept) {
                int ia = index.applyAsInt(a);
                Set<List<Object>> pairs = new HashSet<>();
                for (Row r : rows) pairs.add(Arrays.asList(r.get(ia), r.get(ic)));
                if (pairs.size() == values.get(a).size()) dependent = true;
            }
            if (!dependent) kept.add(c);
        }
        return List.copyOf(kept);
    }

    private static int rank(String c) {
        int p = PREFERRED.indexOf(c);
        if (p >= 0) return p;
        if (c.equals(ResultSchema.REPLICATE)) return 10_000;
        ResultSchema.Column column = ResultSchema.column(c);
        boolean numeric = column != null && (column.type() == ResultSchema.Type.INT || column.type() == ResultSchema.Type.DOUBLE
                || column.type() == ResultSchema.Type.LONG);
        return (numeric ? 100 : 1000) + parameterColumns().indexOf(c);
    }
}
