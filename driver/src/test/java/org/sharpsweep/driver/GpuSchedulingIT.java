package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * GPU scheduling through Spark's own resource scheduling, without a GPU: a standalone Worker
 * whose discovery script reports two fake GPU addresses, and a sweep submitted with
 * {@code scripts/submit --gpus-per-executor 1} on two one-core executors. Each executor gets its
 * own address, each task binds to the address Spark gave it (on the CPU backend a call that
 * only records and logs it), and every row names its address: both addresses appear.
 */
class GpuSchedulingIT {
    @TempDir
    Path tmp;

    private final StandaloneCluster cluster = new StandaloneCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A Master and a 2-core Worker whose discovery script reports the fake GPUs {@code addresses}; returns the master URL. */
    private String clusterWithFakeGpus(SparkInstall spark, Path work, String... addresses) throws Exception {
        Path discovery = tmp.resolve("fake-gpus.sh");
        String list = String.join(", ", java.util.Arrays.stream(addresses).map(a -> "\"" + a + "\"").toList());
        Files.writeString(discovery, "#!/usr/bin/env bash\necho '{\"name\": \"gpu\", \"addresses\": [" + list + "]}'\n");
        Files.setPosixFilePermissions(discovery, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path workerConf = tmp.resolve("worker.conf");
        Files.writeString(workerConf, "spark.worker.resource.gpu.amount " + addresses.length
                + "\nspark.worker.resource.gpu.discoveryScript " + discovery + "\n");
        return cluster.startMasterAndWorker(spark.home, tmp, work, 2, "--properties-file", workerConf.toString());
    }

    /** --gpus-per-task 0.5: one executor with one GPU runs two points at a time on it, and every row names it. */
    @Test
    void twoPointsShareOneGpuWithAFractionalTaskAmount() throws Exception {
        SparkInstall spark = SparkInstall.create(tmp);
        Path work = tmp.resolve("work");
        String master = clusterWithFakeGpus(spark, work, "0");
        String out = tmp.resolve("results").toString();
        String log = spark.submit(tmp.resolve("submit.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--executor-memory", "1g", "--executor-cores", "2", "--total-executor-cores", "2",
                "--gpus-per-executor", "1", "--gpus-per-task", "0.5", "run", "tiny", "--out", out, "--no-progress");
        assertTrue(log.contains("sweep tiny: 8 points, 0 already done, 8 run (8 OK"), log);
        Dataset<Row> rows = SharedSpark.get().read().schema(org.sharpsweep.store.SparkSchema.results()).parquet(out);
        assertEquals(8, rows.filter(col(ResultSchema.GPU_ADDRESS).equalTo("0")).count(),
                "every row names the one gpu: " + rows.select(ResultSchema.GPU_ADDRESS).collectAsList());
        // Spark's task threads are pooled: a second thread binding gpu 0 exists only if a task ran while another did
        int threads = 0;
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                threads += (int) Files.readString(f).lines().filter(l -> l.contains("bound to gpu 0 (cpu backend")).count();
            }
        }
        assertTrue(threads >= 2, "two task threads shared gpu 0 at once: " + threads + " bindings logged");
    }

    @Test
    void tasksGetDistinctFakeGpuAddressesAndRowsRecordThem() throws Exception {
        SparkInstall spark = SparkInstall.create(tmp);
        Path work = tmp.resolve("work");
        String master = clusterWithFakeGpus(spark, work, "0", "1");

        String out = tmp.resolve("results").toString();
        String log = spark.submit(tmp.resolve("submit.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--executor-memory", "1g", "--executor-cores", "1", "--total-executor-cores", "2",
                "--gpus-per-executor", "1", "run", "tiny", "--out", out, "--no-progress");
        assertTrue(log.contains("sweep tiny: 8 points, 0 already done, 8 run (8 OK"), log);

        Dataset<Row> rows = SharedSpark.get().read().schema(org.sharpsweep.store.SparkSchema.results()).parquet(out);
        assertEquals(8, rows.filter(col(ResultSchema.GPU_ADDRESS).isin("0", "1")).count(),
                "every row names a fake gpu: " + rows.select(ResultSchema.GPU_ADDRESS).collectAsList());
        List<Row> addresses = rows.select(ResultSchema.GPU_ADDRESS).distinct().collectAsList();
        assertEquals(2, addresses.size(), "the two executors' tasks had distinct addresses: " + addresses);
        assertEquals(8, rows.filter(col(ResultSchema.BACKEND).equalTo("cpu")).count());

        // each executor's tasks called the binding (a no-op on the cpu backend that says so)
        List<Path> executorLogs;
        try (Stream<Path> files = Files.walk(work)) {
            executorLogs = files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
        }
        int bound = 0;
        for (Path f : executorLogs) {
            String text = Files.readString(f);
            if (text.contains("bound to gpu 0 (cpu backend") || text.contains("bound to gpu 1 (cpu backend")) bound++;
        }
        assertEquals(2, bound, "both executors logged their binding");
    }
}
