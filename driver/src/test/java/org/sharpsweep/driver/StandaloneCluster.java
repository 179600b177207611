package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemons of a real Spark standalone cluster for the cluster tests: a Master and Workers in
 * their own JVMs from a {@link SparkInstall}, stopped (with the executors they started) by
 * {@link #close}.
 */
final class StandaloneCluster implements AutoCloseable {
    static final long START_TIMEOUT_S = 90;

    private final List<Process> daemons = new ArrayList<>();

    /** Starts {@code mainClass} (a Master or a Worker) with the build's Spark jars, its output in {@code log}. */
    void start(Path home, Path log, String mainClass, String... args) throws IOException {
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

    /**
     * Starts a Master and one Worker of {@code cores} cores and 3 GB on 127.0.0.1, their logs
     * {@code master.log} and {@code worker.log} in {@code dir}, the executors' folders under
     * {@code work}, and waits until the Worker has registered.
     *
     * @param workerArgs more Worker options, e.g. {@code --properties-file F}
     * @return the master URL
     */
    String startMasterAndWorker(Path home, Path dir, Path work, int cores, String... workerArgs) throws Exception {
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        Path masterLog = dir.resolve("master.log");
        start(home, masterLog, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        await(masterLog, "I have been elected leader");
        Path workerLog = dir.resolve("worker.log");
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--cores", String.valueOf(cores), "--memory", "3g",
                "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString()));
        args.addAll(List.of(workerArgs));
        args.add(master);
        start(home, workerLog, "org.apache.spark.deploy.worker.Worker", args.toArray(String[]::new));
        await(workerLog, "Successfully registered with master");
        return master;
    }

    /** Waits until {@code line} appears in {@code log}, or fails with its tail. */
    static void await(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(250);
        }
        fail("'" + line + "' did not appear in " + START_TIMEOUT_S + " s:\n" + SparkInstall.tail(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the Worker started
            p.destroyForcibly();
        }
        daemons.clear();
    }
}
