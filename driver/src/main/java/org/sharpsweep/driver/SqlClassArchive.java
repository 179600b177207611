package org.sharpsweep.driver;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The training run of the class archive that makes {@code sharpsweep sql} start quickly
 * ({@code scripts/sql-archive} runs it under {@code -XX:ArchiveClassesAtExit}): it writes a
 * two-row results table into the directory given and queries it the ways {@code sql} does, so
 * that the classes a query needs (about 17,000: Spark SQL, Parquet, Hadoop, log4j) are in the
 * archive, parsed and verified, when the next JVM starts.
 */
public final class SqlClassArchive {
    private SqlClassArchive() {
    }

    public static void main(String[] args) {
        if (args.length != 1) throw new IllegalArgumentException("usage: SqlClassArchive EMPTY_DIR");
        String dir = args[0] + "/results";
        writeTable(dir);
        String query = "SELECT status, count(*) AS n, avg(lr) AS lr FROM results WHERE lr > 0 GROUP BY status ORDER BY status";
        for (String format : SqlCommand.FORMATS) check(Main.execute("sql", dir, query, "--format", format));
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

    private static void check(int status) {
        if (status != 0) throw new IllegalStateException("sql exited with " + status);
    }

    /** Two rows, one per status, in the table's own schema and layout; the session is stopped after. */
    private static void writeTable(String dir) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("sql class archive")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            StructType schema = SparkSchema.results();
            spark.createDataFrame(List.of(row(schema, "a", "OK", 0.1), row(schema, "b", "DIVERGED", 1.0)), schema)
                    .write().partitionBy(ResultSchema.SWEEP_ID).parquet(dir);
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
