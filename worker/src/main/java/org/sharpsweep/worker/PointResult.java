package org.sharpsweep.worker;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;

/**
 * What one grid point produced: immutable, with provenance. The measurements are kept by column
 * name of {@link ResultSchema#RESULTS} (its METRIC and PROVENANCE groups), so that a new measure is
 * one column declaration in {@link ResultSchema} and one {@code put} where it is computed; rows of
 * the other tables ({@link ResultSchema#children()}) are kept by table name. A metric that was not
 * computed is absent (null), never a made-up number: a DIVERGED point has no final metrics,
 * {@code measure.sharpness: false} leaves the sharpness null.
 *
 * @param lr the learning rate the point resolved and trained with where its spec gives it as a
 *           multiple of 2/lambda_0 ({@code train.lr_in_2_over_lambda0}), else null (the spec's)
 */
public record PointResult(Status status, String error, Map<String, Object> values,
                          Map<String, List<Map<String, Object>>> rows, Instant startTime, Double lr) {
    public PointResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /** A point that failed before producing anything, e.g. when its Spark task was lost. */
    public static PointResult failed(String error, Instant start) {
        return new PointResult(Status.FAILED, error, Map.of(ResultSchema.ENGINE_VERSION, Backend.engineVersion()), Map.of(), start, null);
    }

    /** The value of a results column, or null if it was not computed. */
    public Object get(String column) {
        return values.get(column);
    }

    /** A DOUBLE column's value, or null. */
    public Double number(String column) {
        return (Double) values.get(column);
    }

    /** An INT column's value, or null. */
    public Integer integer(String column) {
        return (Integer) values.get(column);
    }

    /** The rows of another table the point produced (empty if none). */
    public List<Map<String, Object>> rows(ResultSchema.Table table) {
        return rows.getOrDefault(table.name(), List.of());
    }
}
