package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.Faults;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Lockstep groups through Spark (local[2]): a sweep run with {@code train.lockstep: auto} writes
 * the rows of the same sweep run with {@code off}, bit for bit, in every column but those that
 * say how and when a point ran; a driver killed in the middle of a group's rows, and one killed
 * while groups train, lose nothing and double nothing, and the recomputed points (in other
 * groups) give the same rows.
 */
class LockstepIT {
    /** 24 points of one shape: 4 lr x 3 coefficients x 2 replicates; local[2] makes two groups of 12. */
    static final String SPEC = """
            name: lockstep
            seed: 11
            data: {dataset: teacher, input_dim: 5, n_train: 40, n_test: 40}
            model: {depth: 1, width: 8, activation: tanh}
            train: {steps: 200, lr: 0.1, batch_size: 8%s}
            penalty: {kind: gradnorm}
            measure: {max_iters: 30, every: 50, trace: true}
            grid:
              lr: [0.05, 0.1, 0.2, 40.0]
              penalty_coef: [0.001, 0.01, 0.1]
              seed: {replicates: 2}
            """;

    /** Columns that say how and when a point ran, not what it computed. */
    static final Set<String> HOW = Set.of(ResultSchema.LOCKSTEP, "lockstep_mode", ResultSchema.TRAIN_SECONDS,
            ResultSchema.MEASURE_SECONDS, ResultSchema.START_TIME, ResultSchema.EXECUTOR_HOST);

    @TempDir
    Path tmp;

    @Test
    void groupedRowsAreTheRowsOfPointsTrainedOneByOne() {
        SparkSession spark = SharedSpark.get();
        String grouped = tmp.resolve("auto").toString(), alone = tmp.resolve("off").toString();
        SweepRunner.Summary a = SweepRunner.run(spark, SweepSpec.parse(SPEC.formatted("")), grouped);
        SweepRunner.Summary b = SweepRunner.run(spark, SweepSpec.parse(SPEC.formatted(", lockstep: off")), alone);
        assertEquals(24, a.ran());
        assertEquals(24, b.ran());
        assertTrue(a.diverged() > 0 && a.ok() > 0, "lr 40 diverges, the others not: " + a);
        Map<String, Row> byId = rows(spark, alone);
        Map<String, Row> mine = rows(spark, grouped);
        assertEquals(byId.keySet(), mine.keySet());
        for (String id : byId.keySet()) {
            assertEquals(1, (int) byId.get(id).getAs(ResultSchema.LOCKSTEP), "off: alone");
            assertEquals(12, (int) mine.get(id).getAs(ResultSchema.LOCKSTEP), "auto: 24 points of one shape over 2 slots");
            assertSameRow(byId.get(id), mine.get(id), "point " + id);
        }
        List<Row> ta = ResultsTable.read(spark, grouped, ResultSchema.TRAJECTORIES).drop(ResultSchema.START_TIME)
                .orderBy(ResultSchema.POINT_ID, ResultSchema.STEP).collectAsList();
        List<Row> tb = ResultsTable.read(spark, alone, ResultSchema.TRAJECTORIES).drop(ResultSchema.START_TIME)
                .orderBy(ResultSchema.POINT_ID, ResultSchema.STEP).collectAsList();
        assertEquals(tb.size(), ta.size());
        assertTrue(ta.size() > 24, "trajectories were measured");
        for (int i = 0; i < ta.size(); i++) assertSameRow(tb.get(i), ta.get(i), "trajectory row " + i);
    }

    /**
     * A grid larger than the driver's chunk of grouping (16,384 points, {@code SweepRunner.Jobs}):
     * 20,000 one-step points run exactly once each, in groups of at most 64 of one chunk, and a
     * rerun finds nothing to do.
     */
    @Test
    void aGridOfSeveralChunksRunsEveryPointOnce() {
        SparkSession spark = SharedSpark.get();
        String spec = """
                name: chunks
                seed: 5
                data: {dataset: teacher, input_dim: 2, n_train: 4, n_test: 4}
                model: {depth: 1, width: 2}
                train: {steps: 1, batch_size: 4}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: {from: 0.001, to: 0.5, num: 200, scale: log}
                  width: {from: 2, to: 101, num: 100}
                """;
        String out = tmp.resolve("chunks").toString();
        SweepRunner.Summary first = SweepRunner.run(spark, SweepSpec.parse(spec), out);
        assertEquals(20_000, first.ran(), first.toString());
        Row counts = spark.read().parquet(out).selectExpr("count(*)", "count(DISTINCT point_id)", "count(DISTINCT point_index)",
                "min(point_index)", "max(point_index)", "min(lockstep)", "max(lockstep)").first();
        assertEquals(List.of(20_000L, 20_000L, 20_000L, 0, 19_999), List.of(counts.get(0), counts.get(1), counts.get(2),
                counts.get(3), counts.get(4)));
        assertTrue(counts.getInt(5) > 1 && counts.getInt(6) <= 64, "in groups of 2..64: " + counts);
        assertEquals(0, SweepRunner.run(spark, SweepSpec.parse(spec), out).ran(), "every point is done");
    }

