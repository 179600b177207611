package org.sharpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

    /** Describes {@code rows} in one Spark job. */
    static Described describe(Dataset<Row> rows) {
        List<String> cols = parameterColumns();
        List<Column> aggs = new ArrayList<>();
        for (String c : cols) aggs.add(collect_set(struct(col(c))).as(c));
        aggs.add(collect_set(col(ResultSchema.SWEEP_ID)));
        aggs.add(count(lit(1)));
        Row r = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            List<Object> vals = new ArrayList<>();
            for (Object o : r.getList(i)) vals.add(((Row) o).get(0));
            vals.sort(VALUE_ORDER);
            out.put(cols.get(i), Collections.unmodifiableList(vals));
        }
        List<String> sweeps = new ArrayList<>(r.<String>getList(cols.size()));
        Collections.sort(sweeps);
        return new Described(Collections.unmodifiableMap(out), List.copyOf(sweeps), r.getLong(cols.size() + 1));
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
        List<String> ordered = new ArrayList<>(varying(values));
        for (org.sharpsweep.sweeps.Setting s : org.sharpsweep.sweeps.Setting.values()) {
            // resolved per point from a setting that is given (lr from lr_in_2_over_lambda0): a different value at nearly every point
            if (s.resolvedFrom() != null
                    && values.getOrDefault(s.resolvedFrom().shortName, List.of()).stream().anyMatch(java.util.Objects::nonNull)) {
                ordered.remove(s.shortName);
            }
        }
        ordered.sort(Comparator.comparingInt(c -> first.contains(c) ? first.indexOf(c) - first.size() - 1 : rank(c)));
        if (ordered.size() < 2) return ordered;
        List<Column> pairs = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                if (i == j) continue;
                pairs.add(size(collect_set(struct(col(ordered.get(i)), col(ordered.get(j))))));
                names.add(new String[] {ordered.get(i), ordered.get(j)});
            }
        }
        Row r = rows.agg(pairs.get(0), pairs.subList(1, pairs.size()).toArray(Column[]::new)).first();
        List<String> kept = new ArrayList<>();
        for (String c : ordered) {
            boolean dependent = false;
            for (String a : kept) {
                int k = indexOf(names, a, c);
                if (r.getInt(k) == values.get(a).size()) dependent = true;
            }
            if (!dependent) kept.add(c);
        }
        return List.copyOf(kept);
    }

    private static int indexOf(List<String[]> names, String a, String b) {
        for (int i = 0; i < names.size(); i++) if (names.get(i)[0].equals(a) && names.get(i)[1].equals(b)) return i;
        throw new IllegalStateException(a + "," + b);
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
