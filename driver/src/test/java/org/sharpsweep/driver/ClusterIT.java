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

/**
 * A sweep on a real Spark standalone cluster: a Master and a Worker in their own JVMs, the
 * Worker launching executor JVMs, and the sweep submitted with {@code scripts/submit} and the
 * shaded application jar, as a user would on a cluster. What local mode cannot show is checked
 * here: closures and results cross JVMs, executors load ND4J from the application jar, and
 * executors get the Java 17 flags from the script.
 *
 * <p>The Spark installation is the build's own Spark jars (what a Spark 3.5 distribution's
 * {@code jars/} holds, listed by the driver POM in {@code cluster-classpath.txt}) with a
 * {@code bin/spark-submit} that starts {@code SparkSubmit} on them.
 */
class ClusterIT {
    private static final long START_TIMEOUT_S = 90;
    private static final long SWEEP_TIMEOUT_S = 300;

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
        Path build = Path.of(System.getProperty("sharpsweep.buildDir", "target")).toAbsolutePath();
        Path jar = build.resolve("sharpsweep-app.jar");
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built in the package phase: " + jar);
        Path home = sparkHome(build.resolve("cluster-classpath.txt"));

        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        Path masterLog = tmp.resolve("master.log");
        start(home, masterLog, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        await(masterLog, "I have been elected leader");
        Path workerLog = tmp.resolve("worker.log");
        Path work = tmp.resolve("work");
        start(home, workerLog, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(), master);
        await(workerLog, "Successfully registered with master");

        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String out = tmp.resolve("results").toString();
        ProcessBuilder submit = new ProcessBuilder(root.resolve("scripts/submit").toString(),
                "--master", master, "--executor-memory", "1g", "--total-executor-cores", "2",
                "run", "tiny", "--out", out, "--no-progress");
        Map<String, String> env = submit.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SHARPSWEEP_JAR", jar.toString());
        env.put("SHARPSWEEP_ND4J_MAXBYTES", "1G");
        env.put("SHARPSWEEP_ND4J_MAXPHYSICALBYTES", "3G");
        Path submitLog = tmp.resolve("submit.log");
        Process p = submit.redirectErrorStream(true).redirectOutput(submitLog.toFile()).start();
        if (!p.waitFor(SWEEP_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("scripts/submit did not finish in " + SWEEP_TIMEOUT_S + " s:\n" + tail(submitLog));
        }
        String log = Files.readString(submitLog, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "scripts/submit failed:\n" + tail(submitLog) + "\nworker:\n" + tail(workerLog));
        assertTrue(log.contains("sweep tiny: 8 points, 0 already done, 8 run (8 OK"), tail(submitLog));

        Dataset<Row> rows = SharedSpark.get().read().parquet(out);
        assertEquals(8, rows.count());
        assertEquals(8, rows.filter(col(ResultSchema.STATUS).equalTo("OK")
                .and(col(ResultSchema.SHARPNESS).isNotNull())
                .and(col(ResultSchema.NONUNIFORMITY).isNotNull())).count());
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

    /** A Spark home: jars/ linking the build's Spark jars, and bin/spark-submit over them. */
    private Path sparkHome(Path classpathFile) throws IOException {
        assertTrue(Files.isRegularFile(classpathFile), "written in the package phase: " + classpathFile);
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : Files.readString(classpathFile).strip().split(java.io.File.pathSeparator)) {
            Path jarFile = Path.of(entry);
            Path link = jars.resolve(jarFile.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, jarFile);
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path script = bin.resolve("spark-submit");
        Files.writeString(script, "#!/usr/bin/env bash\nexec " + java() + " " + opens()
                + " -cp \"" + jars + "/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private void start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        for (String flag : opens().split(" ")) if (!flag.isBlank()) cmd.add(flag);
        cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("SPARK_HOME", home.toString());
        b.environment().put("SPARK_SCALA_VERSION", "2.12"); // what a distribution's load-spark-env.sh exports
        daemons.add(b.start());
    }

    private static void await(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(250);
        }
        fail("'" + line + "' did not appear in " + START_TIMEOUT_S + " s:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no log)";
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 6000));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String opens() {
        return System.getProperty("sharpsweep.opens", "");
    }
}
