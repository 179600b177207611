package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.Journal;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.TrainSpec;

/**
 * The saved final parameters that points with {@code train.from_sweep}/{@code from_point} start
 * from, read from the params table of the same results directory before any work starts, so that
 * a missing source or a network that does not fit it is an error naming it, not a FAILED row.
 */
final class SavedParams {
    private SavedParams() {
    }

    /** Key of a source in the map {@link #forPoints} returns. */
    static String key(TrainSpec t) {
        return t.fromSweep() + "/" + t.fromPoint();
    }

    /**
     * The saved parameters of every source the points name, by {@link #key}; empty if none
     * names one.
     *
     * @throws IllegalArgumentException naming the source when the directory holds no such
     *                                  sweep, point or saved parameters, or when the parameter
     *                                  count differs from the starting point's network
     */
    static Map<String, double[]> forPoints(SparkSession spark, String dir, List<GridPoint> points) {
        Set<String> wanted = new LinkedHashSet<>();
        for (GridPoint p : points) if (p.spec().train().fromSaved()) wanted.add(key(p.spec().train()));
        if (wanted.isEmpty()) return Map.of();
        String first = wanted.iterator().next();
        if (!ResultsTable.exists(spark, dir)) {
            throw new IllegalArgumentException("train.from_sweep: " + dir + " holds no results table, so no saved parameters of "
                    + first.replace("/", " point ") + "; run that sweep into " + dir + " with measure.save_params: true first");
        }
        Set<String> sweeps = new LinkedHashSet<>();
        for (String w : wanted) sweeps.add(w.substring(0, w.indexOf('/')));
        Map<String, double[]> found = new HashMap<>();
        for (Row r : ResultsTable.read(spark, dir, ResultSchema.PARAMS_TABLE)
                .filter(col(ResultSchema.SWEEP_ID).isin(sweeps.toArray()))
                .select(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.PARAMS).collectAsList()) {
            String k = r.getString(0) + "/" + r.getString(1);
            if (wanted.contains(k)) found.put(k, Journal.doubles(r.get(2)));
        }
        for (String w : wanted) {
            if (found.containsKey(w)) continue;
            String sweep = w.substring(0, w.indexOf('/')), point = w.substring(w.indexOf('/') + 1);
            List<Row> inResults = ResultsTable.read(spark, dir)
                    .filter(col(ResultSchema.SWEEP_ID).equalTo(sweep))
                    .select(ResultSchema.POINT_ID, ResultSchema.STATUS, ResultSchema.SAVE_PARAMS_COLUMN).collectAsList();
            if (inResults.isEmpty()) {
                throw new IllegalArgumentException("train.from_sweep: no sweep '" + sweep + "' in " + dir
                        + "; run it there with measure.save_params: true first");
            }
            Row row = inResults.stream().filter(x -> point.equals(x.getString(0))).findFirst().orElse(null);
            if (row == null) {
                throw new IllegalArgumentException("train.from_point: sweep '" + sweep + "' in " + dir + " has no point '" + point
                        + "' (its points: sharpsweep sql " + dir + " \"SELECT point_id, lr, batch_size FROM results WHERE sweep_id = '"
                        + sweep + "'\")");
            }
            throw new IllegalArgumentException("train.from_point: point '" + point + "' of sweep '" + sweep + "' has no saved parameters ("
                    + (!"OK".equals(row.getString(1)) ? "its status is " + row.getString(1)
                    : "it ran without measure.save_params: true; rerun that sweep with it and --restart") + ")");
        }
        for (GridPoint p : points) {
            if (!p.spec().train().fromSaved()) continue;
            double[] start = found.get(key(p.spec().train()));
            if (start.length != p.spec().numParams()) {
                throw new IllegalArgumentException("train.from_point: point '" + p.spec().train().fromPoint() + "' of sweep '"
                        + p.spec().train().fromSweep() + "' saved " + start.length + " parameters, but point " + p.index()
                        + " has a network of " + p.spec().numParams() + " (its model and data must be those of the source)");
            }
        }
        return found;
    }
}
