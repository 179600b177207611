package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A data-parallel point on a real standalone cluster (a Master and a Worker, two one-core
 * executors), submitted with {@code scripts/submit} from the application jar: DL4J Spark trains
 * it over two workers and its curvature is summed over two partitions on the executors. Its row
 * equals the same point trained by the engine alone (local Spark, same batches) to 1e-8 in every
 * metric, and both executors computed a partition.
 */
class DataParallelClusterIT {
    @TempDir
    Path tmp;

    private final StandaloneCluster cluster = new StandaloneCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String spec(String name, String parallel) {
        return """
                name: %s
                seed: 5
                data: {dataset: fashion-mnist, path: %s, n_train: 240, n_test: 200}
                model: {depth: 1, width: 24, activation: relu}
                loss: xent
                train: {steps: 12, lr: 0.2, batch_size: 40%s}
                measure: {trace: true, top_k: 2, nonuniformity_samples: 150}
                """.formatted(name, FashionMnistIT.DATA, parallel);
    }

    @Test
    void twoWorkersOnAStandaloneClusterGiveTheEnginesRow() throws Exception {
        assertTrue(Files.isDirectory(Path.of(FashionMnistIT.DATA)), "apt-get install dataset-fashion-mnist");
        SparkInstall spark = SparkInstall.create(tmp);
        Path work = tmp.resolve("work");
        String master = cluster.startMasterAndWorker(spark.home, tmp, work, 2);

        Path specFile = tmp.resolve("dp.yaml");
        Files.writeString(specFile, spec("dp", ", parallel: data, workers: 2"));
        String out = tmp.resolve("results").toString();
        String log = spark.submit(tmp.resolve("submit.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--executor-memory", "1g", "--executor-cores", "1", "--total-executor-cores", "2",
                "run", specFile.toString(), "--out", out, "--no-progress");
        assertTrue(log.contains("sweep dp: 1 points, 0 already done, 1 run (1 OK"), log);

        String alone = tmp.resolve("alone").toString();
        SparkSession local = SharedSpark.get();
        SweepRunner.Summary s = SweepRunner.run(local, SweepSpec.parse(spec("alone", "")), alone);
        assertEquals(1, s.ok(), s.toString());

        Row dp = local.read().schema(SparkSchema.results()).parquet(out).collectAsList().get(0);
        Row engine = local.read().schema(SparkSchema.results()).parquet(alone).collectAsList().get(0);
        assertEquals(engine.getAs(ResultSchema.POINT_ID), (String) dp.getAs(ResultSchema.POINT_ID), "one point, one id");
        assertEquals("data", dp.getAs("parallel"));
        assertEquals(2, (int) dp.getAs("workers"));
        int compared = 0;
        for (ResultSchema.Column c : ResultSchema.RESULTS.columns()) {
            if (c.group() != ResultSchema.Group.METRIC || c.type() != ResultSchema.Type.DOUBLE || c.name().endsWith("_seconds")) continue;
            Object a = engine.getAs(c.name()), b = dp.getAs(c.name());
            if (a == null) {
                assertEquals(null, b, c.name());
                continue;
            }
            assertNotNull(b, c.name() + " is null in the data-parallel row");
            double x = (Double) a, y = (Double) b;
            assertTrue(Math.abs(x - y) <= 1e-8 * Math.max(1, Math.abs(x)), c.name() + ": engine " + x + ", data-parallel " + y);
            compared++;
        }
        assertTrue(compared >= 15, "compared " + compared + " metrics");
        for (String c : new String[] {ResultSchema.SHARPNESS, ResultSchema.NONUNIFORMITY, ResultSchema.STABILITY_MAX_EIG,
                ResultSchema.HESSIAN_TRACE, ResultSchema.TEST_ACC}) {
            assertNotNull(dp.getAs(c), c);
        }
        List<Row> spectraDp = local.read().parquet(out + "/" + ResultSchema.SPECTRA.folder()).orderBy(col(ResultSchema.RANK)).collectAsList();
        List<Row> spectraAlone = local.read().parquet(alone + "/" + ResultSchema.SPECTRA.folder()).orderBy(col(ResultSchema.RANK)).collectAsList();
        assertEquals(2, spectraDp.size());
        for (int i = 0; i < 2; i++) {
            double x = spectraAlone.get(i).getAs(ResultSchema.EIGENVALUE), y = spectraDp.get(i).getAs(ResultSchema.EIGENVALUE);
            assertTrue(Math.abs(x - y) <= 1e-8 * Math.max(1, Math.abs(x)), "top-k " + i + ": " + x + " vs " + y);
        }

        // the curvature's partitions ran on both executors
        Set<String> partitions = new HashSet<>();
        Pattern line = Pattern.compile("curvature on partition (\\d) of 2 .* on executor (\\S+)");
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                Matcher m = line.matcher(Files.readString(f));
                while (m.find()) partitions.add(m.group(2));
            }
        }
        assertEquals(2, partitions.size(), "both executors computed a partition: " + partitions);
    }
}
