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
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A damaged table: a Parquet file cut short, a stray file and a foreign Parquet file in a sweep's
 * partition. {@code sql} says which file in one line instead of a stack trace; {@code check}
 * lists every problem; {@code check --repair} moves the bad files aside (nothing deleted) and
 * names the points the next run recomputes; the rerun restores every row exactly once.
 */
class CheckIT {
    static final String SPEC = """
            name: damaged
            seed: 6
            data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
            model: {depth: 1, width: 4}
            train: {steps: 5, lr: 0.1}
            measure: {max_iters: 10}
            grid:
              lr: [0.05, 0.1, 0.2, 0.3]
            """;

    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    @Test
    void aDamagedTableIsReportedRepairedAndRecomputed() throws Exception {
        Path dir = tmp.resolve("t");
        SweepRunner.run(spark, SweepSpec.parse(SPEC), dir.toString());
        SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("0.3]", "0.3, 0.4, 0.5]")), dir.toString()); // a second file
        Path part = dir.resolve("sweep_id=damaged");
        List<Path> files = parquet(part);
        assertEquals(1, files.size(), "the run compacted its two batches");
        // damage: cut the file short, and add a stray text file and a foreign Parquet file
        byte[] bytes = Files.readAllBytes(files.get(0));
        Files.write(files.get(0), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(part.resolve("." + files.get(0).getFileName() + ".crc"));
        Files.writeString(part.resolve("notes.txt"), "not data");
        spark.range(3).write().parquet(tmp.resolve("foreign").toString());
        Path foreign = parquet(tmp.resolve("foreign")).get(0);
        Files.copy(foreign, part.resolve("part-foreign.parquet"));

        String sql = run(1, "sql", dir.toString(), "SELECT count(*) FROM results");
        assertTrue(sql.lines().filter(l -> !l.isBlank()).count() <= 2 && sql.contains("cannot be read")
                && sql.contains("check DIR --repair"), sql);

        String check = run(1, "check", dir.toString());
        assertTrue(check.contains("unreadable file " + files.get(0).getFileName()), check);
        assertTrue(check.contains("stray file notes.txt"), check);
        assertTrue(check.contains("unreadable file part-foreign.parquet (a Parquet file without the results columns"), check);

        String repair = run(0, "check", dir.toString(), "--repair");
        assertTrue(repair.contains("6 point(s) of its spec have no result and will be computed by the next run"), repair);
        assertTrue(parquet(part).isEmpty() && !Files.exists(part.resolve("notes.txt")), "moved aside");
        try (Stream<Path> q = Files.walk(dir.resolve(ResultStore.QUARANTINE_DIR))) {
            assertEquals(3, q.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).count(),
                    "all three files kept in the quarantine");
        }
        assertEquals(0, Main.execute("check", dir.toString()));

        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("0.3]", "0.3, 0.4, 0.5]")), dir.toString());
        assertEquals(6, rerun.ran());
        assertEquals(6, spark.read().parquet(dir.toString()).count());
        assertEquals(6, spark.read().parquet(dir.toString()).select("point_id").distinct().count());
    }

    /**
     * The tables beside the results: a lost file of trajectories or of saved parameters is found
     * (the OK points that wrote rows there are named), a foreign file there is unreadable with
     * that table's schema; --repair moves the bad file and those points' results rows aside, and
     * the next run computes exactly those points again, so every table is whole.
     */
    @Test
    void aLostFileOfATableBesideTheResultsIsFoundAndItsPointsComputedAgain() throws Exception {
        String spec = SPEC.replace("name: damaged", "name: beside").replace("measure: {max_iters: 10}",
                "measure: {max_iters: 10, every: 2, save_params: true}");
        for (String table : List.of("_trajectories", "_params")) {
            Path dir = tmp.resolve(table);
            SweepRunner.run(spark, SweepSpec.parse(spec), dir.toString());
            assertEquals(0, Main.execute("check", dir.toString()), "a whole table is OK");
            Path part = dir.resolve(table).resolve("sweep_id=beside");
            List<Path> files = parquet(part);
            assertEquals(1, files.size());
            Files.delete(files.get(0));
            spark.range(3).write().parquet(tmp.resolve("foreign" + table).toString());
            Files.copy(parquet(tmp.resolve("foreign" + table)).get(0), part.resolve("part-foreign.parquet"));

            String check = run(1, "check", dir.toString());
            assertTrue(check.contains("4 OK point(s) lost their rows of " + table.substring(1) + " (a file of " + table
                    + " is gone): point_index 0, 1, 2, 3"), check);
            assertTrue(check.contains("unreadable file " + table + "/part-foreign.parquet"), check);

            String repair = run(0, "check", dir.toString(), "--repair");
            assertTrue(repair.contains("4 point(s) of its spec have no result and will be computed by the next run"), repair);
            assertEquals(0, Main.execute("check", dir.toString()), "settled: " + repair);
            try (Stream<Path> q = Files.walk(dir.resolve(ResultStore.QUARANTINE_DIR))) {
                List<Path> kept = q.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".parquet")
                        && !f.getFileName().toString().startsWith(".")).toList();
                assertEquals(2, kept.size(), "the foreign file and the results rows set aside: " + kept);
            }
            SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(spec), dir.toString());
            assertEquals(4, rerun.ran(), table);
            assertEquals(0, Main.execute("check", dir.toString()), "whole again");
            spark.catalog().clearCache();
            assertEquals(4, org.sharpsweep.store.ResultsTable.read(spark, dir.toString()).count(), "one results row per point");
            assertEquals(4, org.sharpsweep.store.ResultsTable.read(spark, dir.toString(),
                    org.sharpsweep.sweeps.ResultSchema.PARAMS_TABLE).count(), "one params row per point, in the view");
            assertEquals(16, org.sharpsweep.store.ResultsTable.read(spark, dir.toString(),
                    org.sharpsweep.sweeps.ResultSchema.TRAJECTORIES).count(), "steps 0, 2, 4 and the last, 5, of each point, in the view");
        }
    }

    private static String run(int expected, String... args) {
        return Cli.expect(expected, args);
    }

    private static List<Path> parquet(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
