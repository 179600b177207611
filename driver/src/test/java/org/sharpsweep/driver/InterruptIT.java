package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.Faults;
import org.sharpsweep.store.Journal;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Killing the driver (SIGKILL, no shutdown hooks) loses at most the points that were running:
 * rows of finished points are already durable (journaled on arrival, before their Parquet
 * batch), and a rerun folds them in and computes exactly the rest without duplicating a row.
 * Stopping it (SIGTERM, Ctrl-C: Spark's shutdown hook stops the context under the running
 * points) records nothing for the points it stopped: they are no failures (docs/results.md).
 */
class InterruptIT {
    static final String SPEC = """
            name: interrupted
            seed: 9
            data: {dataset: teacher, input_dim: 8, n_train: 64, n_test: 64}
            model: {depth: 1, width: 16, activation: tanh}
            train: {steps: 1500, lr: 0.05, batch_size: 16}
            measure: {max_iters: 30}
            grid:
              lr: [0.01, 0.02, 0.03, 0.04]
              width: [8, 16, 24]
              seed: {replicates: 2}
            """;

    @TempDir
    Path tmp;

    @Test
    void aKilledSweepResumesWithoutLossOrDuplicates() throws Exception {
        SparkSession spark = SharedSpark.get(); // started first: its start-up must not eat the sweep's time
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, SPEC);
        String out = tmp.resolve("results").toString();
        Process p = Cli.start(tmp.resolve("log.txt"), List.of(), "run", spec.toString(), "--out", out, "--no-progress", "--master", "local[2]");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        long before = 0;
        while (System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(500);
            if (ResultsTable.exists(spark, out)) {
                before = ResultsTable.raw(spark, out).count();
                if (before >= 2) break;
            }
        }
        assertTrue(p.isAlive(), "the sweep finished before it could be killed; log: " + Files.readString(tmp.resolve("log.txt")));
        // a second run of the same sweep on the same table while the first one runs: refused, naming the other process
        IllegalArgumentException second = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(SPEC), out));
        assertTrue(second.getMessage().contains("being written by another run (pid " + p.pid()), second.getMessage());
        p.destroyForcibly().waitFor();
        long committed = ResultsTable.raw(spark, out).count();
        assertTrue(committed >= 2 && committed < 24, "rows committed before the kill: " + committed);
        assertFalse(Files.exists(tmp.resolve("results").resolve("sweep_id=interrupted")),
                "the rows were still only in the journal (between arrival and their Parquet batch) when the driver died");

        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(SPEC), out);
        assertEquals(24 - committed, rerun.ran(), rerun.toString());
        assertEquals(24, spark.read().parquet(out).count(), "every row in Parquet after the rerun, none twice");
        assertEquals(24, spark.read().parquet(out).select("point_id").distinct().count());
        assertTrue(Journal.files(Journal.fileSystem(new org.apache.hadoop.fs.Path(out), spark.sparkContext().hadoopConfiguration()),
                new org.apache.hadoop.fs.Path(out)).isEmpty(), "the killed run's journal was folded in and removed");
    }

    /**
     * SIGTERM while points run: the table holds exactly the points that finished (all OK, none
     * FAILED, none twice), and a rerun computes the rest. Three ways a point runs: a task of a job
     * of several ({@code off}: one task per point), the lone task of a one-point sweep (which Spark
     * reported as lost, once a FAILED row "Spark task lost ... SparkContext was shut down"), and a
     * data-parallel point run from the driver (whose Spark jobs failed inside the point, once a
     * FAILED row too).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tasks | 'lr: [0.01, 0.02, 0.03, 0.04]' | 'steps: 600000, lr: 0.05, batch_size: 16, lockstep: off' | 1",
            "one point | 'lr: [0.01]' | 'steps: 300000, lr: 0.05, batch_size: 16' | 0",
            "data-parallel | 'lr: [0.01, 0.02]' | 'steps: 40, lr: 0.05, batch_size: 16, parallel: data, workers: 2' | 1"})
    void aStoppedSweepRecordsNoFailureForThePointsItStopped(String name, String grid, String train, int rowsFirst) throws Exception {
        SparkSession spark = SharedSpark.get();
        String text = "name: stopped\nseed: 5\ndata: {dataset: teacher, input_dim: 8, n_train: 64, n_test: 64}\n"
                + "model: {depth: 1, width: 16, activation: tanh}\ntrain: {" + train + "}\nmeasure: {nonuniformity: false, max_iters: 5}\n"
                + "grid:\n  " + grid + "\n";
        SweepSpec parsed = SweepSpec.parse(text);
        int total = parsed.points().size();
        Path spec = tmp.resolve("stopped.yaml");
        Files.writeString(spec, text);
        String out = tmp.resolve("stopped").toString();
        Path log = tmp.resolve("stopped.log");
        Process p = Cli.start(log, List.of(), "run", spec.toString(), "--out", out, "--no-progress", "--master", "local[2]");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        Path keptSpec = tmp.resolve("stopped").resolve(org.sharpsweep.sweeps.ResultSchema.specFile("stopped"));
        // until the points run (the spec is kept just before) and rowsFirst finished (journaled: read as files, for
        // a Spark query of this JVM competes with the sweep for the cores and would see the rows seconds late)
        while (System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(200);
            if (Files.exists(keptSpec) && journaledRows(tmp.resolve("stopped"), "stopped") >= rowsFirst) break;
        }
        Thread.sleep(1500); // well inside the next point (a point takes 10-15 s here)
        assertTrue(p.isAlive(), "the sweep finished before it could be stopped; log: " + Files.readString(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the stopped driver exited");
        String said = Files.readString(log);

        long rows = ResultsTable.exists(spark, out) ? ResultsTable.raw(spark, out).count() : 0;
        long failed = rows == 0 ? 0 : ResultsTable.raw(spark, out).where("status <> 'OK'").count();
        assertEquals(0, failed, "rows of the points the stop interrupted: " + (rows == 0 ? "" : ResultsTable.raw(spark, out)
                .where("status <> 'OK'").select("point_index", "status", "error").collectAsList()) + "; log: " + said);
        assertTrue(rows >= rowsFirst && rows < total, "rows of the points that finished before the stop: " + rows);
        if (rows > 0) assertEquals(rows, ResultsTable.raw(spark, out).select("point_id").distinct().count(), "no point twice");

        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(text), out);
        assertEquals(total - rows, rerun.ran(), "the rerun computes exactly the points that did not finish: " + rerun);
        assertEquals(rerun.ran(), rerun.ok(), rerun.toString());
        assertEquals(total, spark.read().parquet(out).where("status = 'OK'").count());
        assertEquals(total, spark.read().parquet(out).select("point_id").distinct().count());
    }

    /** The rows of the sweep's journals in the table {@code dir}. */
    private static long journaledRows(Path dir, String sweepId) throws java.io.IOException {
        Path journals = dir.resolve(Journal.DIR).resolve(sweepId);
        if (!Files.isDirectory(journals)) return 0;
        long rows = 0;
        try (var files = Files.list(journals)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(Journal.SUFFIX)) rows += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
            }
        }
        return rows;
    }

    /**
     * The driver dies right after the first row reached it and was journaled, before any Parquet
     * batch (the fault point halts the JVM as kill -9 would): the row is not lost, and the rerun
     * computes every other point and none twice.
     */
    @Test
    void aRowJournaledButNotYetInParquetSurvivesTheDriversDeath() throws Exception {
        SparkSession spark = SharedSpark.get();
        String spec = """
                name: journaled
                seed: 4
                data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
                model: {depth: 1, width: 4}
                train: {steps: 5, lr: 0.1}
                measure: {max_iters: 10}
                grid:
                  lr: [0.05, 0.1, 0.2]
                """;
        Path file = tmp.resolve("journaled.yaml");
        Files.writeString(file, spec);
        String out = tmp.resolve("table").toString();
        Process p = Cli.start(tmp.resolve("journaled.log"), List.of("-D" + Faults.PROPERTY + "=row-journaled"),
                "run", file.toString(), "--out", out, "--no-progress", "--master", "local[1]");
        assertEquals(137, p.waitFor(), "halted after the first journaled row; log: " + Files.readString(tmp.resolve("journaled.log")));
        assertFalse(Files.exists(tmp.resolve("table").resolve("sweep_id=journaled")), "no Parquet batch was written");
        assertEquals(1, ResultsTable.raw(spark, out).count(), "the journaled row is readable at once");

        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(spec), out);
        assertEquals(2, rerun.ran(), "the journaled point is done: " + rerun);
        assertEquals(3, spark.read().parquet(out).count());
        assertEquals(3, spark.read().parquet(out).select("point_id").distinct().count());
    }
}
