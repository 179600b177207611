package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;

/**
 * A table written before some settings existed (its Parquet files lack their columns) read
 * through the results view: such a setting reads as its default where it applies to every point
 * (family mlp, dtype float64, parallel none, workers 1, optimizer sgd), stays null where null is
 * the truth (the conv settings of an mlp, SAM's settings of an sgd point, a teacher-only setting
 * of a file data set), and newer rows read as
 * written.
 */
class OlderRowsIT {
    @TempDir
    Path tmp;

    private static final Set<String> ADDED_LATER = Set.of("family", "conv_blocks", "channels", "kernel", "pool", "dtype",
            "parallel", "workers", "penalty_microbatch", "lockstep_mode", "optimizer", "sam_rho", "sam_adaptive");
    /** Columns added later that are no setting. */
    private static final Set<String> COLUMNS_ADDED_LATER = Set.of(ResultSchema.SEEDS, ResultSchema.LOCKSTEP);

    @Test
    void settingsAddedLaterReadAsTheirDefaultsInOlderRows() {
        SparkSession spark = ResultsFixture.spark();
        StructType full = SparkSchema.results();
        StructType old = new StructType(Arrays.stream(full.fields()).filter(f -> !ADDED_LATER.contains(f.name())
                && !COLUMNS_ADDED_LATER.contains(f.name())).toArray(StructField[]::new));
        Map<String, Object> values = new HashMap<>();
        values.put(ResultSchema.SWEEP_ID, "old");
        values.put(ResultSchema.POINT_ID, "0001");
        values.put(ResultSchema.POINT_INDEX, 0);
        values.put(ResultSchema.STATUS, "OK");
        values.put(ResultSchema.START_TIME, Timestamp.valueOf("2026-11-01 10:00:00"));
        values.put("lr", 0.1);
        values.put("dataset", "fashion-mnist");
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(Arrays.stream(old.fieldNames()).map(values::get).toArray()));
        spark.createDataFrame(rows, old).write().mode("append").partitionBy(ResultSchema.SWEEP_ID).parquet(tmp.toString());

        Map<String, Object> newer = new HashMap<>(values);
        newer.put(ResultSchema.SWEEP_ID, "new");
        newer.put("family", "cnn");
        newer.put("channels", 8);
        newer.put("dtype", "float32");
        newer.put("parallel", "none");
        newer.put("workers", 1);
        newer.put("optimizer", "sam");
        newer.put("sam_rho", 0.2);
        newer.put("sam_adaptive", true);
        spark.createDataFrame(List.of(RowFactory.create(Arrays.stream(full.fieldNames()).map(newer::get).toArray())), full)
                .write().mode("append").partitionBy(ResultSchema.SWEEP_ID).parquet(tmp.toString());

        Row before = ResultsTable.read(spark, tmp.toString()).filter("sweep_id = 'old'").first();
        assertEquals("mlp", before.getAs("family"));
        assertEquals("float64", before.getAs("dtype"));
        assertEquals("none", before.getAs("parallel"));
        assertEquals(1, (int) before.getAs("workers"));
        assertEquals(0, (int) before.getAs("penalty_microbatch"));
        assertEquals("auto", before.getAs("lockstep_mode"));
        assertEquals("per-point", before.getAs(ResultSchema.SEEDS), "every point drew its own seeds before the scheme existed");
        assertNull(before.getAs(ResultSchema.LOCKSTEP), "how an older point was trained is not known");
        assertNull(before.getAs("channels"), "the conv settings do not apply to an mlp");
        assertNull(before.getAs("pool"));
        assertEquals("sgd", before.getAs("optimizer"), "every point trained with SGD before SAM existed");
        assertNull(before.getAs("sam_rho"), "SAM's settings do not apply to sgd");
        assertNull(before.getAs("sam_adaptive"));
        assertNull(before.getAs("input_dim"), "a teacher-only setting stays null for a file data set");
        assertEquals(0.1, before.<Double>getAs("lr"));
        assertEquals(2, ResultsTable.read(spark, tmp.toString()).filter("parallel = 'none' AND workers = 1").count(),
                "a filter on a setting added later keeps the older rows");

        Row after = ResultsTable.read(spark, tmp.toString()).filter("sweep_id = 'new'").first();
        assertEquals("cnn", after.getAs("family"));
        assertEquals(8, (int) after.getAs("channels"));
        assertEquals("float32", after.getAs("dtype"));
        assertEquals("sam", after.getAs("optimizer"));
        assertEquals(0.2, after.<Double>getAs("sam_rho"));
        assertEquals(true, after.getAs("sam_adaptive"));
        assertNull(ResultsTable.raw(spark, tmp.toString()).filter("sweep_id = 'old'").first().getAs("family"),
                "the raw rows stay as written");
        for (String s : ADDED_LATER) assertEquals(s, Setting.byShortName(s).shortName);
    }
}
