package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sharpsweep command line run in this JVM ({@link Main#execute}) with what it prints to
 * standard output and standard error captured together: the one helper the integration tests
 * share for commands whose output they read; and in a JVM of its own ({@link #start}), for the
 * tests that kill it, halt it at a fault point or read what its own Spark context does.
 */
final class Cli {
    private Cli() {
    }

    /** {exit status, everything printed} of {@code sharpsweep args...}. */
    static String[] run(String... args) {
        String[] out = new String[1];
        int[] code = new int[1];
        out[0] = capture(() -> code[0] = Main.execute(args), true);
        return new String[] {String.valueOf(code[0]), out[0]};
    }

    /** What {@code sharpsweep args...} prints, asserting its exit status and that no stack trace was printed. */
    static String expect(int status, String... args) {
        String[] r = run(args);
        assertEquals(status, Integer.parseInt(r[0]), String.join(" ", args) + ": " + r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
        return r[1];
    }

    /** What {@code r} prints to standard output (and, with {@code stderr}, to standard error too). */
    static String capture(Runnable r, boolean stderr) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream both = new PrintStream(buf, true);
        System.setOut(both);
        if (stderr) System.setErr(both);
        try {
            r.run();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return buf.toString();
    }

    /**
     * {@code sharpsweep args...} started in a JVM of its own (this test JVM's classpath and module
     * flags, then {@code jvmFlags}: a fault point, a system property), everything it prints into
     * {@code log}.
     */
    static Process start(Path log, List<String> jvmFlags, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("sharpsweep.opens", "").split(" ")) if (!flag.isBlank()) cmd.add(flag);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
