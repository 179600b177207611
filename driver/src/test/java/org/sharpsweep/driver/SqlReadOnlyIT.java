package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code sql} cannot change a table (issue 9 item 3): writes and commands, also hidden behind
 * WITH or EXPLAIN, are refused with exit 2 before anything runs, and the table's files are
 * untouched; queries and describing commands still work.
 */
class SqlReadOnlyIT {
    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    @Test
    void writesAndCommandsAreRefusedAndTheTableIsUntouched() throws Exception {
        Path dir = tmp.resolve("t");
        SweepRunner.run(spark, SweepSpec.parse("""
                name: readonly
                data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
                model: {width: 4}
                train: {steps: 2}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: [0.1, 0.2, 0.3]
                """), dir.toString());
        List<String> before = files(dir);
        for (String q : List.of(
                "INSERT OVERWRITE DIRECTORY '" + dir + "' USING parquet SELECT * FROM results LIMIT 1",
                "INSERT OVERWRITE LOCAL DIRECTORY '" + dir.resolve("sweep_id=readonly") + "' SELECT * FROM results",
                "WITH a AS (SELECT 1) INSERT OVERWRITE DIRECTORY '" + dir + "' SELECT * FROM a",
                "EXPLAIN INSERT OVERWRITE DIRECTORY '" + dir + "' SELECT 1",
                "CREATE TABLE x USING parquet LOCATION '" + dir + "' AS SELECT 1",
                "DROP VIEW results",
                "SET spark.sql.shuffle.partitions=1",
                "CACHE TABLE results")) {
            String err = sql(dir, 2, q);
            assertTrue(err.contains("sql runs queries only"), q + ": " + err);
        }
        assertEquals(before, files(dir), "no file of the table changed");
        assertTrue(sql(dir, 0, "SELECT count(*) AS n FROM results").contains("3"));
        sql(dir, 0, "DESCRIBE results");
        sql(dir, 0, "EXPLAIN SELECT lr FROM results");
    }

    private static String sql(Path dir, int expected, String query) {
        String[] r = Cli.run("sql", "--format", "csv", dir.toString(), query);
        assertEquals(expected, Integer.parseInt(r[0]), query + ": " + r[1]);
        return r[1];
    }

    private List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p + " " + p.toFile().length()).sorted().toList();
        }
    }
}
