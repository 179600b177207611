package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
    private static final long START_TIMEOUT_S = 90;

    @TempDir
    Path tmp;

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stopCluster() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the Worker started
            p.destroyForcibly();
        }
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
    }

    private void start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SparkInstall.java()));
        for (String flag : SparkInstall.opens().split(" ")) if (!flag.isBlank()) cmd.add(flag);
        cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("SPARK_HOME", home.toString());
        b.environment().put("SPARK_SCALA_VERSION", "2.12"); // what a distribution's load-spark-env.sh exports
        // executors must choose their BLAS kernel themselves, as on a cluster of other machines
        b.environment().remove("OPENBLAS_CORETYPE");
        daemons.add(b.start());
    }

    private static void await(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(250);
        }
        fail("'" + line + "' did not appear in " + START_TIMEOUT_S + " s:\n" + SparkInstall.tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
