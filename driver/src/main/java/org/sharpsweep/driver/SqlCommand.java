package org.sharpsweep.driver;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.analysis.ResultsTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep sql DIR [QUERY]}: one query and exit, or, without a query, a prompt that
 * answers many queries from one Spark session ({@link SqlShell}). It only reads: the table is
 * registered as the temporary view {@code results} ({@link ResultsTable#register}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL queries over a results table, registered as view 'results'.",
                "Without QUERY: a prompt (one Spark session, many queries, history; end a query with ';'),",
                "or, when standard input is not a terminal, the ';'-separated queries read from it."})
final class SqlCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("table", "csv", "json");

    @Parameters(index = "0", paramLabel = "DIR", description = "results table directory")
    String dir;
    @Parameters(index = "1", arity = "0..1", paramLabel = "QUERY",
            description = "e.g. \"SELECT lr, avg(sharpness) FROM results GROUP BY lr\"; omit for the prompt")
    String query;
    @Option(names = "--format", defaultValue = "table", description = "table | csv | json (default: ${DEFAULT-VALUE})")
    String format;
    @Option(names = "--max-rows", defaultValue = "1000", description = "rows printed at most (default: ${DEFAULT-VALUE})")
    int maxRows;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: " + SparkSessions.QUERY_MASTER + ")")
    String master;
    @Option(names = "--history", paramLabel = "FILE", description = "the prompt's history (default: ~/.sharpsweep_history)")
    Path history = Path.of(System.getProperty("user.home"), ".sharpsweep_history");

    @Override
    public Integer call() {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("--format must be table | csv | json, got '" + format + "'");
        }
        if (maxRows < 1) throw new IllegalArgumentException("--max-rows must be >= 1, got " + maxRows);
        try (SparkSessions.Handle session = SparkSessions.openForQueries("sharpsweep sql", master, List.of())) {
            Queries queries = new Queries(session.spark(), dir, format, maxRows);
            queries.register();
            if (query != null) {
                queries.print(queries.sql(query), new PrintWriter(System.out, true));
                return 0;
            }
            return SqlShell.run(queries, history);
        }
    }

    /** Runs queries over one table in one session and prints their answers in one format. */
    static final class Queries {
        final SparkSession spark;
        final String dir;
        final String format;
        final int maxRows;

        Queries(SparkSession spark, String dir, String format, int maxRows) {
            this.spark = spark;
            this.dir = dir;
            this.format = format;
            this.maxRows = maxRows;
        }

        /**
         * (Re-)registers the view {@code results}: the files are listed now, so rows written
         * since the last call (a running sweep, a compaction) become visible.
         */
        void register() {
            ResultsTable.register(spark, dir);
        }

        /** The plan of {@code query}; a query Spark cannot parse or resolve is an {@link IllegalArgumentException}. */
        Dataset<Row> sql(String query) {
            try {
                return spark.sql(query);
            } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
                if (e instanceof AnalysisException ae) {
                    throw new IllegalArgumentException("query failed: " + ae.getSimpleMessage(), ae);
                }
                if (e instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e);
            }
        }

        /** Runs {@code result} and prints at most {@link #maxRows} rows in {@link #format}. */
        void print(Dataset<Row> result, PrintWriter out) {
            switch (format) {
                case "table" -> out.print(TextTable.render(result, maxRows));
                case "json" -> result.limit(maxRows).toJSON().collectAsList().forEach(out::println);
                default -> {
                    out.println(String.join(",", result.columns()));
                    for (Row r : result.limit(maxRows).collectAsList()) {
                        List<String> cells = new ArrayList<>();
                        for (int i = 0; i < r.size(); i++) cells.add(csv(r.get(i)));
                        out.println(String.join(",", cells));
                    }
                }
            }
            out.flush();
        }

        private static String csv(Object v) {
            if (v == null) return "";
            String s = String.valueOf(v);
            return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }
}
