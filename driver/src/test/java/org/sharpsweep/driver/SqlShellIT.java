package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * {@code sharpsweep sql DIR} without a query: many queries in one session, read from standard
 * input, from a JLine terminal in this JVM, and from a real pseudo-terminal ({@code script}).
 * The table has four rows of three points; point c FAILED and was retried, so the view
 * {@code results} has three rows, lr 0.1, 0.2 and 0.3.
 */
class SqlShellIT {
    @TempDir
    static Path tmp;
    static String dir;

    @BeforeAll
    static void table() {
        dir = tmp.resolve("results").toString();
        write(SharedSpark.get(), dir, SaveMode.ErrorIfExists,
                row("a", "OK", 0.1, 1), row("b", "OK", 0.2, 2), row("c", "FAILED", 0.3, 3), row("c", "OK", 0.3, 4));
    }

    static Row row(String pointId, String status, double lr, long second) {
        StructType schema = SparkSchema.results();
        Object[] v = new Object[schema.size()];
        v[schema.fieldIndex(ResultSchema.SWEEP_ID)] = "s";
        v[schema.fieldIndex(ResultSchema.POINT_ID)] = pointId;
        v[schema.fieldIndex(ResultSchema.STATUS)] = status;
        v[schema.fieldIndex("lr")] = lr;
        v[schema.fieldIndex(ResultSchema.START_TIME)] = new Timestamp(second * 1000);
        return RowFactory.create(v);
    }

    static void write(SparkSession spark, String dir, SaveMode mode, Row... rows) {
        spark.createDataFrame(List.of(rows), SparkSchema.results()).coalesce(1)
                .write().mode(mode).partitionBy(ResultSchema.SWEEP_ID).parquet(dir);
    }

