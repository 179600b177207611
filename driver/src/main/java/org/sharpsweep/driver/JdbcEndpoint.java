package org.sharpsweep.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.hive.service.Service;
import org.apache.hive.service.cli.thrift.ThriftCLIService;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListenerInterface;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.store.TableFiles;

import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * A JDBC/ODBC endpoint over one results directory: Spark's own Thrift server
 * ({@code HiveThriftServer2}, the HiveServer2 protocol over binary transport) running on an
 * existing Spark session, so that any HiveServer2 client (beeline, {@code sharpsweep sql --server},
 * the Hive JDBC driver {@code org.apache.hive:hive-jdbc:2.3.9} that DBeaver and other tools use) queries the
 * views {@code results}, {@code trajectories}, {@code spectra} and {@code params} exactly as
 * {@code sharpsweep sql DIR} registers them (docs/results.md, "Querying"): retried rows hidden,
 * rows of a running sweep included. Its URL is {@code jdbc:hive2://HOST:PORT/}.
 *
 * <p>Wiring it into a command that already has a session ({@code serve --jdbc-port}):
 * <pre>{@code
 * try (JdbcEndpoint jdbc = JdbcEndpoint.start(spark, dir, host, jdbcPort)) {
 *     System.out.println("JDBC: " + jdbc.url());
 *     ... // serve until stopped
 * }
 * }</pre>
 * It prints nothing itself and leaves the caller's session as it was (no view, setting or
 * parser of it changes); {@link #close} stops the server, not the session.
 *
 * <p>How it works, and why:
 * <ul>
 *   <li><b>One Spark session per JDBC connection</b>, Spark's default
 *   ({@code spark.sql.hive.thriftServer.singleSession=false}). A shared session would let one
 *   client's connection settings change another's, and the server itself sets
 *   {@code spark.sql.datetime.java8API.enabled} in the session of every connection, which in a
 *   shared one would change what the caller's own queries return (timestamps as
 *   {@code Instant}). The connections' sessions are children of a session of the endpoint's own
 *   on the caller's SparkContext, with the caller's settings (its shuffle partitions) and a
 *   shared state (catalog, cache) of their own. The views are built once, as global temporary
 *   views of that state with the rows of {@code results} cached in memory, and again when the
 *   directory's files changed ({@link ResultViews}); each connection's session gets temporary views of their
 *   names over them before it parses its first statement (the Hive JDBC driver's connection
 *   sends {@code USE default}, so they are there before a client asks for the list of tables),
 *   and before each statement the files are listed ({@link SessionParser}).</li>
 *   <li><b>Read only</b>, with the rule of {@code sharpsweep sql} ({@link ReadOnlySql}): every
 *   statement is parsed by a parser of this endpoint (a {@link SparkSessionExtensions} parser
 *   of the endpoint's sessions) that refuses a write or a command before it runs; a client sees
 *   the refusal as the statement's error. Beyond {@code sql}'s rule, since a network client is
 *   not the user at the keyboard: a statement cannot read files by path
 *   ({@code parquet.`/path`}, {@code spark.sql.runSQLOnFiles=false}) nor call Java methods
 *   ({@code reflect}, {@code java_method}).</li>
 *   <li><b>Nothing written where the user works</b>: the server's Hive client keeps its
 *   metastore in an in-memory Derby database and its scratch folders in a temporary folder that
 *   {@link #close} deletes; Derby's log goes nowhere; the sessions' catalog is Spark's
 *   in-memory one, whose warehouse folder (which Spark creates, empty, when a catalog starts) is
 *   in that temporary folder too. No {@code metastore_db}, {@code derby.log} or {@code spark-warehouse} appears
 *   in the current folder or in the results directory.</li>
 * </ul>
 *
 * <p>No authentication (HiveServer2's {@code NONE}: any user name is accepted) and no TLS: bind
 * to a loopback address ({@code 127.0.0.1}) unless the network is trusted. HiveServer2 reads
 * {@code HIVE_SERVER2_THRIFT_PORT}, {@code HIVE_SERVER2_THRIFT_BIND_HOST} and
 * {@code HIVE_SERVER2_TRANSPORT_MODE} from the environment before its settings; {@link #start}
 * refuses to start while one is set rather than listen elsewhere than asked.
 *
 * <p>Built against {@code spark-hive-thriftserver_2.12} 3.5.4 running on Spark 3.5.5
 * (docs/architecture.md, "Dependencies"). Thread-safe: start and close may be called from any
 * thread; several endpoints may run in one JVM on different ports.
 */
public final class JdbcEndpoint implements AutoCloseable {
    /**
     * Where Derby, which the server's Hive client boots for its in-memory metastore, writes its
     * log ({@code derby.stream.error.field}): nowhere, instead of {@code derby.log} in the current folder.
     */
    public static final OutputStream DERBY_LOG = OutputStream.nullOutputStream();

    private static final String WAREHOUSE = "spark.sql.warehouse.dir";
    private static final String HIVE_WAREHOUSE = "hive.metastore.warehouse.dir";
    private static final List<String> ENVIRONMENT = List.of("HIVE_SERVER2_THRIFT_PORT", "HIVE_SERVER2_THRIFT_BIND_HOST",
            "HIVE_SERVER2_TRANSPORT_MODE");
    /** SQL functions a network client may not call: they run any static Java method with simple arguments. */
    private static final List<String> JAVA_CALLS = List.of("reflect", "java_method");

    private final HiveThriftServer2 server;
    /** The listeners the server and the endpoint's shared state added to the context, removed by {@link #close}. */
    private final List<SparkListenerInterface> listeners;
    private final SparkSession served;
    private final String host;
    private final int port;
    private final Path scratch;
    private final ResultViews views;
    private boolean closed;

    private JdbcEndpoint(HiveThriftServer2 server, List<SparkListenerInterface> listeners, SparkSession served, String host, int port,
            Path scratch, ResultViews views) {
        this.server = server;
        this.views = views;
        this.listeners = listeners;
        this.served = served;
        this.host = host;
        this.port = port;
        this.scratch = scratch;
        // when the JVM stops, closed or not (Ctrl-C, SIGTERM); after close, a server thread may have written there since
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(scratch), "sharpsweep-jdbc-cleanup"));
    }

    /**
     * Starts the server on {@code host}:{@code port} over the results directory {@code dir}.
     * Returns once it accepts connections: after the views are built and {@code results} is
     * cached (a Spark job) and the server booted a Hive client with its in-memory metastore
     * (4-15 s in all on 2 busy cores).
     *
     * @param spark a running session; the server runs its statements on its SparkContext
     * @param dir   a results directory (a local path or a Hadoop URI) holding a table
     * @param host  the address to listen on, e.g. {@code 127.0.0.1} (this machine only) or {@code 0.0.0.0} (every interface)
     * @param port  the TCP port, 0 for any free one ({@link #port} says which)
     * @throws IllegalArgumentException if {@code dir} holds no results table, {@code host} does not
     *                                  resolve to an address of this machine, {@code port} is out of
     *                                  range or in use; nothing was started then
     * @throws IllegalStateException    if an environment variable of HiveServer2 would override the host, port or transport
     */
    public static JdbcEndpoint start(SparkSession spark, String dir, String host, int port) {
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("the JDBC port must be 0..65535, got " + port);
        for (String v : ENVIRONMENT) {
            if (System.getenv(v) != null) {
                throw new IllegalStateException("the environment variable " + v + "=" + System.getenv(v) + " would override where the "
                        + "JDBC endpoint listens (HiveServer2 reads it first); unset it");
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the JDBC endpoint cannot listen on host '" + host + "': it does not resolve to an address");
        }
        if (!TableFiles.of(spark.sparkContext().hadoopConfiguration(), dir).holdsTable()) {
            throw new IllegalArgumentException("no results table in " + dir + " (expected sweep_id=... partitions); run a sweep with --out " + dir);
        }
        // the server binds in its own code and reports a taken port as a generic failure: try it here first, for a message
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new IllegalArgumentException("the JDBC endpoint cannot listen on " + host + ":" + port + ": "
                    + (port != 0 && e.getMessage() != null && e.getMessage().contains("in use") ? "the port is in use" : e.getMessage()));
        } catch (IOException e) {
            throw new IllegalArgumentException("the JDBC endpoint cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        synchronized (JdbcEndpoint.class) { // the server keeps its listener in a static field between start and here
            quietDerby();
            Path scratch;
            try {
                scratch = Files.createTempDirectory("sharpsweep-jdbc-");
                for (String folder : List.of("scratch", "local", "resources", "querylog", "operation_logs")) {
                    Files.createDirectories(scratch.resolve(folder));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary folder for the JDBC endpoint: " + e.getMessage(), e);
            }
            Served s = null;
            try {
                s = servedSession(spark, dir, scratch);
                SparkSession served = s.session();
                Map<String, String> hive = Map.of(
                        "hive.server2.thrift.bind.host", host,
                        "hive.server2.thrift.port", String.valueOf(port),
                        "hive.server2.transport.mode", "binary",
                        "hive.server2.logging.operation.enabled", "false",
                        "hive.exec.scratchdir", scratch.resolve("scratch").toString(),
                        "hive.exec.local.scratchdir", scratch.resolve("local").toString(),
                        "hive.downloaded.resources.dir", scratch.resolve("resources").toString(),
                        "hive.querylog.location", scratch.resolve("querylog").toString(),
                        "hive.server2.logging.operation.log.location", scratch.resolve("operation_logs").toString());
                // the server's Hive configuration is the session's Hadoop configuration, which holds the session's settings
                hive.forEach(served.conf()::set);
                HiveThriftServer2 server = HiveThriftServer2.startWithContext(served.sqlContext());
                List<SparkListenerInterface> listeners = new java.util.ArrayList<>(List.of(HiveThriftServer2.listener()));
                served.sharedState().statusStore().listener().foreach(l -> listeners.add(l));
                return new JdbcEndpoint(server, listeners, served, host, boundPort(server, port), scratch, s.views());
            } catch (RuntimeException e) {
                if (s != null) s.views().uncache();
                if (s != null) s.session().sharedState().statusStore().listener().foreach(l -> {
                    spark.sparkContext().removeSparkListener(l);
                    return null;
                });
                deleteTree(scratch);
                String all = String.valueOf(e) + e.getCause();
                if (all.contains("BindException") || all.contains("Could not create ServerSocket")) {
                    throw new IllegalArgumentException("the JDBC endpoint cannot listen on " + host + ":" + port + ": the port is in use", e);
                }
                throw e;
            }
        }
    }

    /** {@code jdbc:hive2://HOST:PORT/}, the host as given to {@link #start} (an IPv6 literal in brackets). */
    public String url() {
        return "jdbc:hive2://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port + "/";
    }

    /** The port the server listens on (the one chosen when {@link #start} was given 0). */
    public int port() {
        return port;
    }

    /**
     * Stops the server. A connection still open gets an error for its next statement, after
     * which the server closes it. The caller's session keeps running. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            server.stop();
            views.uncache();
        } finally {
            for (SparkListenerInterface l : listeners) served.sparkContext().removeSparkListener(l);
            deleteTree(scratch); // the hook tries again at exit: a server thread may still be writing there
        }
    }

    /**
     * A session of the endpoint's own on {@code spark}'s context, with the settings of {@code
     * spark}, whose children (one per connection: the server's {@code newSession()}) start with
     * the same settings, parse with {@link SessionParser} and read files by path no more. Its shared state is its own too, so that its catalog's warehouse is in
     * {@code scratch}, not {@code ./spark-warehouse} (the caller's catalog may not have started yet,
     * and a catalog creates its warehouse folder when it starts). The constructor is Spark's own
     * for {@code newSession()} (Scala-private, public to Java): the only way to give sessions on a
     * running context extensions of their own.
     */
    private record Served(SparkSession session, ResultViews views) {
    }

    private static Served servedSession(SparkSession spark, String dir, Path scratch) {
        SparkSessionExtensions extensions = new SparkSessionExtensions();
        ParserBuilder parsers = new ParserBuilder();
        extensions.injectParser(parsers);
        // the caller's settings (its shuffle partitions: a query session's 2, not Spark's 200), and two of ours
        scala.collection.immutable.Map<String, String> options = spark.sessionState().conf().getAllConfs()
                .$plus(new scala.Tuple2<>("spark.sql.runSQLOnFiles", "false"))
                .$plus(new scala.Tuple2<>(WAREHOUSE, scratch.resolve("warehouse").toUri().toString()));
        SparkContext sc = spark.sparkContext();
        // a shared state makes the context's settings name its warehouse: put back the caller's
        Option<String> warehouse = sc.conf().getOption(WAREHOUSE);
        String hiveWarehouse = sc.hadoopConfiguration().get(HIVE_WAREHOUSE);
        SparkSession served = new SparkSession(sc, Option.empty(), Option.empty(), extensions, options);
        try {
            served.sharedState();
        } finally {
            if (warehouse.isDefined()) sc.conf().set(WAREHOUSE, warehouse.get());
            else sc.conf().remove(WAREHOUSE);
            if (hiveWarehouse != null) sc.hadoopConfiguration().set(HIVE_WAREHOUSE, hiveWarehouse);
            else sc.hadoopConfiguration().unset(HIVE_WAREHOUSE);
        }
        parsers.views = new ResultViews(served, dir, true);
        parsers.globalDatabase = served.sharedState().globalTempViewManager().database();
        parsers.views.register();
        return new Served(served, parsers.views);
    }

    /** The port the server's Thrift service bound (the requested one unless that was 0). */
    private static int boundPort(HiveThriftServer2 server, int requested) {
        for (Service s : server.getServices()) {
            if (s instanceof ThriftCLIService t) return t.getPortNumber();
        }
        return requested;
    }

    /** Sends the log of Derby (booted by the server's Hive client) to {@link #DERBY_LOG}, unless the user chose where it goes. */
    private static void quietDerby() {
        if (System.getProperty("derby.stream.error.file") == null && System.getProperty("derby.stream.error.field") == null
                && System.getProperty("derby.stream.error.method") == null) {
            System.setProperty("derby.stream.error.field", JdbcEndpoint.class.getName() + ".DERBY_LOG");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: what is left is the system's to clean
        }
    }

    /**
     * Builds each session's {@link SessionParser}, with the views of the endpoint's own session
     * (set once that session exists); a Scala function, since the extensions call it with the session.
     */
    private static final class ParserBuilder extends scala.runtime.AbstractFunction2<SparkSession, ParserInterface, ParserInterface>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        transient volatile ResultViews views;
        transient volatile String globalDatabase;

        @Override
        public ParserInterface apply(SparkSession session, ParserInterface spark) {
            return new SessionParser(session, spark, this);
        }
    }

    /**
     * The parser of one connection's session: Spark's own, with three steps before a statement is
     * planned: refuse it unless it only reads ({@link ReadOnlySql#offending}, and no
     * {@code reflect}); keep files out of reach by path; make the views current. The views are
     * registered once per endpoint, as global temporary views of its own session (each a
     * Dataset whose plan Spark analyzed once), and again there when the directory's files changed
     * ({@link ResultViews#refresh}); a session's first statement gives it temporary views of the
     * views' own names over them ({@code results} is {@code SELECT * FROM global_temp.results}),
     * which Spark resolves again at each statement, so that a connection costs four small views,
     * not four analyses of the table's plans, and sees the files of the moment.
     */
    static final class SessionParser implements ParserInterface {
        private final SparkSession session;
        private final ParserInterface spark;
        private final ParserBuilder endpoint;
        /** True on a thread that is registering views, whose own statements are not checked, nor make the views current again. */
        private final ThreadLocal<Boolean> registering = ThreadLocal.withInitial(() -> false);
        private volatile boolean aliased;

        SessionParser(SparkSession session, ParserInterface spark, ParserBuilder endpoint) {
            this.session = session;
            this.spark = spark;
            this.endpoint = endpoint;
        }

        @Override
        public LogicalPlan parsePlan(String sqlText) throws ParseException {
            LogicalPlan plan = spark.parsePlan(sqlText);
            if (registering.get() || endpoint.views == null) return plan;
            String bad = ReadOnlySql.offending(plan, () -> session.catalog().currentDatabase());
            if (bad != null) throw ReadOnlySql.refusal("the JDBC endpoint", sqlText, bad);
            String call = javaCall(plan);
            if (call != null) {
                throw new IllegalArgumentException("the JDBC endpoint does not run " + call + "(): it calls Java methods on the server");
            }
            // a connection's own settings (the URL's ?key=value) may not turn reading files by path back on
            session.conf().set("spark.sql.runSQLOnFiles", "false");
            registering.set(true);
            try {
                endpoint.views.refresh();
                if (!aliased) {
                    for (String name : ResultViews.NAMES) {
                        session.sql("CREATE OR REPLACE TEMPORARY VIEW `" + name + "` AS SELECT * FROM `" + endpoint.globalDatabase
                                + "`.`" + name + "`");
                    }
                    aliased = true;
                }
            } finally {
                registering.set(false);
            }
            return plan;
        }

        @Override
        public Expression parseExpression(String sqlText) throws ParseException {
            return spark.parseExpression(sqlText);
        }

        @Override
        public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
            return spark.parseTableIdentifier(sqlText);
        }

        @Override
        public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
            return spark.parseFunctionIdentifier(sqlText);
        }

        @Override
        public Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
            return spark.parseMultipartIdentifier(sqlText);
        }

        @Override
        public LogicalPlan parseQuery(String sqlText) throws ParseException {
            return spark.parseQuery(sqlText);
        }

        @Override
        public StructType parseTableSchema(String sqlText) throws ParseException {
            return spark.parseTableSchema(sqlText);
        }

        @Override
        public DataType parseDataType(String sqlText) throws ParseException {
            return spark.parseDataType(sqlText);
        }

        /** The name of a {@link #JAVA_CALLS} function called anywhere in the plan (subqueries included), or null. */
        private static String javaCall(LogicalPlan plan) {
            for (Expression e : JavaConverters.seqAsJavaList(plan.expressions())) {
                String call = javaCall(e);
                if (call != null) return call;
            }
            for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
                String call = javaCall(child);
                if (call != null) return call;
            }
            return null;
        }

        private static String javaCall(Expression e) {
            if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedFunction f) {
                String name = f.nameParts().last().toLowerCase(Locale.ROOT);
                if (JAVA_CALLS.contains(name)) return name;
            }
            if (e instanceof org.apache.spark.sql.catalyst.expressions.SubqueryExpression s) {
                String call = javaCall(s.plan());
                if (call != null) return call;
            }
            for (Expression child : JavaConverters.seqAsJavaList(e.children())) {
                String call = javaCall(child);
                if (call != null) return call;
            }
            return null;
        }
    }
}
