package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SaveMode;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sharpsweep sql --server URL} against a running JDBC endpoint ({@link JdbcEndpoint}) on
 * the table of {@link SqlShellIT} (three points, c retried): one query and the prompt answer as
 * {@code sql DIR} does, in every format; refusals, bad URLs, an endpoint that is not there and
 * one that goes away are one line each; and the packaged CLI answers without loading Spark.
 */
class SqlServerIT {
    @TempDir
    static Path tmp;
    static String dir;
    static JdbcEndpoint endpoint;
    static String url;

    @BeforeAll
    static void start() {
        dir = tmp.resolve("results").toString();
        SqlShellIT.write(SharedSpark.get(), dir, SaveMode.ErrorIfExists,
                SqlShellIT.row("a", "OK", 0.1, 1), SqlShellIT.row("b", "OK", 0.2, 2),
                SqlShellIT.row("c", "FAILED", 0.3, 3), SqlShellIT.row("c", "OK", 0.3, 4));
        endpoint = JdbcEndpoint.start(SharedSpark.get(), dir, "127.0.0.1", 0);
        url = endpoint.url();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) endpoint.close();
    }

    /** Every column type the views have (string, double, long, int, boolean, timestamp, null), in every format. */
    @Test
    void oneQueryAnswersAsSqlDirDoesInEveryFormat() {
        String query = "SELECT point_id, status, lr, seed, width, sam_adaptive, error, start_time, 1e-5 * lr AS small "
                + "FROM results ORDER BY point_id";
        for (String format : SqlCommand.FORMATS) {
            String[] local = SqlShellIT.withStdin("", "sql", dir, query, "--format", format);
            String[] remote = SqlShellIT.withStdin("", "sql", "--server", url, query, "--format", format);
            assertEquals("0", local[0], local[2]);
            assertEquals("0", remote[0], remote[2]);
            assertEquals(local[1], remote[1], format);
            assertTrue(remote[1].contains("0.3"), remote[1]);
        }
        String[] two = SqlShellIT.withStdin("", "sql", "--server", url, "SELECT lr FROM results ORDER BY lr", "--max-rows", "2");
        assertTrue(two[1].contains("(2 rows, more not shown: --max-rows)"), two[1]);
        String[] json = SqlShellIT.withStdin("", "sql", "--server=" + url, "SELECT lr FROM results ORDER BY lr", "--format", "json",
                "--max-rows", "2");
        assertEquals("{\"lr\":0.1}\n{\"lr\":0.2}\n", json[1]);
    }

    @Test
    void refusalsAndFailedQueriesAreOneLineWithExitStatus2() {
        String[] drop = SqlShellIT.withStdin("", "sql", "--server", url, "DROP VIEW results");
        assertEquals("2", drop[0]);
        assertEquals(1, drop[2].lines().count(), drop[2]);
        assertTrue(drop[2].startsWith("error: the JDBC endpoint runs queries only (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN); "
                + "'DROP VIEW results ...' is not a query (DropView)"), drop[2]);
        String[] typo = SqlShellIT.withStdin("", "sql", "--server", url, "SELECT nope FROM results");
        assertEquals("2", typo[0]);
        assertEquals(1, typo[2].lines().count(), typo[2]);
        assertTrue(typo[2].startsWith("error: query failed: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column"), typo[2]);
    }

    @Test
    void thePromptReadsStandardInput() {
        String[] r = SqlShellIT.withStdin("SELECT count(*) AS n FROM results;\nSELECT nope FROM results;\nhelp\nSELECT 2 AS two",
                "sql", "--server", url, "--format", "csv");
        assertEquals("2", r[0], r[2]);
        assertEquals("n\n3\n" + SqlShell.HELP + "two\n2\n", r[1]);
        assertEquals(1, r[2].lines().count(), r[2]);
    }

    /** The prompt's own code path (JLine, multi-line input, the first line naming the server) on a JLine terminal in this JVM. */
    @Test
    void thePromptOnAJLineTerminal() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PipedOutputStream keys = new PipedOutputStream();
        int status;
        try (Terminal t = TerminalBuilder.builder().system(false).type("xterm").size(new Size(120, 40))
                .streams(new PipedInputStream(keys, 1 << 16), screen).build();
                JdbcQueries q = JdbcQueries.connect(url, "table", 100)) {
            keys.write("SELECT count(*) AS n\nFROM results;\nSELECT nope FROM results;\nexit\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            status = SqlShell.interactive(q, t, tmp.resolve("history"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!screen.toString(StandardCharsets.UTF_8).contains("UNRESOLVED_COLUMN") && System.nanoTime() < end) Thread.sleep(50);
        } finally {
            keys.close();
        }
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, shown);
        assertTrue(shown.contains("sharpsweep sql: server " + url), shown);
        assertTrue(shown.contains(SqlShell.MORE), "a second line is prompted for\n" + shown);
        assertTrue(shown.matches("(?s).*n\\s+-+\\s+3\\s+\\(1 row\\).*"), shown);
        assertTrue(shown.contains("error: query failed: [UNRESOLVED_COLUMN"), shown);
    }

    /**
     * Ctrl-C at the prompt of {@code sql --server} in a real pseudo-terminal ({@link Pty})
     * cancels the query running on the server (the shell cancels the JDBC statement, the server
     * its Spark job) and the session goes on: the next query is answered.
     */
    @Test
    void ctrlCCancelsTheQueryOnTheServerAndTheSessionGoesOn() throws Exception {
        assumeTrue(!Pty.sigintIgnored(), "SIGINT is ignored in this JVM (started in the background): the CLI would never see Ctrl-C");
        try (Pty pty = Pty.cli(tmp, "sql", "--server", url, "--history", tmp.resolve("history-server-pty").toString())) {
            assertTrue(Pty.waitFor(() -> pty.screen().contains(SqlShell.PROMPT), 120), "no prompt:\n" + pty.screen());
            pty.type("SELECT sum(id) AS s FROM range(0, 100000000000);\n");
            Thread.sleep(3000); // running on the server: minutes
            long start = System.nanoTime();
            pty.key(3);
            assertTrue(Pty.waitFor(() -> pty.screen().contains("error: ") && pty.prompts() >= 2, 60),
                    "Ctrl-C did not cancel the query:\n" + pty.screen());
            System.out.printf("sql --server: Ctrl-C cancelled the query in %.2f s%n", (System.nanoTime() - start) / 1e9);
            pty.type("SELECT count(*) AS n FROM results;\n");
            assertTrue(Pty.waitFor(() -> pty.screen().contains("(1 row)"), 60), "no answer after the cancel:\n" + pty.screen());
            pty.key(4);
            String shown = pty.screen();
            assertEquals(0, pty.exit(60), shown);
            assertTrue(shown.matches("(?s).*error: .*n\\s+-+\\s+3\\s+\\(1 row\\).*"), shown);
            assertFalse(shown.contains("Exception"), shown);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() throws Exception {
        for (String bad : List.of("http://127.0.0.1:10000", "jdbc:hive2://127.0.0.1", "jdbc:hive2://127.0.0.1:99999", "127.0.0.1:10000",
                "jdbc:hive2://127.0.0.1:10000/other")) {
            String[] r = SqlShellIT.withStdin("", "sql", "--server", bad, "SELECT 1");
            assertEquals("2", r[0], bad);
            assertEquals("error: --server must be the URL of a JDBC endpoint, jdbc:hive2://HOST:PORT (as the endpoint prints it), got '"
                    + bad + "'\n", r[2]);
        }
        String[] both = SqlShellIT.withStdin("", "sql", "--server", url, dir, "SELECT 1");
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("with --server, sql takes QUERY alone"), both[2]);
        String[] dirOnly = SqlShellIT.withStdin("", "sql", "--server", url, dir);
        assertEquals("2", dirOnly[0]);
        assertTrue(dirOnly[2].contains("with --server, give no DIR") && dirOnly[2].contains(dir), dirOnly[2]);
        String[] master = SqlShellIT.withStdin("", "sql", "--server", url, "--master", "local[1]", "SELECT 1");
        assertEquals("2", master[0]);
        assertTrue(master[2].contains("--master starts Spark here"), master[2]);
        String[] nothing = SqlShellIT.withStdin("", "sql");
        assertEquals("2", nothing[0]);
        assertTrue(nothing[2].contains("sql needs DIR, a results table directory, or --server"), nothing[2]);
    }

    @Test
    void anEndpointThatIsNotThereOrGoesAwayIsNamed() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            free = s.getLocalPort();
        }
        String nobody = "jdbc:hive2://127.0.0.1:" + free;
        String[] r = SqlShellIT.withStdin("", "sql", "--server", nobody, "SELECT 1");
        assertEquals("2", r[0]);
        assertEquals("error: cannot reach a JDBC endpoint at " + nobody + ": Connection refused (start one with: sharpsweep serve DIR "
                + "--jdbc-port PORT)\n", r[2].replace("Connection refused (Connection refused)", "Connection refused"));

        JdbcEndpoint leaving = JdbcEndpoint.start(SharedSpark.get(), dir, "127.0.0.1", 0);
        try (JdbcQueries q = JdbcQueries.connect(leaving.url(), "csv", 10)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            q.run("SELECT count(*) AS n FROM results", new PrintWriter(out, true));
            assertEquals("n\n3\n", out.toString(StandardCharsets.UTF_8));
            leaving.close();
            // the statement the connection's server thread was waiting for fails in the stopped server; then the server
            // closes the connection
            assertThrows(RuntimeException.class, () -> q.run("SELECT 1", new PrintWriter(out, true)));
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> q.run("SELECT 1", new PrintWriter(out, true)));
            assertTrue(gone.getMessage().startsWith("the JDBC endpoint at " + leaving.url() + " closed the connection"), gone.getMessage());
        } finally {
            leaving.close();
        }
    }

    /**
     * The packaged CLI as users start it (scripts/sharpsweep): a JVM on the application jar and the
     * Hive JDBC driver's jars answers, and loads no Spark class. Skipped without the packaged build.
     */
    @Test
    void theScriptAnswersWithoutLoadingSpark() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path build = Path.of(System.getProperty("sharpsweep.buildDir", "target")).toAbsolutePath();
        assumeTrue(build.equals(root.resolve("driver").resolve("target")) && Files.exists(build.resolve("jdbc-classpath.txt"))
                && Files.exists(build.resolve("sharpsweep-app.jar")), "needs the packaged application in driver/target");
        Path classes = tmp.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("scripts").resolve("sharpsweep").toString(), "sql", "--server", url,
                "SELECT count(*) AS n FROM results", "--format", "csv").redirectErrorStream(true);
        pb.environment().put("SHARPSWEEP_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + classes);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.printf("sql --server by scripts/sharpsweep: %.2f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals(0, p.exitValue(), out);
        assertEquals("n\n3\n", out);
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("org.apache.hive.jdbc.HiveConnection")), "the log lists the classes");
        List<String> spark = loaded.stream().filter(l -> l.contains(" org.apache.spark.") || l.contains(" scala.")).toList();
        assertTrue(spark.isEmpty(), "no Spark or Scala class: " + spark.subList(0, Math.min(5, spark.size())));
        assertFalse(out.contains("SLF4J"), out);
    }
}