    /** Runs {@code sharpsweep ARGS} with {@code stdin} as standard input; returns {status, stdout, stderr}. */
    static String[] withStdin(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(args);
            return new String[]{String.valueOf(status), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void readsQueriesFromStandardInputAndGoesOnAfterAnError() {
        String[] r = withStdin("""
                SELECT count(*) AS n FROM results;
                SELECT lr
                  FROM results   -- a comment; not the end
                  ORDER BY lr;
                SELECT nope FROM results;
                help
                SELECT 'a;b' AS s; SELECT count(*) AS raw FROM parquet.`%s`;
                quit
                SELECT 99 AS after_quit;
                """.formatted(dir), "sql", dir, "--format", "csv");
        assertEquals("2", r[0], "a failed query makes the exit status 2\n" + r[2]);
        String expected = "n\n3\nlr\n0.1\n0.2\n0.3\n" + SqlShell.HELP + "s\na;b\nraw\n4\n";
        assertEquals(expected, r[1]);
        List<String> errors = r[2].lines().filter(l -> l.contains("error")).toList();
        assertEquals(1, errors.size(), r[2]);
        assertFalse(r[2].contains("\tat "), "no stack trace\n" + r[2]);
        assertTrue(errors.get(0).startsWith("error: query failed: [UNRESOLVED_COLUMN"), errors.get(0));
    }

    /**
     * Issue 19, finding 8: a query too long for Spark's parser (10,000 lines) is one error line
     * and the queries after it run; input that ends inside a query (an unclosed string, quoted
     * name, comment or parenthesis) is said to be incomplete, and the cut-off text is not run.
     */
    @Test
    void aQueryTooLongForTheParserAndInputEndingInsideAQueryAreOneErrorLineEach() {
        // 10,000 lines nesting parentheses 10,000 deep: Spark's parser recurses per level and runs out of stack
        StringBuilder huge = new StringBuilder("SELECT\n");
        for (int i = 0; i < 5_000; i++) huge.append("((\n");
        huge.append("1");
        for (int i = 0; i < 5_000; i++) huge.append("\n))");
        String[] r = withStdin(huge + " AS deep;\nSELECT count(*) AS n FROM results;\n", "sql", dir, "--format", "csv");
        assertEquals("2", r[0], r[2]);
        assertEquals("n\n3\n", r[1], "the query after it ran");
        assertFalse(r[2].contains("\tat ") || r[2].contains("StackOverflowError\n"), "no stack trace: " + r[2].substring(0, Math.min(2000, r[2].length())));
        List<String> errors = r[2].lines().filter(l -> l.startsWith("error")).toList();
        assertEquals(1, errors.size(), r[2]);
        assertTrue(errors.get(0).contains("too long or too deeply nested"), errors.get(0));

        for (String cut : List.of("SELECT lr FROM results WHERE sweep_id = 's", "SELECT `lr FROM results",
                "SELECT lr FROM results /* the rest", "SELECT lr FROM results WHERE lr IN (0.1, 0.2")) {
            String[] c = withStdin("SELECT count(*) AS n FROM results;\n" + cut + "\n", "sql", dir, "--format", "csv");
            assertEquals("2", c[0], cut + ": " + c[2]);
            assertEquals("n\n3\n", c[1], cut + ": the cut-off text is not run");
            assertTrue(c[2].startsWith("error: the input ended inside a query"), cut + ": " + c[2]);
            assertEquals(1, c[2].lines().count(), c[2]);
        }
    }

    @Test
    void aPipeWithoutErrorsExitsZeroAndKeepsFormatAndMaxRows() {
        String[] r = withStdin("SELECT lr FROM results ORDER BY lr DESC;\nSELECT count(*) AS n FROM results",
                "sql", dir, "--format", "json", "--max-rows", "2");
        assertEquals("0", r[0], r[2]);
        assertEquals("{\"lr\":0.3}\n{\"lr\":0.2}\n{\"n\":3}\n", r[1], "the last query needs no ';'");
        String[] table = withStdin("SELECT lr FROM results ORDER BY lr;", "sql", dir, "--max-rows", "1");
        assertTrue(table[1].contains("(1 row, more not shown: --max-rows)"), table[1]);
    }

    @Test
    void oneQueryAndItsExitStatusesAreAsBefore() {
        String[] ok = withStdin("", "sql", dir, "SELECT count(*) AS n FROM results", "--format", "csv");
        assertEquals("0", ok[0]);
        assertEquals("n\n3\n", ok[1]);
        assertEquals("2", withStdin("", "sql", dir, "SELECT nope FROM results")[0]);
        assertEquals("2", withStdin("SELECT 1;", "sql", tmp.resolve("nothing").toString())[0]);
        assertEquals("2", withStdin("", "sql", dir, "SELECT 1", "--format", "xml")[0]);
    }

    @Test
    void eachQuerySeesRowsWrittenSinceTheLastOne() throws IOException {
        String grown = tmp.resolve("grown").toString();
        SparkSession spark = SharedSpark.get();
        write(spark, grown, SaveMode.ErrorIfExists, row("a", "OK", 0.1, 1));
        SqlCommand.Queries q = new SqlCommand.Queries(spark, grown, "csv", 10);
        q.register();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(out, true, StandardCharsets.UTF_8);
        assertTrue(SqlShell.execute(q, "SELECT count(*) AS n FROM results", w, w, false));
        write(spark, grown, SaveMode.Append, row("b", "OK", 0.2, 2));
        assertTrue(SqlShell.execute(q, "SELECT count(*) AS n FROM results", w, w, false));
        assertEquals("n\n1\nn\n2\n", out.toString(StandardCharsets.UTF_8));
    }

    /** The prompt's own code path (JLine line reader, multi-line input, history, exit) on a JLine terminal in this JVM. */
    @Test
    void thePromptOnAJLineTerminal() throws Exception {
        Path history = tmp.resolve("history-jline");
        String typed = "SELECT count(*) AS n\nFROM results;\nSELECT nope FROM results;\nhelp\nSELECT 1 != 2 AS t;\nexit\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        int status;
        // a keyboard that stays open after its last key, as a real one does (JLine drops what is
        // unread when its input ends)
        PipedOutputStream keys = new PipedOutputStream();
        try (Terminal t = TerminalBuilder.builder().system(false).type("xterm").size(new Size(120, 40))
                .streams(new PipedInputStream(keys, 1 << 16), screen).build()) {
            keys.write(typed.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            SqlCommand.Queries q = new SqlCommand.Queries(SharedSpark.get(), dir, "table", 100);
            q.register();
            status = SqlShell.interactive(q, t, history);
            // the terminal copies its output to the screen in a thread of its own
            Pty.waitFor(() -> screen.toString(StandardCharsets.UTF_8).contains("true"), 10);
        } finally {
            keys.close();
        }
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, shown);
        assertTrue(shown.contains(SqlShell.PROMPT), shown);
        assertTrue(shown.contains(SqlShell.MORE), "a second line is prompted for\n" + shown);
        assertTrue(shown.matches("(?s).*n\\s+-+\\s+3\\s+\\(1 row\\).*"), shown);
        assertTrue(shown.contains("error: query failed: [UNRESOLVED_COLUMN"), shown);
        assertTrue(shown.contains("quit, exit"), "help is shown\n" + shown);
        assertTrue(shown.matches("(?s).*t\\s+-+\\s+true.*"), "'!' is not a history event\n" + shown);
        String saved = Files.readString(history);
        assertTrue(saved.contains("SELECT count(*) AS n\\nFROM results;"), saved);
        assertTrue(saved.contains("SELECT 1 != 2 AS t;"), saved);
    }

    /**
     * The CLI in a real pseudo-terminal ({@link Pty}): the prompt, a query, Ctrl-C on a long
     * query, Ctrl-D. Skipped without {@code script}.
     */
    @Test
    void theCliInAPseudoTerminal() throws Exception {
        String shown;
        try (Pty pty = Pty.cli(tmp, "sql", dir, "--history", tmp.resolve("history-pty").toString())) {
            assertTrue(Pty.waitFor(() -> pty.screen().contains(SqlShell.PROMPT), 120), "no prompt:\n" + pty.screen());
            pty.type("SELECT count(*) AS n FROM results;\n");
            assertTrue(Pty.waitFor(() -> pty.screen().contains("(1 row)"), 120), "no answer:\n" + pty.screen());
            assertTrue(Pty.waitFor(() -> pty.prompts() >= 2, 60), "no second prompt:\n" + pty.screen());
            // Ctrl-C cancels a long query (minutes) and the session goes on
            if (!Pty.sigintIgnored()) {
                pty.type("SELECT sum(id) AS s FROM range(0, 100000000000);\n");
                Thread.sleep(2000);
                pty.key(3);
                assertTrue(Pty.waitFor(() -> pty.screen().contains("error: ") && pty.prompts() >= 3, 60),
                        "Ctrl-C did not cancel the query:\n" + pty.screen());
            } else {
                System.out.println("SqlShellIT: SIGINT is ignored in this JVM (started in the background): Ctrl-C not tested");
            }
            // Ctrl-D at the prompt (the terminal is in raw mode then) ends the session
            pty.key(4);
            int status = pty.exit(60);
            shown = pty.screen();
            assertEquals(0, status, shown);
        }
        assertTrue(shown.matches("(?s).*n\\s+-+\\s+3\\s+\\(1 row\\).*"), shown);
        assertFalse(shown.contains("Exception"), shown);
        assertTrue(Files.readString(tmp.resolve("history-pty")).contains("SELECT count(*) AS n FROM results;"));
    }
}
