package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.Faults;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * The tables beside the results (trajectories, spectra) through the whole path: Spark tasks,
 * the driver's journal, Parquet batches, the SQL views, and a driver that dies between writing
 * one table and the next: every point's rows of every table exactly once, and
 * {@code spark.read.parquet(DIR)} still reads the results alone.
 */
class TrajectoriesIT {
    static final String SPEC = """
            name: traj
            seed: 3
            data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 20}
            model: {depth: 1, width: 5, activation: tanh}
            train: {steps: 20, lr: 0.1}
            measure: {every: 5, window: 10, trace: true, top_k: 2, density: true, max_iters: 40}
            grid:
              lr: [0.05, 0.1, 0.2]
            """;

    @TempDir
    Path tmp;

    @Test
    void aSweepWritesItsTrajectoriesAndSpectraOnceAndSqlJoinsThem() {
        SparkSession spark = SharedSpark.get();
        String out = tmp.resolve("results").toString();
        SweepRunner.Summary s = SweepRunner.run(spark, SweepSpec.parse(SPEC), out);
        assertEquals(3, s.ok(), s.toString());
        assertTrue(Files.isDirectory(tmp.resolve("results/_trajectories/sweep_id=traj")));
        assertTrue(Files.isDirectory(tmp.resolve("results/_spectra/sweep_id=traj")));
        assertEquals(3, spark.read().parquet(out).count(), "reading the directory reads the results table alone");

        ResultsTable.registerAll(spark, out);
        assertEquals(15, spark.sql("SELECT * FROM trajectories").count(), "steps 0, 5, 10, 15, 20 of 3 points");
        assertEquals(15, spark.sql("SELECT DISTINCT point_id, step FROM trajectories").count());
        List<Row> joined = spark.sql("""
                SELECT r.lr, t.step, t.sharpness, r.sharpness_window_mean, r.sharpness_window_n
                FROM trajectories t JOIN results r USING (sweep_id, point_id, start_time)
                WHERE t.step >= 10 ORDER BY r.lr, t.step""").collectAsList();
        assertEquals(9, joined.size());
        for (int p = 0; p < 3; p++) {
            double mean = 0;
            for (int i = 0; i < 3; i++) mean += joined.get(3 * p + i).getDouble(2) / 3;
            assertEquals(mean, joined.get(3 * p).getDouble(3), 1e-12, "the window mean is the mean of the rows it covers");
            assertEquals(3, joined.get(3 * p).getInt(4));
        }
        assertEquals(6, spark.sql("SELECT * FROM spectra WHERE kind = 'top_k'").count(), "2 eigenvalues of 3 points");
        for (Row r : spark.sql("SELECT point_id, sum(weight) FROM spectra WHERE kind = 'density' GROUP BY point_id").collectAsList()) {
            assertEquals(1.0, r.getDouble(1), 1e-9, "a probe's weights sum to 1");
        }
        assertEquals(0, spark.sql("""
                SELECT * FROM spectra s JOIN results r USING (sweep_id, point_id, start_time)
                WHERE s.kind = 'top_k' AND s.rank = 1 AND abs(s.eigenvalue - r.sharpness) > 1e-3 * r.sharpness""").count(),
                "the top eigenvalue is the sharpness");

        SweepRunner.Summary again = SweepRunner.run(spark, SweepSpec.parse(SPEC), out);
        assertEquals(0, again.ran());
        assertEquals(15, ResultsTable.read(spark, out, ResultSchema.TRAJECTORIES).count(), "a rerun adds nothing");
    }

    /**
     * The driver halts right after a batch reached Parquet (every table) and before its journal
     * was deleted, and, in a second run, right after the first row was journaled: the rerun
     * folds the journals in, each table on its own, and no row of any table is doubled or lost.
     */
    @Test
    void driversThatDieMidBatchLeaveEveryTableExactlyOnce() throws Exception {
        SparkSession spark = SharedSpark.get();
        Path file = tmp.resolve("spec.yaml");
        Files.writeString(file, SPEC);
        String out = tmp.resolve("table").toString();

        assertEquals(137, runHalting(file, out, "batch-written"), "halted after the batch");
        assertEquals(15, spark.read().parquet(out + "/_trajectories").count(), "the batch is in Parquet");
        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(SPEC), out);
        assertEquals(0, rerun.ran(), rerun.toString());
        assertEquals(3, spark.read().parquet(out).count());
        assertEquals(15, spark.read().parquet(out + "/_trajectories").count(), "the leftover journal added no trajectory row twice");
        long spectra = spark.read().parquet(out + "/_spectra").count();
        assertEquals(spectra, spark.read().parquet(out + "/_spectra").distinct().count());

        String out2 = tmp.resolve("table2").toString();
        assertEquals(137, runHalting(file, out2, "row-journaled"), "halted after the first row");
        assertFalse(Files.exists(Path.of(out2, "_trajectories")), "only in the journal");
        assertEquals(5, ResultsTable.read(spark, out2, ResultSchema.TRAJECTORIES).count(), "journaled trajectory rows are readable");
        SweepRunner.Summary finish = SweepRunner.run(spark, SweepSpec.parse(SPEC), out2);
        assertEquals(2, finish.ran(), finish.toString());
        assertEquals(15, spark.read().parquet(out2 + "/_trajectories").count());
        assertEquals(15, spark.read().parquet(out2 + "/_trajectories").select("point_id", "step").distinct().count());
    }

    private int runHalting(Path spec, String out, String fault) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("sharpsweep.opens", "").split(" ")) if (!flag.isBlank()) cmd.add(flag);
        cmd.add("-D" + Faults.PROPERTY + "=" + fault);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", spec.toString(), "--out", out, "--no-progress", "--master", "local[1]"));
        Path log = tmp.resolve(fault + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        if (code != 137) System.err.println(Files.readString(log));
        return code;
    }
}
