package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's regression corpus through the command line as a user meets it: every malformed spec
 * of {@code sweeps/src/test/resources/corpus/bad-specs.txt} (format at its top) given to
 * {@code validate} and to {@code run}, and damaged copies of the real Fashion-MNIST given to
 * {@code run}: exit status 2, one message naming the key or file and the value, nothing written.
 */
class BadInputCorpusIT {
    record Case(String id, List<String> expect, String spec) {
    }

    @TempDir
    static Path tmp;

    static List<Case> corpus() throws IOException {
        Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("sweeps/src/test/resources/corpus/bad-specs.txt");
        List<Case> cases = new ArrayList<>();
        String id = null;
        List<String> expect = null;
        StringBuilder spec = null;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("=== ")) {
                if (id != null) cases.add(new Case(id, expect, spec.toString()));
                id = line.substring(4).trim();
                expect = new ArrayList<>();
                spec = new StringBuilder();
            } else if (id != null && spec.length() == 0 && line.startsWith("expect: ")) {
                expect.add(line.substring("expect: ".length()));
            } else if (id != null) {
                spec.append(line).append('\n');
            }
        }
        if (id != null) cases.add(new Case(id, expect, spec.toString()));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedSpecIsRefusedByValidateAndRunWithNothingWritten() throws IOException {
        List<Case> cases = corpus();
        assertTrue(cases.size() >= 100, "the corpus has " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Path spec = tmp.resolve(c.id() + ".yaml");
            Files.writeString(spec, c.spec());
            Path out = tmp.resolve("out-" + c.id());
            for (String[] args : List.of(new String[]{"validate", spec.toString()},
                    new String[]{"run", spec.toString(), "--out", out.toString(), "--master", "local[1]"})) {
                String err = refuse(args);
                for (String fragment : c.expect()) {
                    assertTrue(err.contains(fragment), args[0] + " " + c.id() + ": expected '" + fragment + "' in: " + err);
                }
                assertFalse(Files.exists(out), c.id() + ": nothing written");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> damagedDataIsRefusedBeforeAnyWork() throws IOException {
        Path real = Path.of("/usr/share/datasets/fashion-mnist");
        assertTrue(Files.isDirectory(real), "the real Fashion-MNIST (Debian package dataset-fashion-mnist) is needed");
        record Damage(String name, String file, String expect, Damager how) {
        }
        List<Damage> damages = List.of(
                new Damage("truncated-gzip", "t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                        (in, out) -> Files.write(out, java.util.Arrays.copyOf(Files.readAllBytes(in), (int) Files.size(in) / 2))),
                new Damage("label-200", "t10k-labels-idx1-ubyte.gz", "200", (in, out) -> {
                    byte[] b = gunzip(in);
                    b[8 + 17] = (byte) 200;
                    gzip(b, out);
                }),
                new Damage("short-labels", "train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz", (in, out) -> {
                    byte[] b = gunzip(in);
                    gzip(java.util.Arrays.copyOf(b, b.length - 1000), out);
                }));
        return damages.stream().map(d -> DynamicTest.dynamicTest(d.name(), () -> {
            Path dir = tmp.resolve("data-" + d.name());
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(real)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = dir.resolve(f.getFileName().toString());
                    if (f.getFileName().toString().equals(d.file())) d.how().damage(f, to);
                    else Files.createSymbolicLink(to, f);
                }
            }
            Path spec = tmp.resolve(d.name() + ".yaml");
            Files.writeString(spec, """
                    name: damaged
                    data: {dataset: fashion-mnist, path: %s, n_train: 100, n_test: 100}
                    train: {steps: 1}
                    """.formatted(dir));
            Path out = tmp.resolve("out-" + d.name());
            String err = refuse("run", spec.toString(), "--out", out.toString(), "--master", "local[1]");
            assertTrue(err.contains(d.expect()), d.name() + ": " + err);
            assertFalse(Files.exists(out), d.name() + ": nothing written");
        }));
    }

    interface Damager {
        void damage(Path in, Path out) throws IOException;
    }

    private static byte[] gunzip(Path f) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return in.readAllBytes();
        }
    }

    private static void gzip(byte[] b, Path f) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(b);
        }
    }

    /** Runs the CLI, expects exit 2 and one line on stderr without a stack trace; returns stderr. */
    private static String refuse(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setErr(old);
        }
        String text = err.toString();
        assertEquals(2, code, String.join(" ", args) + ": " + text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertTrue(text.strip().lines().count() <= 2, "one clear message: " + text);
        return text;
    }
}
