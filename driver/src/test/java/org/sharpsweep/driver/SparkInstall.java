package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark installation made of the build's own Spark jars, for the cluster tests: {@code jars/}
 * links what a Spark 3.5 distribution's {@code jars/} holds (listed by the driver POM in
 * {@code cluster-classpath.txt}, plus the jars it copies to {@code cluster-extra-jars/}), and {@code bin/spark-submit} starts {@code SparkSubmit} on
 * them with the Java 17 flags, and with {@code $HADOOP_CONF_DIR} on the class path as Spark's
 * own script puts it. Also runs {@code scripts/submit} against it.
 */
final class SparkInstall {
    private static final long SUBMIT_TIMEOUT_S = 300;

    final Path home;
    final Path appJar;

    private SparkInstall(Path home, Path appJar) {
        this.home = home;
        this.appJar = appJar;
    }

    /** Builds the installation under {@code dir} from the build directory's files. */
    static SparkInstall create(Path dir) throws IOException {
        Path build = Path.of(System.getProperty("sharpsweep.buildDir", "target")).toAbsolutePath();
        Path jar = build.resolve("sharpsweep-app.jar");
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built in the package phase: " + jar);
        Path classpath = build.resolve("cluster-classpath.txt");
        assertTrue(Files.isRegularFile(classpath), "written in the package phase: " + classpath);
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<Path> targets = new ArrayList<>();
        for (String entry : Files.readString(classpath).strip().split(File.pathSeparator)) targets.add(Path.of(entry));
        try (var extra = Files.list(build.resolve("cluster-extra-jars"))) {
            extra.forEach(targets::add);
        }
        for (Path target : targets) {
            Path link = jars.resolve(target.getFileName());
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, target);
        }
        Path script = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(script, "#!/usr/bin/env bash\nexec " + java() + " " + opens()
                + " -cp \"" + jars + "/*${HADOOP_CONF_DIR:+:$HADOOP_CONF_DIR}\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new SparkInstall(home, jar);
    }

    /**
     * Runs {@code scripts/submit ARGS} with this installation as SPARK_HOME and small ND4J limits,
     * and returns its output; fails the test if it does not exit 0 in time.
     */
    String submit(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("scripts/submit").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("SPARK_HOME", home.toString());
        b.environment().put("SHARPSWEEP_JAR", appJar.toString());
        b.environment().put("SHARPSWEEP_ND4J_MAXBYTES", "1G");
        b.environment().remove("OPENBLAS_CORETYPE"); // as a user who never heard of it: every JVM chooses for its CPU
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(SUBMIT_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("scripts/submit did not finish in " + SUBMIT_TIMEOUT_S + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) fail("scripts/submit exited " + p.exitValue() + ":\n" + tail(log));
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The last few thousand characters of a log, for failure messages. */
    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no log)";
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 6000));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String opens() {
        return System.getProperty("sharpsweep.opens", "");
    }
}