    /**
     * The driver halts right after the first row of the one group (8 points, local[1]) was
     * journaled: the group's other rows, already at the driver, are lost with it; the rerun
     * computes exactly those 7 points (as a group of 7) and they equal a clean run's rows.
     */
    @Test
    void aDriverKilledInTheMiddleOfAGroupsRowsLosesAndDoublesNothing() throws Exception {
        SparkSession spark = SharedSpark.get();
        String spec = """
                name: halted
                seed: 3
                data: {dataset: teacher, input_dim: 4, n_train: 16, n_test: 16}
                model: {depth: 1, width: 5}
                train: {steps: 100, batch_size: 4}
                measure: {max_iters: 20}
                grid:
                  lr: [0.05, 0.1, 0.15, 0.2]
                  seed: {replicates: 2}
                """;
        Path file = tmp.resolve("halted.yaml");
        Files.writeString(file, spec);
        String out = tmp.resolve("halted").toString();
        Process p = run(tmp.resolve("halted.log"), file, out, "local[1]", "-D" + Faults.PROPERTY + "=row-journaled");
        assertEquals(137, p.waitFor(), "halted after the first journaled row; log: " + Files.readString(tmp.resolve("halted.log")));
        assertEquals(1, ResultsTable.raw(spark, out).count(), "one row of the group was durable");

        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(spec), out);
        assertEquals(7, rerun.ran(), rerun.toString());
        assertEquals(8, spark.read().parquet(out).count());
        assertEquals(8, spark.read().parquet(out).select(ResultSchema.POINT_ID).distinct().count());
        String clean = tmp.resolve("clean").toString();
        SweepRunner.run(spark, SweepSpec.parse(spec), clean);
        Map<String, Row> expected = rows(spark, clean), got = rows(spark, out);
        for (String id : expected.keySet()) assertSameRow(expected.get(id), got.get(id), "point " + id);
    }

    /**
     * SIGKILL while groups train (local[2], four groups of 4, each several seconds long, so the kill comes while the
     * second pair trains): finished groups' rows stay, the rest is run once.
     */
    @Test
    void aSweepKilledWhileGroupsTrainResumes() throws Exception {
        SparkSession spark = SharedSpark.get();
        String spec = """
                name: killed
                seed: 8
                data: {dataset: teacher, input_dim: 8, n_train: 64, n_test: 64}
                model: {depth: 1, width: 16}
                train: {steps: 400000, lr: 0.01, batch_size: 16}
                measure: {max_iters: 20}
                grid:
                  width: [8, 16]
                  lr: [0.01, 0.02, 0.03, 0.04]
                  seed: {replicates: 2}
                """;
        Path file = tmp.resolve("killed.yaml");
        Files.writeString(file, spec);
        String out = tmp.resolve("killed").toString();
        Process p = run(tmp.resolve("killed.log"), file, out, "local[2]");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline && p.isAlive() && journaledRows(Path.of(out)) < 1) Thread.sleep(20);
        assertTrue(p.isAlive(), "the sweep finished before it could be killed; log: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly().waitFor();
        long committed = ResultsTable.raw(spark, out).count();
        assertTrue(committed >= 1 && committed < 16, "rows committed before the kill: " + committed);
        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(spec), out);
        assertEquals(16 - committed, rerun.ran(), rerun.toString());
        assertEquals(16, spark.read().parquet(out).count(), "every row once");
        assertEquals(16, spark.read().parquet(out).select(ResultSchema.POINT_ID).distinct().count());
    }

    private static Process run(Path log, Path spec, String out, String master, String... jvmFlags) throws java.io.IOException {
        return Cli.start(log, List.of(jvmFlags), "run", spec.toString(), "--out", out, "--no-progress", "--master", master);
    }

    private static Map<String, Row> rows(SparkSession spark, String dir) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : ResultsTable.read(spark, dir).collectAsList()) out.put(r.getAs(ResultSchema.POINT_ID), r);
        return out;
    }

    private static void assertSameRow(Row expected, Row actual, String what) {
        for (String c : expected.schema().fieldNames()) {
            if (HOW.contains(c)) continue;
            Object e = expected.getAs(c), a = actual.getAs(c);
            if (e instanceof Double x && a instanceof Double y) {
                assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(y), what + " column " + c + ": " + x + " vs " + y);
            } else if (e instanceof scala.collection.Seq<?> || e instanceof byte[]) {
                assertEquals(String.valueOf(e), String.valueOf(a), what + " column " + c);
            } else {
                assertEquals(e, a, what + " column " + c);
            }
        }
    }

    /** Rows in the journal of a running sweep (a line each), read from the files: cheap enough to poll often. */
    private static long journaledRows(Path out) throws java.io.IOException {
        Path journal = out.resolve("_journal");
        if (!Files.isDirectory(journal)) return 0;
        try (var files = Files.walk(journal)) {
            long rows = 0;
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                try {
                    rows += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
                } catch (java.nio.file.NoSuchFileException gone) { // folded into Parquet meanwhile
                }
            }
            return rows;
        }
    }
}
