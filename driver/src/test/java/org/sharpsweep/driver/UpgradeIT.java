package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A table written under the earlier point-id rule (every setting hashed): {@code run} refuses
 * to mix new ids into it and names {@code upgrade}; {@code upgrade} rewrites the ids to the
 * current rule with every other value unchanged, after which the same spec has nothing to do.
 * The old table is this sweep's real rows with their ids mapped back by the old rule (the map
 * is {@link SweepSpec#idUpgrades}, tested against pinned legacy ids in the sweeps module).
 */
class UpgradeIT {
    static final String SPEC = """
            name: older
            seed: 8
            data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
            model: {depth: 1, width: 4}
            train: {steps: 5, lr: 0.1}
            measure: {max_iters: 10}
            grid:
              lr: {from: 0.01, to: 1, num: 5, scale: log}
            """;

    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    @Test
    void upgradeRewritesOldIdsOnceAndTheSweepIsDone() throws Exception {
        SweepSpec spec = SweepSpec.parse(SPEC);
        String current = tmp.resolve("current").toString();
        SweepRunner.run(spark, spec, current);
        Dataset<Row> expected = spark.createDataFrame(ResultsTable.raw(spark, current).collectAsList(), ResultsTable.raw(spark, current).schema());

        List<Row> pairs = new ArrayList<>();
        for (SweepSpec.IdUpgrade u : spec.idUpgrades()) {
            assertNotEquals(u.legacyId(), u.pointId(), "the rule changed for this point");
            pairs.add(RowFactory.create(u.pointId(), u.legacyId()));
        }
        Dataset<Row> map = spark.createDataFrame(pairs, new StructType().add("_id", DataTypes.StringType).add("_old", DataTypes.StringType));
        Path old = tmp.resolve("old");
        Dataset<Row> rows = ResultsTable.raw(spark, current);
        rows.join(map, rows.col(ResultSchema.POINT_ID).equalTo(map.col("_id")), "left")
                .withColumn(ResultSchema.POINT_ID, coalesce(col("_old"), rows.col(ResultSchema.POINT_ID))).drop("_id", "_old")
                .repartition(3).write().mode(SaveMode.ErrorIfExists).partitionBy(ResultSchema.SWEEP_ID).parquet(old.toString());
        Files.createDirectories(old.resolve("_specs"));
        Files.copy(tmp.resolve("current").resolve(ResultSchema.specFile("older")), old.resolve(ResultSchema.specFile("older")));

        assertEquals(5, ResultsTable.read(spark, old.toString()).count(),
                "before the upgrade the views show the rows under their earlier ids: those belong to the kept spec too");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepRunner.run(spark, spec, old.toString()));
        assertTrue(e.getMessage().contains("sharpsweep upgrade"), e.getMessage());

        assertEquals(0, Main.execute("upgrade", old.toString()));
        CompactIT.assertSameRows(expected, spark.createDataFrame(ResultsTable.raw(spark, old.toString()).collectAsList(),
                ResultsTable.raw(spark, old.toString()).schema()));
        assertEquals(1, CompactIT.parquetFiles(old).size(), "rewritten into one file");
        assertEquals(0, SweepRunner.run(spark, spec, old.toString()).ran(), "every point is done under its new id");
        assertEquals(0, Main.execute("upgrade", old.toString()), "a second upgrade changes nothing");
        assertEquals(5, spark.read().parquet(old.toString()).count());
    }
}
