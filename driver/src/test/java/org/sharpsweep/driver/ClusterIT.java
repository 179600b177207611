package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.worker.blas.BlasKernel;

/**
 * A sweep on a real Spark standalone cluster: a Master and a Worker in their own JVMs, the
 * Worker launching executor JVMs, and the sweep submitted with {@code scripts/submit} and the
 * shaded application jar, as a user would on a cluster. What local mode cannot show is checked
 * here: closures and results cross JVMs, executors load ND4J from the application jar, and
 * executors get the Java 17 flags from the script.
 *
 * <p>The Spark installation is the build's own Spark jars ({@link SparkInstall}).
 */
class ClusterIT {
    private static final long START_TIMEOUT_S = StandaloneCluster.START_TIMEOUT_S;

    @TempDir
    Path tmp;

    private final StandaloneCluster cluster = new StandaloneCluster();

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void tinySweepRunsOnAStandaloneMasterAndWorkerThroughScriptsSubmit() throws Exception {
        SparkInstall spark = SparkInstall.create(tmp);
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        Path masterLog = tmp.resolve("master.log");
        start(spark.home, masterLog, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        await(masterLog, "I have been elected leader");
        Path workerLog = tmp.resolve("worker.log");
        Path work = tmp.resolve("work");
        start(spark.home, workerLog, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(), master);
        await(workerLog, "Successfully registered with master");

        String out = tmp.resolve("results").toString();
        String log = spark.submit(tmp.resolve("submit.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--executor-memory", "1g", "--total-executor-cores", "2",
                "run", "tiny", "--out", out, "--no-progress");
        assertTrue(log.contains("sweep tiny: 8 points, 0 already done, 8 run (8 OK"), log);

        Dataset<Row> rows = SharedSpark.get().read().parquet(out);
        assertEquals(8, rows.count());
        assertEquals(8, rows.filter(col(ResultSchema.STATUS).equalTo("OK")
                .and(col(ResultSchema.SHARPNESS).isNotNull())
                .and(col(ResultSchema.NONUNIFORMITY).isNotNull())).count());
        // each executor chose the best kernel for its CPU itself (no OPENBLAS_CORETYPE in its environment)
        String expected = BlasKernel.CpuFacts.local().flatMap(BlasKernel::best).orElse(null);
        if (expected != null) {
            assertEquals(8, rows.filter(col(ResultSchema.BLAS_CORE).equalTo(expected)).count(),
                    "rows name the kernel " + expected + ": " + rows.select(ResultSchema.BLAS_CORE).distinct().collectAsList());
        }
        // the points ran in executor JVMs the Worker launched, not in the driver
        List<Path> executorLogs;
        try (Stream<Path> files = Files.walk(work)) {
            executorLogs = files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
        }
        assertTrue(!executorLogs.isEmpty(), "executor logs under " + work);
        boolean ranTasks = false;
        for (Path f : executorLogs) ranTasks |= Files.readString(f).contains("Running task");
        assertTrue(ranTasks, "an executor log shows the tasks it ran");

        executorKilledMidPointIsRetried(spark, master, work);
        clusterModeDriverKilledThenRerun(spark, master);
    }

    /**
     * A sweep submitted in cluster deploy mode (the driver runs in a JVM the Worker starts):
     * kill -9 of that driver JVM once some rows are journaled (the first of its two lockstep
     * groups of 4 on the one executor core: steps enough for several seconds a group), then the same command again
     * (client mode): every point ends with exactly one row, and the rows finished before the
     * kill are not computed again.
     */
    private void clusterModeDriverKilledThenRerun(SparkInstall spark, String master) throws Exception {
        Path spec = tmp.resolve("driver-killed.yaml");
        Files.writeString(spec, """
                name: driverkilled
                seed: 12
                data: {dataset: teacher, input_dim: 8, n_train: 256, n_test: 64}
                model: {depth: 1, width: 64}
                train: {steps: 100000, lr: 0.02, batch_size: 32}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]
                """);
        String out = tmp.resolve("driver-killed").toString();
        String submitted = spark.submit(tmp.resolve("cluster-mode.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--deploy-mode", "cluster", "--driver-memory", "1g", "--executor-memory", "1g",
                "--total-executor-cores", "1", "--conf", "spark.standalone.submit.waitAppCompletion=false",
                "run", spec.toString(), "--out", out, "--no-progress");
        assertTrue(submitted.contains("driver-"), "the driver was submitted: " + submitted);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4 * START_TIMEOUT_S);
        long rows = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            if (org.sharpsweep.store.ResultsTable.exists(SharedSpark.get(), out)) {
                rows = org.sharpsweep.store.ResultsTable.raw(SharedSpark.get(), out).count();
                if (rows >= 1) break;
            }
        }
        assertTrue(rows >= 1 && rows < 8, "some rows, not all, before the kill: " + rows);
        ProcessHandle driver = ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().orElse("").contains("org.apache.spark.deploy.worker.DriverWrapper"))
                .findFirst().orElseThrow(() -> new AssertionError("no driver JVM started by the Worker"));
        driver.destroyForcibly();
        driver.onExit().get(30, TimeUnit.SECONDS);
        long journaled = org.sharpsweep.store.ResultsTable.raw(SharedSpark.get(), out).count();

        String log = spark.submit(tmp.resolve("rerun.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                "--master", master, "--executor-memory", "1g", "--total-executor-cores", "1",
                "run", spec.toString(), "--out", out, "--no-progress");
        assertTrue(log.contains("sweep driverkilled: 8 points, " + journaled + " already done, " + (8 - journaled) + " run"), log);
        Dataset<Row> all = SharedSpark.get().read().parquet(out);
        assertEquals(8, all.count(), "no row lost");
        assertEquals(8, all.select(ResultSchema.POINT_ID).distinct().count(), "no row twice");
    }

    /**
     * kill -9 of an executor JVM while it trains a point: Spark retries its tasks on the
     * executor the Worker starts instead, and the sweep completes with every row exactly once.
     */
    private void executorKilledMidPointIsRetried(SparkInstall spark, String master, Path work) throws Exception {
        Path spec = tmp.resolve("slow.yaml");
        Files.writeString(spec, """
                name: slow
                seed: 11
                data: {dataset: teacher, input_dim: 8, n_train: 256, n_test: 64}
                model: {depth: 1, width: 64}
                train: {steps: 150000, lr: 0.02, batch_size: 32}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: [0.01, 0.02, 0.03, 0.04]
                """);
        String out = tmp.resolve("slow-results").toString();
        java.util.concurrent.CompletableFuture<String> submitted = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return spark.submit(tmp.resolve("slow-submit.log"), Map.of("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G"),
                        "--master", master, "--executor-memory", "1g", "--total-executor-cores", "2",
                        "--conf", "spark.task.maxFailures=4", "run", spec.toString(), "--out", out, "--no-progress");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ProcessHandle executor = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (executor == null && System.nanoTime() < deadline && !submitted.isDone()) {
            Thread.sleep(200);
            executor = ProcessHandle.allProcesses()
                    .filter(ph -> ph.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .filter(ph -> runningATask(work, ph))
                    .findFirst().orElse(null);
        }
        assertTrue(executor != null, "an executor of the slow sweep started a task; " + SparkInstall.tail(tmp.resolve("slow-submit.log")));
        String killedApp = java.util.regex.Pattern.compile("--app-id (\\S+)").matcher(executor.info().commandLine().orElse(""))
                .results().findFirst().map(m -> m.group(1)).orElseThrow();
        executor.destroyForcibly();
        String log = submitted.get(5, TimeUnit.MINUTES);
        try (Stream<Path> executors = Files.list(work.resolve(killedApp))) {
            assertTrue(executors.count() >= 2, "the Worker started another executor after the kill");
        }
        assertTrue(log.contains("sweep slow: 4 points, 0 already done, 4 run (4 OK"), log);
        Dataset<Row> rows = SharedSpark.get().read().parquet(out);
        assertEquals(4, rows.count(), "no row lost");
        assertEquals(4, rows.select(ResultSchema.POINT_ID).distinct().count(), "no row twice");
    }

    /** Whether the executor whose command line names an app of the work dir has logged a running task. */
    private static boolean runningATask(Path work, ProcessHandle executor) {
        String cmd = executor.info().commandLine().orElse("");
        java.util.regex.Matcher app = java.util.regex.Pattern.compile("--app-id (\\S+)").matcher(cmd);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("--executor-id (\\S+)").matcher(cmd);
        if (!app.find() || !id.find()) return false;
        Path stderr = work.resolve(app.group(1)).resolve(id.group(1)).resolve("stderr");
        try {
            return Files.exists(stderr) && Files.readString(stderr).contains("Running task") && !executorOfFinishedApp(work, app.group(1));
        } catch (IOException e) {
            return false;
        }
    }

    /** The first sweep's executors may still be shutting down: only the newest application counts. */
    private static boolean executorOfFinishedApp(Path work, String appId) throws IOException {
        try (Stream<Path> apps = Files.list(work)) {
            String newest = apps.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("app-")).sorted()
                    .reduce((a, b) -> b).orElse(appId);
            return !newest.equals(appId);
        }
    }

    private void start(Path home, Path log, String mainClass, String... args) throws IOException {
        cluster.start(home, log, mainClass, args);
    }

    private static void await(Path log, String line) throws Exception {
        StandaloneCluster.await(log, line);
    }

    private static int freePort() throws IOException {
        return StandaloneCluster.freePort();
    }
}
