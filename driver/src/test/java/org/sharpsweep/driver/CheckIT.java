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
                // the foreign file, the results rows set aside, and those points' rows of the other table (no results row owns them now)
                assertEquals(3, kept.size(), "the foreign file, the results rows and the other table's rows set aside: " + kept);
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

    /**
     * Issue 19, finding 2: a results file of another sweep dropped into a sweep's partition is
     * readable with the results schema, but its rows are no points of the sweep's kept spec: the
     * views leave them out, {@code check} names them, {@code check --repair} moves them into the
     * quarantine (a copy written before the table is rewritten without them), and a repair killed
     * at any step of its rewrite loses no row and settles on the next repair.
     */
    @Test
    void rowsOfAnotherSweepDroppedIntoAPartitionAreFoundLeftOutOfTheViewsAndSetAside() throws Exception {
        Path base = tmp.resolve("foreign-base");
        SweepRunner.run(spark, SweepSpec.parse(SPEC), base.toString());
        Path other = tmp.resolve("other");
        SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("name: damaged", "name: other").replace("width: 4", "width: 5")
                .replace("0.2, 0.3]", "0.2]").replace("max_iters: 10}", "max_iters: 10, every: 5}")), other.toString());
        Path part = base.resolve("sweep_id=damaged");
        Files.copy(parquet(other.resolve("sweep_id=other")).get(0), part.resolve("part-other.parquet"));
        assertEquals(7, spark.read().parquet(base.toString()).count(), "the file is readable: 4 rows and 3 of another sweep");
        // and a file of the other sweep's trajectories (2 rows for each of its 3 points) into this sweep's trajectories
        Path trajectories = Files.createDirectories(base.resolve("_trajectories").resolve("sweep_id=damaged"));
        Files.copy(parquet(other.resolve("_trajectories").resolve("sweep_id=other")).get(0), trajectories.resolve("part-other.parquet"));

        String sql = run(0, "sql", base.toString(), "SELECT count(*) AS n FROM results", "--format", "csv");
        assertTrue(sql.replace("\r", "").contains("n\n4"), "the views show the spec's 4 points only: " + sql);
        String check = run(1, "check", base.toString());
        assertTrue(check.contains("sweep damaged: 3 row(s) that do not belong to it, not points of its spec (_specs/damaged.yaml)")
                && check.contains("its point_id is no point of the sweep's spec"), check);
        assertTrue(check.contains("sweep damaged: 6 row(s) of trajectories that belong to no results row of it"), check);

        // killed before the rewrite's manifest (rolled back) and after it (rolled forward); CompactIT covers the other steps
        List<String> steps = List.of("none", "compact-staged", "compact-committed");
        java.util.Map<String, Process> killed = new java.util.HashMap<>(); // each on its own copy, all at once
        for (String step : steps) {
            Path dir = tmp.resolve("foreign-" + step);
            copy(base, dir);
            if (!step.equals("none")) killed.put(step, cli(step, "check", dir.toString(), "--repair"));
        }
        for (String step : steps) {
            Path dir = tmp.resolve("foreign-" + step);
            if (killed.containsKey(step)) {
                assertEquals(137, killed.get(step).waitFor(), step + ": halted at the fault point; log: " + Files.readString(tmp.resolve(step + ".log")));
                spark.catalog().clearCache();
            }
            String repair = run(0, "check", dir.toString(), "--repair");
            assertEquals(0, Main.execute("check", dir.toString()), step + ": settled: " + repair);
            spark.catalog().clearCache();
            assertEquals(4, spark.read().parquet(dir.toString()).count(), step + ": the sweep's 4 rows, once");
            assertEquals(4, spark.read().parquet(dir.toString()).select("point_id").distinct().count(), step);
            List<Path> left = parquet(dir.resolve("_trajectories").resolve("sweep_id=damaged"));
            assertEquals(0, left.isEmpty() ? 0 : spark.read().parquet(left.stream().map(Path::toString).toArray(String[]::new)).count(),
                    step + ": no trajectories of the other sweep");
            try (Stream<Path> q = Files.walk(dir.resolve(ResultStore.QUARANTINE_DIR))) {
                List<Path> kept = q.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
                        .toList();
                List<Path> rows = kept.stream().filter(f -> !f.toString().contains("_trajectories")).toList();
                List<Path> trajectoryRows = kept.stream().filter(f -> f.toString().contains("_trajectories")).toList();
                assertTrue(!rows.isEmpty() && !trajectoryRows.isEmpty(), step + ": the rows set aside are in the quarantine: " + kept);
                assertEquals(3, spark.read().parquet(rows.stream().map(Path::toString).toArray(String[]::new))
                        .select("point_id").distinct().count(), step + ": every row of the other sweep kept there");
                assertEquals(6, spark.read().parquet(trajectoryRows.stream().map(Path::toString).toArray(String[]::new)).count(),
                        step + ": and its trajectories");
            }
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> w = Files.walk(from)) {
            for (Path f : w.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    /** {@code sharpsweep args...} in a JVM of its own that halts (as kill -9 would) at fault point {@code fault}. */
    private Process cli(String fault, String... args) throws java.io.IOException {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--master", "local[1]"));
        return Cli.start(tmp.resolve(fault + ".log"), List.of("-D" + org.sharpsweep.store.Faults.PROPERTY + "=" + fault),
                all.toArray(String[]::new));
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
