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
 *
 * <p>{@code sharpsweep sql --server jdbc:hive2://HOST:PORT [QUERY]}: the same, answered by a
 * running JDBC endpoint ({@link JdbcEndpoint}) through the Hive JDBC driver ({@link JdbcQueries});
 * no Spark starts in this JVM, and no DIR is given (the endpoint serves its own). This class
 * loads Spark only on the path without {@code --server} ({@link #local}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        customSynopsis = {"sharpsweep sql [OPTIONS] DIR [QUERY]",
                "   or: sharpsweep sql [OPTIONS] --server jdbc:hive2://HOST:PORT [QUERY]"},
        description = {"Run Spark SQL queries over a results table, registered as view 'results'",
                "(and 'trajectories', 'spectra': measurements during training and Hessian spectra).",
                "Without QUERY: a prompt (many queries in one session, each ending with ';'),",
                "or the ';'-separated queries of standard input when it is not a terminal.",
                "With --server: the same views, answered by a running JDBC endpoint; Spark does not start here."})
final class SqlCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("table", "csv", "json");

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "results table directory (not with --server)")
    String dir;
    @Parameters(index = "1", arity = "0..1", paramLabel = "QUERY",
            description = "e.g. \"SELECT lr, avg(sharpness) FROM results GROUP BY lr\"; omit for the prompt")
    String query;
    @Option(names = "--server", paramLabel = "URL",
            description = "jdbc:hive2://HOST:PORT of a running JDBC endpoint (sharpsweep serve DIR --jdbc-port PORT): it answers from its DIR")
    String server;
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
        if (server == null) {
            if (dir == null) {
                throw new IllegalArgumentException("sql needs DIR, a results table directory, or --server jdbc:hive2://HOST:PORT, "
                        + "the URL of a running JDBC endpoint");
            }
            return local();
        }
        if (master != null) {
            throw new IllegalArgumentException("--master starts Spark here, --server asks a running endpoint's Spark: give one of them");
        }
        if (query != null) {
            throw new IllegalArgumentException("with --server, sql takes QUERY alone (the endpoint answers from the directory it serves), got '"
                    + dir + "' and '" + query + "'");
        }
        if (dir != null && java.nio.file.Files.isDirectory(Path.of(dir))) {
            throw new IllegalArgumentException("with --server, give no DIR: the endpoint answers from the directory it serves; '"
                    + dir + "' is a directory, not a query");
        }
        JdbcQueries.checkUrl(server);
        try (JdbcQueries remote = JdbcQueries.connect(server, format, maxRows)) {
            if (dir != null) { // the one positional argument is the query
                remote.run(dir, new PrintWriter(System.out, true));
                return 0;
            }
            return SqlShell.run(remote, history);
        }
    }

    /** {@code sql DIR [QUERY]}: a Spark session of this JVM answers. */
    private int local() {
        try (SparkSessions.Handle session = SparkSessions.openForQueries("sharpsweep sql", master, List.of())) {
            Queries queries = new Queries(session.spark(), dir, format, maxRows);
            if (query != null) {
                queries.views.registerFor(query); // the views it names: each costs Spark's analysis of its plan
                queries.run(query, new PrintWriter(System.out, true));
                return 0;
            }
            queries.register();
            return SqlShell.run(queries, history);
        }
    }

    /** Runs queries over one table in one session and prints their answers in one format. */
    static final class Queries implements SqlTarget {
        final SparkSession spark;
        final String dir;
        final String format;
        final int maxRows;
        final ResultViews views;

        Queries(SparkSession spark, String dir, String format, int maxRows) {
            this.spark = spark;
            this.dir = dir;
            this.format = format;
            this.maxRows = maxRows;
            this.views = new ResultViews(spark, dir, false);
        }

        /** Registers the views {@code results}, {@code trajectories}, {@code spectra} and {@code params} over the files in {@link #dir} now. */
        void register() {
            views.register();
        }

        /** Whether the directory's files changed since the views were registered ({@link ResultViews#changed}). */
        boolean changed() {
            return views.changed();
        }

        @Override
        public String describe() {
            return "view 'results' = " + dir;
        }


        /**
         * Runs two small queries and discards their answers, in job group {@link #WARM_UP}:
         * the first queries of a JVM take seconds of class loading and compilation, which this
         * spends while the user types. Failures are ignored (the user's query will report them).
         */
        @Override
        public void warmUp() {
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
        @Override
        public void stopWarmUp() {
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
         * Registers the views again if the table's files changed ({@link ResultViews#refresh}),
         * runs one statement ({@link #sql}) and prints its answer ({@link #print}). A statement
         * too long or too deeply nested for Spark (its parser and its analyzer recurse over the
         * expression tree: 10,000 {@code OR}s exhaust a thread's stack) is an
         * {@link IllegalArgumentException} saying so, not a {@link StackOverflowError} that ends the
         * session: the stack is unwound by then, and the next statement runs as usual.
         */
        @Override
        public void run(String statement, PrintWriter out) {
            String group = STATEMENT + statements.incrementAndGet();
            running = group;
            spark.sparkContext().setJobGroup(group, "sql statement", true);
            try {
                views.refresh();
                print(sql(statement), out);
            } catch (StackOverflowError e) {
                throw new IllegalArgumentException("the query is too long or too deeply nested for Spark SQL (its "
                        + statement.lines().count() + " lines ran Spark out of stack): split it, or write a long list of "
                        + "alternatives as IN (...) or a join");
            } finally {
                running = null;
                spark.sparkContext().clearJobGroup();
            }
        }

        /** Job groups of statements: {@link #STATEMENT} and a count. */
        private static final String STATEMENT = "sharpsweep-sql-statement-";
        private final java.util.concurrent.atomic.AtomicLong statements = new java.util.concurrent.atomic.AtomicLong();
        /** The job group of the statement running, or null. */
        private volatile String running;

        /**
         * Cancels the running statement: its jobs now, and any it starts until it ends (a key
         * pressed while Spark still plans would otherwise cancel nothing, and the job it then
         * submits would run to its end).
         */
        @Override
        public void cancel() {
            String group = running;
            if (group == null) return;
            Thread canceller = new Thread(() -> {
                while (group.equals(running)) {
                    spark.sparkContext().cancelJobGroup(group);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sql cancel");
            canceller.setDaemon(true);
            canceller.start();
        }

        /** Runs {@code result} and prints at most {@link #maxRows} rows in {@link #format}. */
        void print(Dataset<Row> result, PrintWriter out) {
            switch (format) {
                case "table" -> out.print(TextTable.render(result, maxRows));
                case "json" -> result.limit(maxRows).toJSON().collectAsList().forEach(out::println);
                default -> {
                    out.println(String.join(",", result.columns()));
                    for (Row r : result.limit(maxRows).collectAsList()) {
                        Object[] v = new Object[r.size()];
                        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
                        out.println(TextTable.csvLine(v));
                    }
                }
            }
            out.flush();
        }
    }
}
