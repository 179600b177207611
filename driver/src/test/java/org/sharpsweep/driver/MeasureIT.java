package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code sharpsweep measure}: measurements added from saved parameters equal, bit for bit, the
 * same measurements taken during a run of the same points (measure settings are not in point
 * ids, so both specs train the same points with the same seeds), land in the existing rows
 * without retraining or doubling anything, and a sweep without saved parameters is refused.
 */
class MeasureIT {
    static final String SPEC = """
            name: later
            seed: 5
            data: {dataset: teacher, input_dim: 4, n_train: 24, n_test: 24}
            model: {depth: 1, width: 6, activation: tanh}
            train: {steps: 40, lr: 0.1}
            measure: {nonuniformity: false, max_iters: 60, save_params: true}
            grid:
              lr: [0.05, 0.1, 0.2]
            """;

    @TempDir
    Path tmp;

    private static Map<Double, Row> byLr(SparkSession spark, String dir, String sweep) {
        Map<Double, Row> m = new HashMap<>();
        for (Row r : ResultsTable.read(spark, dir).filter("sweep_id = '" + sweep + "'").collectAsList()) m.put(r.getDouble(r.fieldIndex("lr")), r);
        return m;
    }

    @Test
    void measuringLaterEqualsMeasuringDuringTheRun() throws Exception {
        SparkSession spark = SharedSpark.get();
        String later = tmp.resolve("later").toString();
        String during = tmp.resolve("during").toString();
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(SPEC), later).ok());
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("save_params: true",
                "save_params: true, trace: true, top_k: 2")), during).ok());
        Map<Double, Row> before = byLr(spark, later, "later");

        assertEquals(0, Main.execute(new String[] {"measure", later, "--sweep", "later", "--trace", "--top-k", "2"}));
        Map<Double, Row> after = byLr(spark, later, "later");
        Map<Double, Row> reference = byLr(spark, during, "later");
        assertEquals(3, ResultsTable.raw(spark, later).count(), "no row added");
        for (double lr : List.of(0.05, 0.1, 0.2)) {
            Row a = after.get(lr), ref = reference.get(lr), b = before.get(lr);
            assertEquals(ref.getDouble(ref.fieldIndex(ResultSchema.HESSIAN_TRACE)), a.getDouble(a.fieldIndex(ResultSchema.HESSIAN_TRACE)), 0.0,
                    "the trace measured later is the one the run measures");
            assertEquals(ref.getInt(ref.fieldIndex(ResultSchema.HESSIAN_TRACE_PROBES)), a.getInt(a.fieldIndex(ResultSchema.HESSIAN_TRACE_PROBES)));
            assertTrue(a.getBoolean(a.fieldIndex("measure_trace")), "the row says what was measured");
            assertEquals(2, a.getInt(a.fieldIndex("top_k")));
            for (String c : List.of(ResultSchema.POINT_ID, ResultSchema.TRAIN_LOSS, ResultSchema.SHARPNESS, ResultSchema.START_TIME)) {
                assertEquals(b.get(b.fieldIndex(c)), a.get(a.fieldIndex(c)), c + " is as it was");
            }
        }
        List<Row> spectraLater = spark.read().parquet(later + "/_spectra")
                .orderBy("point_id", "rank").select("rank", "eigenvalue").collectAsList();
        List<Row> spectraDuring = spark.read().parquet(during + "/_spectra").orderBy("point_id", "rank").select("rank", "eigenvalue").collectAsList();
        assertEquals(6, spectraLater.size());
        assertEquals(spectraDuring.stream().map(r -> r.getDouble(1)).sorted().toList(),
                spectraLater.stream().map(r -> r.getDouble(1)).sorted().toList(), "the same eigenvalues");

        // the spec that measures the trace names the same points: nothing is trained again
        SweepRunner.Summary rerun = SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("save_params: true",
                "save_params: true, trace: true, top_k: 2")), later);
        assertEquals(0, rerun.ran(), rerun.toString());

        // again with another k: the spectra are there already and stay once, as measured, and the command says so;
        // the trace is written again, equal
        String said = Cli.capture(() -> assertEquals(0, Main.execute(new String[] {"measure", later, "--sweep", "later", "--trace",
                "--top-k", "1"})), false);
        assertTrue(said.contains("top_k: 3 of them already had its spectrum rows, kept as measured"), said);
        ResultsTable.registerAll(spark, later);
        assertEquals(6, spark.sql("SELECT * FROM spectra").count());
        assertEquals(3, spark.sql("SELECT * FROM results WHERE top_k = 2").count(), "the rows say the k their spectra have");
        assertEquals(3, spark.sql("SELECT * FROM results").count());
    }

    @Test
    void theMeasuresWithOptionsTakeThemAsOptionsAndMeasureLaterAsDuringTheRun() throws Exception {
        SparkSession spark = SharedSpark.get();
        String later = tmp.resolve("later-m").toString();
        String during = tmp.resolve("during-m").toString();
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(SPEC), later).ok());
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("save_params: true",
                "save_params: true, m_sharpness: {rho: 0.05, m: 8, norm: l2, adaptive: true, iters: 10}")), during).ok());
        assertEquals(0, Main.execute(new String[] {"measure", later, "--sweep", "later", "--m-sharpness", "--m-sharpness-rho", "0.05",
                "--m-sharpness-m", "8", "--m-sharpness-norm", "l2", "--m-sharpness-adaptive", "--m-sharpness-iters", "10"}));
        Map<Double, Row> after = byLr(spark, later, "later");
        Map<Double, Row> reference = byLr(spark, during, "later");
        for (double lr : List.of(0.05, 0.1, 0.2)) {
            Row a = after.get(lr), ref = reference.get(lr);
            for (String c : List.of(org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS, org.sharpsweep.sweeps.measure.Measures.AVG_SHARPNESS,
                    org.sharpsweep.sweeps.measure.Measures.AVG_SHARPNESS_STDERR, org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS_BATCHES,
                    "m_sharpness_rho", "m_sharpness_norm", "m_sharpness_adaptive", "m_sharpness_iters", "m_sharpness_m")) {
                assertEquals(ref.get(ref.fieldIndex(c)), a.get(a.fieldIndex(c)), c + " measured later is what the run measures");
            }
            assertEquals(3, a.getInt(a.fieldIndex(org.sharpsweep.sweeps.measure.Measures.M_SHARPNESS_BATCHES)), "24 rows in batches of 8");
        }
    }

    @Test
    void batchSharpnessMeasuredLaterIsWhatTheRunMeasures() throws Exception {
        SparkSession spark = SharedSpark.get();
        String sgd = SPEC.replace("train: {steps: 40, lr: 0.1}", "train: {steps: 40, lr: 0.1, batch_size: 6}");
        String later = tmp.resolve("later-b").toString();
        String during = tmp.resolve("during-b").toString();
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(sgd), later).ok());
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(sgd.replace("save_params: true",
                "save_params: true, batch_sharpness: {batches: 4}")), during).ok());
        assertEquals(0, Main.execute(new String[] {"measure", later, "--sweep", "later", "--batch-sharpness",
                "--batch-sharpness-batches", "4"}));
        Map<Double, Row> after = byLr(spark, later, "later");
        Map<Double, Row> reference = byLr(spark, during, "later");
        for (double lr : List.of(0.05, 0.1, 0.2)) {
            Row a = after.get(lr), ref = reference.get(lr);
            for (String c : List.of(org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS,
                    org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_STDERR, org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_N,
                    "measure_batch_sharpness", "batch_sharpness_batches")) {
                assertEquals(ref.get(ref.fieldIndex(c)), a.get(a.fieldIndex(c)), c + " measured later is what the run measures");
            }
            assertEquals(4, a.getInt(a.fieldIndex(org.sharpsweep.sweeps.measure.Measures.BATCH_SHARPNESS_N)), "4 minibatches of 6");
        }
    }

    @Test
    void aSweepWithoutSavedParametersIsRefusedNamingTheSetting() throws Exception {
        SparkSession spark = SharedSpark.get();
        String dir = tmp.resolve("unsaved").toString();
        assertEquals(3, SweepRunner.run(spark, SweepSpec.parse(SPEC.replace(", save_params: true", "")), dir).ok());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute(new String[] {"measure", dir, "--sweep", "later", "--trace"});
        } finally {
            System.setErr(err);
        }
        assertEquals(2, status);
        String msg = captured.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("measure.save_params: true"), msg);
        assertEquals(2, Main.execute(new String[] {"measure", dir, "--sweep", "later"}), "no measure given");
        assertEquals(2, Main.execute(new String[] {"measure", dir, "--sweep", "nope", "--trace"}), "no such sweep");
        for (String[] bad : List.of(new String[] {"--tol", "2"}, new String[] {"--trace-tol", "0"}, new String[] {"--max-iters", "0"},
                new String[] {"--top-k", "9", "--max-iters", "5"}, new String[] {"--nonuniformity-samples", "-1"},
                new String[] {"--top-k", "0"}, new String[] {"--tol", "-1", "(no measure)"}, new String[] {"--m-sharpness-norm", "l1"},
                new String[] {"--m-sharpness-rho", "0"})) {
            List<String> args = new java.util.ArrayList<>(List.of("measure", dir, "--sweep", "later"));
            if (!bad[bad.length - 1].equals("(no measure)")) args.add("--trace"); // a bad option is named even without a measure
            else bad = java.util.Arrays.copyOf(bad, bad.length - 1);
            args.addAll(List.of(bad));
            ByteArrayOutputStream why = new ByteArrayOutputStream();
            System.setErr(new PrintStream(why, true, StandardCharsets.UTF_8));
            try {
                assertEquals(2, Main.execute(args.toArray(String[]::new)), String.join(" ", bad));
            } finally {
                System.setErr(err);
            }
            assertTrue(why.toString(StandardCharsets.UTF_8).contains(bad[0]), why.toString(StandardCharsets.UTF_8));
        }
    }
}
