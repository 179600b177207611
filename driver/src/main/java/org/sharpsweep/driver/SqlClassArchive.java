package org.sharpsweep.driver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.KeptSpecs;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * The training run of the class archive that makes {@code sharpsweep sql} start quickly
 * ({@code scripts/sql-archive} runs it under {@code -XX:ArchiveClassesAtExit}): it writes a
 * two-point table into the directory given, laid out as {@code run} writes one (the results,
 * the sweep's kept spec, whose point ids the rows have, and a trajectories table), and queries
 * it the ways {@code sql} does, so that the classes a query needs (about 17,000: Spark SQL,
 * Parquet, Hadoop, log4j, and the spec parsing and join by which the views keep a sweep's own
 * points) are in the archive, parsed and verified, when the next JVM starts.
 */
public final class SqlClassArchive {
    private SqlClassArchive() {
    }

    /**
     * {@code SqlClassArchive EMPTY_DIR}: the training run. {@code SqlClassArchive --serve EMPTY_DIR}:
     * writes the same table, starts a JDBC endpoint over it on a free port of 127.0.0.1, prints
     * its URL on a line of standard output and serves until standard input ends, for the
     * training run of {@code sql --server} ({@link SqlClientArchive}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--serve")) {
            serve(args[1] + "/results");
            return;
        }
        if (args.length != 1) throw new IllegalArgumentException("usage: SqlClassArchive [--serve] EMPTY_DIR");
        String dir = args[0] + "/results";
        writeTable(dir);
        String query = "SELECT status, count(*) AS n, avg(lr) AS lr FROM results WHERE lr > 0 GROUP BY status ORDER BY status";
        for (String format : SqlCommand.FORMATS) check(Main.execute("sql", dir, query, "--format", format));
        check(Main.execute("sql", dir, "SELECT r.lr, max(t.step) AS steps FROM trajectories t JOIN results r "
                + "USING (sweep_id, point_id, start_time) GROUP BY r.lr ORDER BY r.lr"));
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(("help\nSELECT count(*) FROM results;\n" + query + ";\nSELECT nope FROM results;\n")
                .getBytes(StandardCharsets.UTF_8)));
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(System.out, true)); // the expected error of the last query
        try {
            if (Main.execute("sql", dir) != 2) throw new IllegalStateException("the failing query did not fail");
        } finally {
            System.setIn(stdin);
            System.setErr(stderr);
        }
    }

    private static void serve(String dir) throws IOException {
        writeTable(dir);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("sql client archive")
                .config("spark.ui.enabled", "false").getOrCreate();
        try (JdbcEndpoint endpoint = JdbcEndpoint.start(spark, dir, "127.0.0.1", 0)) {
            System.out.println(endpoint.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until standard input ends
            }
        } finally {
            spark.stop();
        }
    }

    private static void check(int status) {
        if (status != 0) throw new IllegalStateException("sql exited with " + status);
    }

    /** The kept spec of the table: two points, lr 0.1 and 1.0. */
    private static final String SPEC = """
            name: archive
            data: {dataset: teacher, input_dim: 2, n_train: 4, n_test: 4}
            model: {width: 2}
            train: {steps: 2}
            grid:
              lr: [0.1, 1.0]
            """;

    /**
     * Two points of {@link #SPEC}, one OK and one DIVERGED, each with a trajectory of two steps, in
     * the tables' own schemas and layout; the session is stopped after.
     */
    private static void writeTable(String dir) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("sql class archive")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Map<String, org.sharpsweep.sweeps.GridPoint> points = new java.util.LinkedHashMap<>();
            for (org.sharpsweep.sweeps.GridPoint g : SweepSpec.parse(SPEC).points()) points.put(g.pointId(), g);
            List<Row> results = new ArrayList<>();
            List<Row> steps = new ArrayList<>();
            StructType schema = SparkSchema.results();
            StructType trajectory = SparkSchema.of(ResultSchema.TRAJECTORIES);
            for (Map.Entry<String, org.sharpsweep.sweeps.GridPoint> p : points.entrySet()) {
                double lr = ((Number) p.getValue().axes().get("lr")).doubleValue();
                results.add(row(schema, p.getKey(), lr < 0.5 ? "OK" : "DIVERGED", lr));
                for (int step : new int[] {0, 2}) {
                    Object[] v = new Object[trajectory.size()];
                    v[trajectory.fieldIndex(ResultSchema.SWEEP_ID)] = "archive";
                    v[trajectory.fieldIndex(ResultSchema.POINT_ID)] = p.getKey();
                    v[trajectory.fieldIndex(ResultSchema.START_TIME)] = new Timestamp(0);
                    v[trajectory.fieldIndex(ResultSchema.STEP)] = step;
                    steps.add(RowFactory.create(v));
                }
            }
            spark.createDataFrame(results, schema).write().partitionBy(ResultSchema.SWEEP_ID).parquet(dir);
            spark.createDataFrame(steps, trajectory).write().partitionBy(ResultSchema.SWEEP_ID)
                    .parquet(dir + "/" + ResultSchema.TRAJECTORIES.folder());
            Path spec = Path.of(dir, ResultSchema.specFile("archive"));
            Files.createDirectories(spec.getParent());
            Files.writeString(spec, SPEC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            spark.stop();
        }
    }

    private static Row row(StructType schema, String pointId, String status, double lr) {
        Object[] v = new Object[schema.size()];
        v[schema.fieldIndex(ResultSchema.SWEEP_ID)] = "archive";
        v[schema.fieldIndex(ResultSchema.POINT_ID)] = pointId;
        v[schema.fieldIndex(ResultSchema.STATUS)] = status;
        v[schema.fieldIndex("lr")] = lr;
        v[schema.fieldIndex(ResultSchema.START_TIME)] = new Timestamp(0);
        return RowFactory.create(v);
    }
}
