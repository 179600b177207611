package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.Faults;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code sharpsweep compact}: a table of many small files (as the previous release wrote them,
 * one per batch of finished points) becomes one file per sweep with exactly the same rows, and
 * a compaction killed at any of its steps leaves a table that, once the next command has opened
 * it, holds exactly the same rows again.
 */
class CompactIT {
    static final String SPEC = """
            name: compacted
            seed: 3
            data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
            model: {depth: 1, width: 4}
            train: {steps: 5, lr: 0.1}
            measure: {max_iters: 10}
            grid:
              lr: [0.05, 0.1, 0.2, 0.3]
              width: [3, 4, 5]
            """;

    @TempDir
    static Path shared;
    static Path old;

    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    /** An "old" table: the 12 rows of a real sweep, plus a retried FAILED row, spread over 5 files. */
    @BeforeAll
    static void oldTable() {
        SparkSession spark = SharedSpark.get();
        String fresh = shared.resolve("fresh").toString();
        SweepRunner.run(spark, SweepSpec.parse(SPEC), fresh);
        Dataset<Row> rows = ResultsTable.raw(spark, fresh);
        Dataset<Row> failed = rows.limit(1).withColumn(ResultSchema.STATUS, org.apache.spark.sql.functions.lit("FAILED"));
        old = shared.resolve("old");
        rows.union(failed).repartition(5).write().mode(SaveMode.ErrorIfExists).partitionBy(ResultSchema.SWEEP_ID).parquet(old.toString());
    }

    @Test
    void compactKeepsExactlyTheRowsInOneFile() throws IOException {
        Path dir = copy(old, tmp.resolve("t"));
        Dataset<Row> before = snapshot(dir);
        assertEquals(5, parquetFiles(dir).size());
        assertEquals(0, Main.execute("compact", dir.toString()));
        assertEquals(1, parquetFiles(dir).size(), "one file per sweep per 10000 rows");
        assertSameRows(before, snapshot(dir));
        assertEquals(0, Main.execute("compact", dir.toString()), "compacting a compact table is a no-op");
        assertEquals(2, Main.execute("compact", dir.toString(), "--sweep", "nosuch"), "an unknown sweep is refused");
        assertTrue(!Files.exists(dir.resolve("_journal").resolve("nosuch")), "and nothing is written for it");
        assertEquals(1, parquetFiles(dir).size());
    }

    /**
     * Every table, the results and those beside them, is compacted, each with exactly its rows;
     * a compaction killed at any step leaves every table with exactly its rows once the next
     * command has opened the directory (before the new files move in, readers see the old ones).
     */
    @Test
    void theTablesBesideTheResultsAreCompactedAndSurviveAKillAtAnyStep() throws Exception {
        String fresh = tmp.resolve("children-fresh").toString();
        SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("name: compacted", "name: children")
                .replace("measure: {max_iters: 10}", "measure: {max_iters: 10, every: 2, top_k: 2, save_params: true}")), fresh);
        Path base = tmp.resolve("children-old");
        copy(Path.of(fresh), base);
        for (ResultSchema.Table t : ResultSchema.children()) { // each table beside the results as 3 files
            Path folder = base.resolve(t.folder());
            try (Stream<Path> w = Files.walk(folder)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            readTable(Path.of(fresh), t).repartition(3).write().partitionBy(ResultSchema.SWEEP_ID).parquet(folder.toString());
            assertEquals(3, tableFiles(folder).size(), t.name());
        }
        Path results = tmp.resolve("results-3"); // the results as 3 files too
        readTable(Path.of(fresh), ResultSchema.RESULTS).repartition(3).write().partitionBy(ResultSchema.SWEEP_ID).parquet(results.toString());
        Path partition = base.resolve(ResultSchema.SWEEP_ID + "=children");
        try (Stream<Path> w = Files.walk(partition)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Files.move(results.resolve(ResultSchema.SWEEP_ID + "=children"), partition);
        assertEquals(3, parquetFiles(base).size(), "results");
        for (String step : List.of("none", "compact-staged", "compact-committed", "compact-moving")) {
            Path dir = copy(base, tmp.resolve("children-" + step));
            java.util.Map<String, List<Row>> before = childSnapshot(dir);
            if (!step.equals("none")) {
                Process p = cli(dir, step, "compact", dir.toString());
                assertEquals(137, p.waitFor(), step + ": halted at the fault point; log: " + Files.readString(tmp.resolve(step + ".log")));
                if (!step.equals("compact-moving")) assertEquals(before, childSnapshot(dir), step + ": readers see the old files");
            }
            assertEquals(0, Main.execute("compact", dir.toString()), step);
            assertEquals(before, childSnapshot(dir), step + ": every table holds exactly its rows");
            for (ResultSchema.Table t : ResultSchema.children()) {
                assertEquals(1, tableFiles(dir.resolve(t.folder())).size(), step + ": " + t.name() + " in one file");
            }
            assertEquals(1, parquetFiles(dir).size(), step + ": results in one file");
            assertTrue(!Files.exists(dir.resolve(ResultStore.COMPACT_DIR).resolve("compacted")), step + ": staging removed");
            assertEquals(0, Main.execute("check", dir.toString()), step);
        }
    }

    /** A table's Parquet rows as stored (no view), its partitions by a glob: Spark skips a root folder named '_...'. */
    private Dataset<Row> readTable(Path dir, ResultSchema.Table t) {
        Path folder = t.folder().isEmpty() ? dir : dir.resolve(t.folder());
        return spark.read().schema(org.sharpsweep.store.SparkSchema.of(t)).option("basePath", folder.toString())
                .parquet(folder.resolve(ResultSchema.SWEEP_ID + "=*").toString());
    }

    private static List<Path> tableFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    /** Every table's rows, each sorted by its text, by table name. */
    private java.util.Map<String, List<Row>> childSnapshot(Path dir) {
        java.util.Map<String, List<Row>> m = new java.util.TreeMap<>();
        for (ResultSchema.Table t : ResultSchema.tables()) {
            List<Row> rows = new ArrayList<>(readTable(dir, t).collectAsList());
            rows.sort(java.util.Comparator.comparing(Row::toString));
            m.put(t.name(), rows);
        }
        return m;
    }

    private Process cli(Path dir, String fault, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--master", "local[1]"));
        return Cli.start(tmp.resolve(fault + ".log"), List.of("-D" + Faults.PROPERTY + "=" + fault), all.toArray(String[]::new));
    }

    private Dataset<Row> snapshot(Path dir) {
        return spark.createDataFrame(ResultsTable.raw(spark, dir.toString()).collectAsList(),
                ResultsTable.raw(spark, dir.toString()).schema());
    }

    static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        assertEquals(expected.count(), actual.count(), "row count");
        assertEquals(0, expected.exceptAll(actual).count(), "rows lost");
        assertEquals(0, actual.exceptAll(expected).count(), "rows added");
    }

    static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .filter(p -> !p.toString().contains("/_") && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }
}
