package org.sharpsweep.driver;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sharpsweep.sweeps.ResultSchema;

/** A worker result row as a Spark row of {@link org.sharpsweep.analysis.SparkSchema#results()}. */
final class Rows {
    private Rows() {
    }

    /** Position of a column in the rows {@link #toSpark} builds (they carry no schema). */
    static int index(String column) {
        for (int i = 0; i < ResultSchema.columns().size(); i++) {
            if (ResultSchema.columns().get(i).name().equals(column)) return i;
        }
        throw new IllegalArgumentException("no column " + column);
    }

    static Row toSpark(Map<String, Object> row) {
        Object[] values = new Object[ResultSchema.columns().size()];
        int i = 0;
        for (ResultSchema.Column c : ResultSchema.columns()) {
            Object v = row.get(c.name());
            values[i++] = v instanceof Instant t ? Timestamp.from(t) : v;
        }
        return RowFactory.create(values);
    }
}
