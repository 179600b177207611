package org.sharpsweep.driver;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the class archive of {@code sharpsweep sql --server} ({@code
 * scripts/sql-archive} runs it under {@code -XX:ArchiveClassesAtExit}, on the class path of that
 * command: the application jar and the Hive JDBC driver's jars, no Spark): it asks a running
 * endpoint over the table of {@link SqlClassArchive} the ways {@code sql --server} does (one
 * query in each format, a failing one, the prompt on standard input), so that the classes of
 * the driver, Thrift and picocli's parsing are in the archive when the next JVM starts. Nothing
 * here may name a Spark class: this JVM has none.
 */
public final class SqlClientArchive {
    private SqlClientArchive() {
    }

    public static void main(String[] args) {
        if (args.length != 1) throw new IllegalArgumentException("usage: SqlClientArchive jdbc:hive2://HOST:PORT");
        String url = args[0];
        String query = "SELECT status, count(*) AS n, avg(lr) AS lr FROM results WHERE lr > 0 GROUP BY status ORDER BY status";
        for (String format : SqlCommand.FORMATS) check(Main.execute("sql", "--server", url, query, "--format", format));
        InputStream stdin = System.in;
        PrintStream stderr = System.err;
        System.setIn(new ByteArrayInputStream(("help\nSELECT count(*) FROM results;\nSELECT nope FROM results;\n")
                .getBytes(StandardCharsets.UTF_8)));
        System.setErr(new PrintStream(System.out, true)); // the expected error of the last query
        try {
            if (Main.execute("sql", "--server", url) != 2) throw new IllegalStateException("the failing query did not fail");
        } finally {
            System.setIn(stdin);
            System.setErr(stderr);
        }
    }

    private static void check(int status) {
        if (status != 0) throw new IllegalStateException("sql --server exited with " + status);
    }
}
