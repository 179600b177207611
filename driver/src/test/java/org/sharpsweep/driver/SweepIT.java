package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SweepLock;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/** End-to-end sweeps in local[2]: spec -> Spark -> ND4J training -> Parquet -> Spark SQL. */
class SweepIT {

    /** 2 x 2 x 2 = 8 small teacher points. */
    static final String EIGHT = """
            name: eight
            seed: 5
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: tanh}
            loss: mse
            train: {steps: 60, lr: 0.1, batch_size: 8}
            measure: {max_iters: 40}
            grid:
              lr: [0.05, 0.1]
              batch_size: [8, 32]
              width: [4, 6]
            """;

    @TempDir
    Path tmp;

    private final SparkSession spark = SharedSpark.get();

    @Test
    void eightPointsWriteEightRowsAndARerunWritesNone() {
        String out = tmp.resolve("results").toString();
        SweepRunner.Summary first = SweepRunner.run(spark, SweepSpec.parse(EIGHT), out);
        assertEquals(8, first.ran());
        assertEquals(8, first.ok(), first.toString());
        Dataset<Row> rows = spark.read().parquet(out);
        assertEquals(8, rows.count());
        assertEquals(8, rows.select(ResultSchema.POINT_ID).distinct().count());
        Row r = rows.filter(col("lr").equalTo(0.1).and(col("batch_size").equalTo(8)).and(col("width").equalTo(6))).first();
        assertEquals("OK", r.getAs(ResultSchema.STATUS));
        assertEquals("eight", r.getAs(ResultSchema.SWEEP_ID));
        for (String metric : List.of(ResultSchema.TRAIN_LOSS, ResultSchema.TEST_LOSS, ResultSchema.GEN_GAP_LOSS,
                ResultSchema.PARAM_NORM, ResultSchema.GRAD_NORM, ResultSchema.SHARPNESS_BOUND)) {
            assertNotNull(r.getAs(metric), metric);
        }
        assertEquals(2 / 0.1, (Double) r.getAs(ResultSchema.SHARPNESS_BOUND), 1e-12);
        // regression: no accuracy, and it says so with null
        assertNull(r.getAs(ResultSchema.TRAIN_ACC));
        assertEquals(60, (Integer) r.getAs(ResultSchema.STEPS_DONE));
        assertEquals(0, (Integer) r.getAs("epochs"), "steps were given, not epochs");
        assertNull(r.getAs("label_noise"), "an image-only setting does not apply to teacher data");
        assertNull(r.getAs("input_scale"));
        assertEquals(4, (Integer) r.getAs("input_dim"));
        assertEquals("cpu", r.getAs(ResultSchema.BACKEND));

        SweepRunner.Summary second = SweepRunner.run(spark, SweepSpec.parse(EIGHT), out);
        assertEquals(0, second.ran());
        assertEquals(8, second.skipped());
        assertEquals(8, spark.read().parquet(out).count());
    }

    @Test
    void aGrownGridRunsOnlyTheNewPoints() {
        String out = tmp.resolve("grown").toString();
        SweepRunner.run(spark, SweepSpec.parse(EIGHT), out);
        SweepRunner.Summary grown = SweepRunner.run(spark,
                SweepSpec.parse(EIGHT.replace("lr: [0.05, 0.1]", "lr: [0.05, 0.1, 0.2]")), out);
        assertEquals(4, grown.ran());
        assertEquals(8, grown.skipped());
        Dataset<Row> rows = spark.read().parquet(out);
        assertEquals(12, rows.count());
        assertEquals(4, rows.filter(col("lr").equalTo(0.2)).count());
    }

    @Test
    void sameSpecGivesBitIdenticalMetrics() {
        String a = tmp.resolve("a").toString();
        String b = tmp.resolve("b").toString();
        SweepRunner.run(spark, SweepSpec.parse(EIGHT), a);
        SweepRunner.run(spark, SweepSpec.parse(EIGHT), b);
        List<Row> ra = spark.read().parquet(a).select("point_id", "train_loss", "test_loss", "param_norm", "sharpness", "seed")
                .orderBy("point_id").collectAsList();
        List<Row> rb = spark.read().parquet(b).select("point_id", "train_loss", "test_loss", "param_norm", "sharpness", "seed")
                .orderBy("point_id").collectAsList();
        assertEquals(ra, rb);
    }

