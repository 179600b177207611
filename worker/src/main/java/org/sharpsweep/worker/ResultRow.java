package org.sharpsweep.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;

/**
 * One row of the results table (docs/results.md), as column name to value in
 * {@link ResultSchema#columns()} order, with the rows the point produced for the other tables
 * under {@link ResultSchema#CHILD_ROWS} (each keyed by sweep_id, point_id and start_time). Values
 * are String, Integer, Long, Double, Boolean, {@link java.time.Instant} or null. The driver
 * journals it and writes it to Parquet; {@code sharpsweep point} prints it as JSON.
 */
public final class ResultRow {
    private ResultRow() {
    }

    public static Map<String, Object> of(String sweepId, GridPoint point, PointResult r) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (ResultSchema.Column c : ResultSchema.columns()) {
            row.put(c.name(), c.group() == ResultSchema.Group.METRIC || c.group() == ResultSchema.Group.PROVENANCE
                    ? r.get(c.name()) : null);
        }
        row.put(ResultSchema.SWEEP_ID, sweepId);
        row.put(ResultSchema.POINT_ID, point.pointId());
        row.put(ResultSchema.POINT_INDEX, point.index());
        row.put(ResultSchema.STATUS, r.status().name());
        row.put(ResultSchema.ERROR, r.error());
        point.spec().settings().values().forEach((s, v) -> {
            if (s.appliesTo(point.spec())) row.put(s.shortName, s.toColumn(v));
        });
        if (point.spec().train().lrIn2OverLambda0() != null) {
            row.put(Setting.LR.shortName, r.lr()); // the multiple x 2/lambda_0 it trained with; null if it failed before
        }
        row.put(ResultSchema.SEED, point.seed());
        row.put(ResultSchema.SEEDS, point.seeds().specName());
        row.put(ResultSchema.REPLICATE, point.replicate());
        row.put(ResultSchema.START_TIME, r.startTime());
        if (row.size() != ResultSchema.columns().size()) {
            throw new IllegalStateException("result row has columns the schema does not: " + row.keySet());
        }
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        for (ResultSchema.Table t : ResultSchema.children()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> x : r.rows(t)) {
                Map<String, Object> full = new LinkedHashMap<>();
                for (ResultSchema.Column c : t.columns()) full.put(c.name(), x.get(c.name()));
                full.put(ResultSchema.SWEEP_ID, sweepId);
                full.put(ResultSchema.POINT_ID, point.pointId());
                full.put(ResultSchema.START_TIME, r.startTime());
                rows.add(full);
            }
            if (!rows.isEmpty()) children.put(t.name(), rows);
        }
        if (!children.isEmpty()) row.put(ResultSchema.CHILD_ROWS, children);
        return row;
    }
}
