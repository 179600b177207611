package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged CLI in a real pseudo-terminal ({@code script} from util-linux), as a person at a
 * terminal runs it: what it shows ({@link #screen}), keys typed ({@link #type}, {@link #key}), and
 * the terminal's own line discipline turning Ctrl-C into SIGINT. The test is skipped without
 * {@code script} or the packaged application.
 */
final class Pty implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Thread reader;

    private Pty(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(screen);
            } catch (IOException e) {
                // the process ended
            }
        }, "pty reader");
        reader.start();
    }

    /** {@code sharpsweep ARGS} in a terminal of 120 x 40, its launch script written under {@code scratch}. */
    static Pty cli(Path scratch, String... args) throws IOException {
        assumeTrue(new File("/usr/bin/script").canExecute(), "needs script (util-linux)");
        Path build = Path.of(System.getProperty("sharpsweep.buildDir", "target")).toAbsolutePath();
        Path jar = build.resolve("sharpsweep-app.jar");
        Path sparkCp = build.resolve("spark-classpath.txt");
        assumeTrue(Files.exists(jar) && Files.exists(sparkCp), "needs the packaged application");
        StringBuilder quoted = new StringBuilder();
        for (String a : args) quoted.append(" '").append(a.replace("'", "'\\''")).append('\'');
        Path launch = Files.createTempFile(scratch, "launch", ".sh");
        Files.writeString(launch, "stty cols 120 rows 40\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -XX:TieredStopAtLevel=1 " + System.getProperty("sharpsweep.opens", "")
                + " -Dlog4j2.configurationFile=" + Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/conf/log4j2.properties")
                + " -cp '" + jar + File.pathSeparator + Files.readString(sparkCp).strip() + "'"
                + " org.sharpsweep.driver.Main" + quoted + "\n");
        // 'exec': script runs the command with $SHELL -c, and a shell left waiting (dash, CI's /bin/sh)
        // turns the Ctrl-C its child handled into its own exit status 130
        return new Pty(new ProcessBuilder("/usr/bin/script", "-qfec", "exec bash " + launch, "/dev/null").redirectErrorStream(true).start());
    }

    String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** How many times the prompt was shown. */
    int prompts() {
        return screen().split(SqlShell.PROMPT, -1).length - 1;
    }

    void type(String text) throws IOException {
        OutputStream keys = process.getOutputStream();
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** One control key: 3 is Ctrl-C, 4 Ctrl-D. */
    void key(int code) throws IOException {
        OutputStream keys = process.getOutputStream();
        keys.write(code);
        keys.flush();
    }

    /** Waits up to {@code seconds} for the process to end; its exit status, or -1 if it did not. */
    int exit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) return -1;
        reader.join(10_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /**
     * Whether this JVM was started with SIGINT ignored (bit 2 of SigIgn in /proc/self/status),
     * which its children inherit: a build run in the background by a non-interactive shell passes
     * that on to the CLI, which then never sees Ctrl-C.
     */
    static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0;
        }
        return false;
    }

    static boolean waitFor(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
