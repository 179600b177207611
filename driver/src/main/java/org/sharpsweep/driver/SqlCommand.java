package org.sharpsweep.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep sql DIR [QUERY]}: one query and exit, or, without a query, a prompt that
 * answers many queries from one Spark session ({@link SqlShell}). It only reads: the table is
 * registered as the temporary view {@code results}, and the tables beside it as {@code
 * trajectories} and {@code spectra} ({@link ResultsTable#registerAll}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL queries over a results table, registered as view 'results'",
                "(and 'trajectories', 'spectra': measurements during training and Hessian spectra).",
                "Without QUERY: a prompt (many queries in one session, each ending with ';'),",
                "or the ';'-separated queries of standard input when it is not a terminal."})
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
                queries.run(query, new PrintWriter(System.out, true));
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

        /** The files under {@link #dir} (path, length, modification time) when the view was registered. */
        private List<String> registeredFiles;

        /** Registers the views {@code results}, {@code trajectories} and {@code spectra} over the files in {@link #dir} now. */
        void register() {
            registeredFiles = files();
            ResultsTable.registerAll(spark, dir);
        }

        /**
         * Registers the view again if a file under {@link #dir} was added, removed or changed
         * since (a running sweep, a compaction); a listing costs a few milliseconds on a local
         * table, a registration about 0.1 s.
         */
        void refresh() {
            if (changed()) register();
        }

        /**
         * Whether a file under {@link #dir} was added, removed or changed since the views were
         * registered, or they never were ({@code serve} builds its page again then).
         */
        boolean changed() {
            return registeredFiles == null || !registeredFiles.equals(files());
        }

        /** Every file under {@link #dir}, sorted; null if it cannot be listed (then the view is registered again). */
        private List<String> files() {
            try {
                org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
                FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
                List<String> files = new ArrayList<>();
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    files.add(f.getPath() + " " + f.getLen() + " " + f.getModificationTime());
                }
                Collections.sort(files);
                return files;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * Runs two small queries and discards their answers, in job group {@link #WARM_UP}:
         * the first queries of a JVM take seconds of class loading and compilation, which this
         * spends while the user types. Failures are ignored (the user's query will report them).
         */
        void warmUp() {
            spark.sparkContext().setJobGroup(WARM_UP, "warming up the query path", true);
            try {
                for (String q : List.of("SELECT count(*) FROM " + ResultsTable.VIEW,
                        "SELECT " + ResultSchema.STATUS + ", count(*), avg(lr) FROM " + ResultsTable.VIEW
                                + " GROUP BY " + ResultSchema.STATUS + " ORDER BY " + ResultSchema.STATUS)) {
                    if (warmUpStopped) return;
                    spark.sql(q).collectAsList();
                }
            } catch (Exception e) { // also Spark's checked exceptions, thrown undeclared
                // cancelled, or a table the user's own query will report on
            } finally {
                spark.sparkContext().clearJobGroup();
            }
        }

        static final String WARM_UP = "sharpsweep-sql-warm-up";

        private volatile boolean warmUpStopped;

        /** Cancels {@link #warmUp}'s running job and stops it before the next: a user's query is waiting. */
        void stopWarmUp() {
            warmUpStopped = true;
            spark.sparkContext().cancelJobGroup(WARM_UP);
        }

        /** The plan of {@code query}; a query Spark cannot parse or resolve is an {@link IllegalArgumentException}. */
        Dataset<Row> sql(String query) {
            ReadOnlySql.check(spark, query);
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

        /**
         * Runs one statement ({@link #sql}) and prints its answer ({@link #print}). A statement
         * too long or too deeply nested for Spark (its parser and its analyzer recurse over the
         * expression tree: 10,000 {@code OR}s exhaust a thread's stack) is an
         * {@link IllegalArgumentException} saying so, not a {@link StackOverflowError} that ends the
         * session: the stack is unwound by then, and the next statement runs as usual.
         */
        void run(String statement, PrintWriter out) {
            try {
                print(sql(statement), out);
            } catch (StackOverflowError e) {
                throw new IllegalArgumentException("the query is too long or too deeply nested for Spark SQL (its "
                        + statement.lines().count() + " lines ran Spark out of stack): split it, or write a long list of "
                        + "alternatives as IN (...) or a join");
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
