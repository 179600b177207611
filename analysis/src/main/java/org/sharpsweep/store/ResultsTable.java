package org.sharpsweep.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Reads a results table (a Parquet directory partitioned by {@code sweep_id}) as one row per
 * grid point. A FAILED point is retried on rerun, so the files may hold a FAILED row and a
 * later OK row of the same point: the view keeps, per (sweep_id, point_id), the OK or
 * DIVERGED row if there is one, else the latest FAILED one; a row that is no point of its sweep's
 * kept spec is not shown ({@link #belonging}).
 */
public final class ResultsTable {
    private ResultsTable() {
    }

    /** Name of the view {@link #register} creates. */
    public static final String VIEW = "results";

    /** True if {@code dir} holds a results table: Parquet partitions, or journaled rows of a sweep. */
    public static boolean exists(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) return false;
            return Arrays.stream(fs.listStatus(p)).anyMatch(s -> s.getPath().getName().startsWith(ResultSchema.SWEEP_ID + "="))
                    || !Journal.files(Journal.fileSystem(p, spark.sparkContext().hadoopConfiguration()), p).isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every row as written, duplicates of retried points included; schema of
     * {@link SparkSchema#results()}. Rows still in the journal (of a running sweep, or of one
     * that was killed and not yet rerun) are included.
     */
    public static Dataset<Row> raw(SparkSession spark, String dir) {
        if (!exists(spark, dir)) {
            throw new IllegalArgumentException("no results table in " + dir + " (expected sweep_id=... partitions); run a sweep with --out " + dir);
        }
        Dataset<Row> parquet = spark.read().schema(SparkSchema.results()).parquet(dir);
        Dataset<Row> journal = Journal.rows(spark, dir);
        return journal == null ? parquet : parquet.unionByName(journal);
    }

    /**
     * One row per grid point: the retained attempt of each (sweep_id, point_id); a setting added
     * after a row was written reads as its default there ({@link #column}).
     */
    public static Dataset<Row> read(SparkSession spark, String dir) {
        Dataset<Row> raw = belonging(spark, dir, raw(spark, dir));
        var byPoint = Window.partitionBy(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID))
                .orderBy(when(col(ResultSchema.STATUS).isin(ResultSchema.DONE_STATUSES.toArray()), 0).otherwise(1),
                        col(ResultSchema.START_TIME).desc_nulls_last());
        return raw.withColumn("_attempt", row_number().over(byPoint))
                .filter(col("_attempt").equalTo(1))
                .drop("_attempt")
                .select(Arrays.stream(SparkSchema.results().fieldNames()).map(ResultsTable::column)
                        .toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * The rows that belong to their sweep (docs/results.md, "Which rows belong to a sweep"): of a
     * sweep with a kept spec, those whose point id is a point of it (or that point's id under the
     * earlier rule, in a table not yet upgraded), so that a file of another sweep or table dropped
     * into a partition shows no point the spec never had; a sweep whose kept spec is missing or no
     * longer reads keeps every row. An id is a hash of every setting that makes the point
     * ({@code PointIds}), so a row with a point's id has that point's settings; {@code check}
     * compares the settings too ({@link StoreCheck#foreignRows}).
     */
    static Dataset<Row> belonging(SparkSession spark, String dir, Dataset<Row> raw) {
        java.util.Map<String, String> kept = KeptSpecs.all(spark.sparkContext().hadoopConfiguration(), dir);
        if (kept.isEmpty()) return raw;
        java.util.List<Row> ids = new java.util.ArrayList<>();
        kept.forEach((sweep, text) -> {
            for (String id : KeptSpecs.ids(text)) ids.add(org.apache.spark.sql.RowFactory.create(sweep, id));
        });
        Dataset<Row> allowed = spark.createDataFrame(ids, new org.apache.spark.sql.types.StructType()
                .add("_belongs_sweep", org.apache.spark.sql.types.DataTypes.StringType)
                .add("_belongs_point", org.apache.spark.sql.types.DataTypes.StringType));
        Dataset<Row> marked = raw.join(org.apache.spark.sql.functions.broadcast(allowed),
                raw.col(ResultSchema.SWEEP_ID).equalTo(allowed.col("_belongs_sweep"))
                        .and(raw.col(ResultSchema.POINT_ID).equalTo(allowed.col("_belongs_point"))), "left");
        // the earlier ids only for a row that has no current one (Or short-circuits): rarely computed at all
        org.apache.spark.sql.Column earlier = org.apache.spark.sql.functions.udf(new EarlierId(new java.util.HashMap<>(kept)),
                org.apache.spark.sql.types.DataTypes.BooleanType).apply(col(ResultSchema.SWEEP_ID), col(ResultSchema.POINT_ID));
        return marked.filter(col("_belongs_point").isNotNull().or(not(col(ResultSchema.SWEEP_ID).isin(kept.keySet().toArray())))
                        .or(earlier))
                .drop("_belongs_sweep", "_belongs_point");
    }

    /** Whether a point id is the id a point of its sweep's kept spec had under the earlier rule (a table not yet upgraded). */
    private static final class EarlierId implements org.apache.spark.sql.api.java.UDF2<String, String, Boolean> {
        private static final long serialVersionUID = 1L;
        private final java.util.HashMap<String, String> specs;

        EarlierId(java.util.HashMap<String, String> specs) {
            this.specs = specs;
        }

        @Override
        public Boolean call(String sweep, String id) {
            String text = specs.get(sweep);
            return text != null && id != null && KeptSpecs.legacyIds(text).contains(id);
        }
    }

    /**
     * A results column as the view shows it: a setting that rows written before it existed hold
     * as null reads as its default there ({@link org.sharpsweep.sweeps.Setting#defaultForOlderRows}:
     * {@code family} mlp, {@code dtype} float64, {@code parallel} none, {@code workers} 1, ...), so
     * that a filter on it keeps the older rows; {@code seeds} reads per-point there (what every
     * point did before the scheme existed); every other column as written.
     */
    private static org.apache.spark.sql.Column column(String name) {
        org.sharpsweep.sweeps.Setting s = org.sharpsweep.sweeps.Setting.byShortName(name);
        Object older = s != null ? s.defaultForOlderRows()
                : ResultSchema.SEEDS.equals(name) ? org.sharpsweep.sweeps.SeedScheme.PER_POINT.specName() : null;
        return older == null ? col(name) : org.apache.spark.sql.functions.coalesce(col(name), org.apache.spark.sql.functions.lit(older)).as(name);
    }

    /**
     * The rows of a table of the directory ({@link ResultSchema#tables()}) for the attempts that
     * {@link #read} keeps: Parquet ({@code DIR/<folder>/sweep_id=...}) and journal rows, joined to
     * the kept results rows on (sweep_id, point_id, start_time). Empty (with the table's schema)
     * when no point wrote any.
     */
    public static Dataset<Row> read(SparkSession spark, String dir, ResultSchema.Table table) {
        if (table == ResultSchema.RESULTS) return read(spark, dir);
        return read(spark, dir, table, read(spark, dir));
    }

    private static Dataset<Row> read(SparkSession spark, String dir, ResultSchema.Table table, Dataset<Row> kept) {
        Dataset<Row> rows = null;
        Path folder = new Path(dir, table.folder());
        try {
            FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(folder) && Arrays.stream(fs.listStatus(folder))
                    .anyMatch(st -> st.getPath().getName().startsWith(ResultSchema.SWEEP_ID + "="))) {
                // the partitions by a glob under basePath: Spark warns that a root folder named '_...' is "ignored"
                rows = spark.read().schema(SparkSchema.of(table)).option("basePath", folder.toString())
                        .parquet(new Path(folder, ResultSchema.SWEEP_ID + "=*").toString());
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + folder + ": " + e.getMessage(), e);
        }
        Dataset<Row> journal = Journal.rows(spark, dir, table);
        if (journal != null) rows = rows == null ? journal : rows.unionByName(journal);
        if (rows == null) return spark.createDataFrame(java.util.List.of(), SparkSchema.of(table));
        Dataset<Row> keys = kept.select(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME);
        return rows.join(keys, scala.collection.JavaConverters.asScalaBuffer(
                        java.util.List.of(ResultSchema.SWEEP_ID, ResultSchema.POINT_ID, ResultSchema.START_TIME)).toSeq(), "left_semi")
                .select(Arrays.stream(SparkSchema.of(table).fieldNames()).map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new));
    }

    /** Registers {@link #read} as the temporary view {@code results} and returns it. */
    public static Dataset<Row> register(SparkSession spark, String dir) {
        Dataset<Row> rows = read(spark, dir);
        rows.createOrReplaceTempView(VIEW);
        return rows;
    }

    /**
     * Registers every table of the directory as a temporary view of its name ({@code results},
     * {@code trajectories}, {@code spectra}, {@code params}) and returns the results view.
     */
    public static Dataset<Row> registerAll(SparkSession spark, String dir) {
        java.util.Map<String, Dataset<Row>> views = views(spark, dir, name -> true);
        views.forEach((name, rows) -> rows.createOrReplaceTempView(name));
        return views.get(VIEW);
    }

    /**
     * The views of the directory by name, unregistered: {@code results} ({@link #read}) and each
     * table beside it whose name {@code wanted} accepts, read for the attempts {@code results}
     * keeps. Building a view's plan costs Spark's analysis of it (tenths of a second in a cold
     * JVM), so a caller that knows which views a query names asks for those alone.
     */
    public static java.util.Map<String, Dataset<Row>> views(SparkSession spark, String dir, java.util.function.Predicate<String> wanted) {
        java.util.Map<String, Dataset<Row>> views = new java.util.LinkedHashMap<>();
        Dataset<Row> results = read(spark, dir);
        views.put(VIEW, results);
        for (ResultSchema.Table t : ResultSchema.children()) {
            if (wanted.test(t.name())) views.put(t.name(), read(spark, dir, t, results));
        }
        return views;
    }
}