    @Test
    void aDivergentLearningRateIsADivergedRow() {
        String out = tmp.resolve("div").toString();
        SweepRunner.Summary s = SweepRunner.run(spark, SweepSpec.parse("""
                name: div
                data: {dataset: teacher, input_dim: 4, n_train: 32, n_test: 32}
                model: {depth: 1, width: 8}
                train: {steps: 200, batch_size: 32}
                grid:
                  lr: [0.1, 500.0]
                """), out);
        assertEquals(1, s.ok());
        assertEquals(1, s.diverged());
        Row d = spark.read().parquet(out).filter(col("status").equalTo("DIVERGED")).first();
        assertEquals(500.0, (Double) d.getAs("lr"));
        Integer at = d.getAs(ResultSchema.DIVERGED_AT_STEP);
        assertNotNull(at);
        assertTrue(at > 0 && at < 200, "diverged at " + at);
        assertNull(d.getAs(ResultSchema.TRAIN_LOSS), "no made-up loss for a diverged point");
        assertTrue(((String) d.getAs(ResultSchema.ERROR)).contains("loss"));
        // a rerun does not redo a diverged point: it is a result
        assertEquals(0, SweepRunner.run(spark, SweepSpec.parse("""
                name: div
                data: {dataset: teacher, input_dim: 4, n_train: 32, n_test: 32}
                model: {depth: 1, width: 8}
                train: {steps: 200, batch_size: 32}
                grid:
                  lr: [0.1, 500.0]
                """), out).ran());
    }

    @Test
    void aFailingPointIsAFailedRowAndTheSweepGoesOn() throws IOException {
        // A point that fails inside the worker after training: its parameters are to be saved
        // under a path that is a regular file (the CLI refuses that up front; the library call
        // shows what a worker-side failure becomes). The other point is unaffected.
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        String out = tmp.resolve("failing").toString();
        SweepRunner.Summary s = SweepRunner.run(spark, SweepSpec.parse("""
                name: failing
                data: {dataset: teacher, n_train: 20, n_test: 20}
                model: {width: 4}
                train: {steps: 10}
                grid:
                  lr: [0.05, 0.1]
                """), out, new SweepRunner.Options(file.resolve("params").toString(), java.util.Set.of(1), false, false));
        assertEquals(1, s.ok(), s.toString());
        assertEquals(1, s.failed(), s.toString());
        assertTrue(s.firstError() != null && s.firstError().contains("point 1"), "the first failure is reported: " + s.firstError());
        Row f = spark.read().parquet(out).filter(col("status").equalTo("FAILED")).first();
        assertEquals(0.1, (Double) f.getAs("lr"), 0.0);
        assertTrue(((String) f.getAs(ResultSchema.ERROR)).contains("not-a-directory"), (String) f.getAs(ResultSchema.ERROR));
    }

    @Test
    void aChangedSpecCannotJoinTheSweepOfItsNameButMayStartItOver() throws IOException {
        String out = tmp.resolve("changed").toString();
        SweepRunner.run(spark, SweepSpec.parse(EIGHT), out);
        String spec = Files.readString(tmp.resolve("changed").resolve(ResultSchema.specFile("eight")));

        IllegalArgumentException steps = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(EIGHT.replace("steps: 60", "steps: 100")), out));
        assertTrue(steps.getMessage().contains("train.steps: 60 -> 100") && steps.getMessage().contains("8 of its 8 points"),
                steps.getMessage());
        IllegalArgumentException axis = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(EIGHT.replace("lr: [0.05, 0.1]", "lr: [0.1, 0.2]")), out));
        assertTrue(axis.getMessage().contains("grid.lr: [0.05, 0.1] -> [0.1, 0.2]") && axis.getMessage().contains("4 of its 8"),
                axis.getMessage());
        assertEquals(8, spark.read().parquet(out).count(), "a refused run writes nothing");
        assertEquals(spec, Files.readString(tmp.resolve("changed").resolve(ResultSchema.specFile("eight"))), "the kept spec is untouched");

        assertEquals(0, SweepRunner.run(spark, SweepSpec.parse(EIGHT), out, new SweepRunner.Options(null, java.util.Set.of(), false, true))
                .ran(), "--restart with the same configuration changes nothing");
        assertFalse(Files.exists(tmp.resolve("changed").resolve(ResultStore.ARCHIVE_DIR)));
        // a restart refused for another reason (no saved parameters to start from) changes nothing, the archive included
        IllegalArgumentException from = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepRunner.run(spark, SweepSpec.parse(EIGHT.replace("steps: 60", "steps: 100, from_sweep: nosuch, from_point: \"0123456789abcdef\"")),
                        out, new SweepRunner.Options(null, java.util.Set.of(), false, true)));
        assertTrue(from.getMessage().contains("from_sweep"), from.getMessage());
        assertFalse(Files.exists(tmp.resolve("changed").resolve(ResultStore.ARCHIVE_DIR)), "nothing archived by a refused restart");
        assertEquals(8, spark.read().parquet(out).count(), "and every row still in place");
        SweepRunner.Summary[] restartedBox = new SweepRunner.Summary[1];
        String said = Cli.capture(() -> restartedBox[0] = SweepRunner.run(spark, SweepSpec.parse(EIGHT.replace("steps: 60", "steps: 100")),
                out, new SweepRunner.Options(null, java.util.Set.of(), false, true)), false);
        SweepRunner.Summary restarted = restartedBox[0];
        assertTrue(said.contains("moved to") && said.contains(ResultStore.ARCHIVE_DIR), "the move is said on screen: " + said);
        assertEquals(8, restarted.ran());
        assertEquals(8, spark.read().parquet(out).count(), "the sweep holds only the new configuration");
        assertEquals(8, spark.read().parquet(out).filter(col("steps").equalTo(100)).count());
        List<Path> archived;
        try (var files = Files.walk(tmp.resolve("changed").resolve(ResultStore.ARCHIVE_DIR))) {
            archived = files.filter(f -> f.toString().endsWith(".parquet") || f.toString().endsWith(".yaml")).toList();
        }
        assertEquals(8, spark.read().parquet(archived.stream().filter(f -> f.toString().endsWith(".parquet"))
                .map(Path::toString).toArray(String[]::new)).count(), "the old rows are archived, not deleted");
        assertTrue(archived.stream().anyMatch(f -> f.toString().endsWith("eight.yaml")), "with their spec");
    }

    @Test
    void aSweepThatAnotherRunIsWritingIsRefusedAndLeftAlone() throws IOException {
        String out = tmp.resolve("locked").toString();
        SweepRunner.run(spark, SweepSpec.parse(EIGHT), out);
        org.apache.hadoop.fs.Path journal = new org.apache.hadoop.fs.Path(tmp.resolve("locked").resolve("_journal").resolve("eight").toUri());
        try (SweepLock held = SweepLock.tryAcquire(org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()).getRaw(), journal)) {
            assertNotNull(held);
            String grown = EIGHT.replace("lr: [0.05, 0.1]", "lr: [0.05, 0.1, 0.2]");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SweepRunner.run(spark, SweepSpec.parse(grown), out));
            assertTrue(e.getMessage().contains("being written by another run") && e.getMessage().contains("pid "), e.getMessage());
        }
        assertEquals(8, spark.read().parquet(out).count(), "nothing written by the refused run");
        assertEquals(4, SweepRunner.run(spark, SweepSpec.parse(EIGHT.replace("lr: [0.05, 0.1]", "lr: [0.05, 0.1, 0.2]")), out).ran(),
                "once the other run is over, the grown grid runs");
    }

    @Test
    void anInvalidSpecWritesNothingAndExitsNonZero() throws IOException {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, EIGHT.replace("batch_size: [8, 32]", "batch_size: [8, 64]"));
        Path out = tmp.resolve("nothing");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Main.execute("run", spec.toString(), "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        assertFalse(Files.exists(out), "nothing written for an invalid spec");
        assertTrue(err.toString().contains("batch_size 64 is larger than data.n_train 32"), err.toString());
    }

    @Test
    void outputPathsThatCannotBeWrittenAreRefusedBeforeAnyWork() throws IOException {
        Path spec = tmp.resolve("eight.yaml");
        Files.writeString(spec, EIGHT);
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path out = tmp.resolve("never");
        List<String[]> cases = List.of(
                new String[]{"--save-params", file.toString(), "--save-params " + file + " is a file"},
                new String[]{"--report", file.resolve("sub").toString(), "--report " + file.resolve("sub") + " cannot be created"},
                new String[]{"--out", "", "--out must name a directory"});
        for (String[] c : cases) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            System.setErr(new PrintStream(err, true));
            int code;
            try {
                code = c[0].equals("--out")
                        ? Main.execute("run", spec.toString(), "--out", c[1])
                        : Main.execute("run", spec.toString(), "--out", out.toString(), c[0], c[1]);
            } finally {
                System.setErr(old);
            }
            assertEquals(2, code, c[0] + ": " + err);
            assertTrue(err.toString().contains(c[2]), c[0] + ": " + err);
            assertFalse(Files.exists(out), c[0] + ": nothing written");
        }
    }

    @Test
    void theCliRunsAndQueriesASweep() throws IOException {
        Path spec = tmp.resolve("eight.yaml");
        Files.writeString(spec, EIGHT);
        String out = tmp.resolve("cli").toString();
        for (String command : List.of("validate", "run", "point", "sql", "heatmap", "diagram", "report")) {
            String help = capture(() -> assertEquals(0, Main.execute(command, "--help")));
            assertTrue(help.startsWith("Usage: sharpsweep " + command), help);
        }
        String validate = capture(() -> assertEquals(0, Main.execute("validate", spec.toString())));
        assertTrue(validate.contains("sweep eight: 8 points"), validate);
        assertTrue(validate.contains("seeds: shared (the default of a sweep's first run"), validate);
        assertTrue(validate.contains("8 of 8 points are small networks") && validate.contains("in 4 lockstep groups of one shape"), validate);
        assertTrue(validate.contains("lr: [0.05, 0.1]"), validate);
        assertTrue(validate.contains("estimated ") && validate.contains(" per point (") && !validate.contains("warning"), validate);
        capture(() -> assertEquals(0, Main.execute("run", spec.toString(), "--out", out, "--no-progress")));
        String csv = capture(() -> assertEquals(0, Main.execute("sql", out,
                "SELECT lr, count(*) AS n FROM results GROUP BY lr ORDER BY lr", "--format", "csv")));
        assertTrue(csv.contains("lr,n\n0.05,4\n0.1,4"), csv);
        String table = capture(() -> assertEquals(0, Main.execute("sql", out,
                "SELECT status, count(*) AS n FROM results GROUP BY status")));
        assertTrue(table.contains("OK") && table.contains("8"), table);
        // the session the CLI found is still usable
        assertEquals(8, ResultsTable.read(spark, out).count());
    }

    @Test
    void pointPrintsOneJsonRow() throws IOException {
        Path spec = tmp.resolve("eight.yaml");
        Files.writeString(spec, EIGHT);
        String json = capture(() -> assertEquals(0, Main.execute("point", spec.toString(), "--index", "3")));
        var row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.strip());
        assertEquals("eight", row.get("sweep_id").asText());
        assertEquals(3, row.get("point_index").asInt());
        assertEquals("OK", row.get("status").asText());
        assertTrue(row.get("train_loss").isNumber());
        assertEquals(SweepSpec.parse(EIGHT).point(3).pointId(), row.get("point_id").asText());
    }

    /**
     * {@code run --save-params DIR --save-points 0,3} writes the final network of exactly those
     * points, and a plain forward pass through the exported arrays (tanh hidden layer, mse)
     * reproduces the train_loss the table holds for them.
     */
    @Test
    void runSavesTheChosenPointsParametersAndTheyReproduceTheTable() throws IOException {
        Path spec = tmp.resolve("eight.yaml");
        Files.writeString(spec, EIGHT);
        String out = tmp.resolve("saved").toString();
        Path params = tmp.resolve("params");
        capture(() -> assertEquals(0, Main.execute("run", spec.toString(), "--out", out, "--no-progress",
                "--save-params", params.toString(), "--save-points", "0,3")));
        SweepSpec s = SweepSpec.parse(EIGHT);
        try (var dirs = Files.list(params.resolve("eight"))) {
            assertEquals(java.util.Set.of(s.point(0).pointId(), s.point(3).pointId()),
                    dirs.map(d -> d.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        for (int index : new int[] {0, 3}) {
            var point = s.point(index);
            Path dir = params.resolve("eight").resolve(point.pointId());
            double[][] w1 = matrix(Nd4j.createFromNpyFile(dir.resolve("W1.npy").toFile()));
            double[] b1 = matrix(Nd4j.createFromNpyFile(dir.resolve("b1.npy").toFile()).reshape(1, -1))[0];
            double[][] w2 = matrix(Nd4j.createFromNpyFile(dir.resolve("W2.npy").toFile()));
            double[] b2 = matrix(Nd4j.createFromNpyFile(dir.resolve("b2.npy").toFile()).reshape(1, -1))[0];
            assertEquals(point.spec().model().width(), b1.length);
            var data = org.sharpsweep.worker.data.Datasets.load(point.spec().data(), point.sweepSeed());
            double[][] x = matrix(data.trainX());
            double[][] y = matrix(data.trainY());
            double loss = 0;
            for (int i = 0; i < x.length; i++) {
                double[] h = new double[b1.length];
                for (int j = 0; j < h.length; j++) {
                    double z = b1[j];
                    for (int k = 0; k < x[i].length; k++) z += x[i][k] * w1[k][j];
                    h[j] = Math.tanh(z);
                }
                for (int o = 0; o < b2.length; o++) {
                    double f = b2[o];
                    for (int j = 0; j < h.length; j++) f += h[j] * w2[j][o];
                    loss += (f - y[i][o]) * (f - y[i][o]) / b2.length;
                }
            }
            loss /= x.length;
            Row r = spark.read().parquet(out).filter(col(ResultSchema.POINT_INDEX).equalTo(index)).first();
            assertEquals((Double) r.getAs(ResultSchema.TRAIN_LOSS), loss, 1e-12 * Math.max(1, loss), "point " + index);
        }
    }

    private static double[][] matrix(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    static String capture(Runnable r) {
        return Cli.capture(r, false);
    }

    /** An IDX file with the given header whose body holds only {@code bodyBytes} bytes. */
    static void writeIdx(Path file, int magic, int[] dims, int bodyBytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            java.io.DataOutputStream d = new java.io.DataOutputStream(out);
            d.writeInt(magic);
            for (int x : dims) d.writeInt(x);
            d.write(new byte[bodyBytes]);
            d.flush();
        }
    }
}
