package org.sharpsweep.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jline.utils.Signals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sharpsweep serve DIR}: the results page of a table over HTTP ({@link PageServer}), live:
 * one long-running process with one Spark session (the settings of {@code sql}), whose page
 * follows a running sweep without a reload, and with {@code --jdbc-port} the views over JDBC
 * ({@link JdbcEndpoint}) on the same session. It only reads. Its lifecycle is one line of steps:
 * open the session, start the servers, print each address as soon as it is ready, wait for
 * Ctrl-C (or SIGTERM), close them (docs/commands.md, "serve"). The JDBC endpoint needs a table:
 * over a directory that holds no rows yet it starts when the first rows arrive.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the results page of a table over HTTP, live: it follows a running sweep without a reload.",
                "Listens on 127.0.0.1 (this machine only) unless --host says otherwise; Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8765;
    static final String DEFAULT_HOST = "127.0.0.1";

    @Parameters(index = "0", paramLabel = "DIR", description = "results table directory (it may not hold rows yet)")
    String dir;
    @Option(names = "--port", paramLabel = "P", description = "port to listen on; 0 for any free one (default: ${DEFAULT-VALUE})")
    int port = DEFAULT_PORT;
    @Option(names = "--host", paramLabel = "H", description = "address to listen on (default: ${DEFAULT-VALUE}); "
            + "any other than this machine's loopback makes every result readable by whoever can reach it")
    String host = DEFAULT_HOST;
    @Option(names = "--jdbc-port", paramLabel = "Q", description = "also serve the views over JDBC (HiveServer2 protocol, "
            + "jdbc:hive2://HOST:Q/) on this port; 0 for any free one (default: none)")
    Integer jdbcPort;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: " + SparkSessions.QUERY_MASTER + ")")
    String master;

    /** How often a JDBC endpoint waiting for the directory's first rows looks for them. */
    static final long JDBC_WAIT_MILLIS = 1000;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
        if (jdbcPort != null && (jdbcPort < 0 || jdbcPort > 65535)) {
            throw new IllegalArgumentException("--jdbc-port must be 0 to 65535, got " + jdbcPort);
        }
        InetSocketAddress address = address(host, port);
        String warning = exposure(address, dir);
        if (warning != null) System.err.println(warning);
        try (SparkSessions.Handle session = SparkSessions.openForQueries("sharpsweep serve", master, List.of());
             PageServer server = new PageServer(session.spark(), dir, address);
             Jdbc jdbc = jdbcPort == null ? null : new Jdbc(session.spark())) {
            System.out.println("serving " + dir + " at " + server.url(shownHost(address)));
            if (server.waiting() != null) System.out.println("note: " + server.waiting() + "; the page shows the rows as a sweep writes them");
            if (jdbc != null) jdbc.start();
            System.out.println("Ctrl-C stops it");
            awaitStop();
        }
        System.out.println("serve: stopped");
        return 0;
    }

    /**
     * The JDBC endpoint of {@code --jdbc-port}: started at once over a table, or by a thread of
     * its own once the directory holds one (a sweep's first rows); its URL is printed when it
     * accepts connections. A refusal at once (the port taken) ends {@code serve}; one later is
     * printed, and the page goes on.
     */
    private final class Jdbc implements AutoCloseable {
        private final org.apache.spark.sql.SparkSession spark;
        private volatile JdbcEndpoint endpoint;
        private volatile boolean closed;
        private Thread waiter;

        Jdbc(org.apache.spark.sql.SparkSession spark) {
            this.spark = spark;
        }

        void start() {
            if (org.sharpsweep.store.ResultsTable.exists(spark, dir)) {
                open();
                return;
            }
            System.out.println("JDBC: starts on port " + jdbcPort + " when " + dir + " holds its first rows");
            waiter = new Thread(() -> {
                try {
                    while (!closed && !org.sharpsweep.store.ResultsTable.exists(spark, dir)) Thread.sleep(JDBC_WAIT_MILLIS);
                    if (!closed) open();
                } catch (InterruptedException e) {
                    // closing
                } catch (RuntimeException e) {
                    System.err.println("serve: the JDBC endpoint did not start: " + e.getMessage());
                }
            }, "sharpsweep-jdbc-start");
            waiter.setDaemon(true);
            waiter.start();
        }

        private synchronized void open() {
            if (closed) return;
            endpoint = JdbcEndpoint.start(spark, dir, host, jdbcPort);
            warmUp(endpoint.url());
            System.out.println("JDBC: " + endpoint.url() + " (the views results, trajectories, spectra, params; read only)");
        }

        /**
         * Asks the endpoint one query as a client does, before its URL is printed, so that a
         * client's first query finds the server's query path loaded and compiled: on 2 cores the
         * first query of a fresh endpoint took 2-3 s more than the next ones (docs/results.md,
         * "Over JDBC"). A failure here is the client's to see, not serve's: it is not printed.
         */
        private static void warmUp(String url) {
            try (JdbcQueries q = JdbcQueries.connect(url, "csv", 1)) {
                q.run("SELECT count(*) FROM results", new java.io.PrintWriter(java.io.Writer.nullWriter()));
            } catch (RuntimeException e) {
                // the endpoint answers its clients as it can; they see any error themselves
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (waiter != null) waiter.interrupt();
            if (endpoint != null) endpoint.close();
        }
    }

    /** The address to bind; a host name that does not resolve is an {@link IllegalArgumentException}. */
    static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host: no address for '" + host + "'");
        }
    }

    /**
     * The warning to print before serving on {@code address}, or null for a loopback address
     * (this machine only): the server has no authentication, so any other address lets everyone
     * who can reach it read every result in {@code dir}.
     */
    static String exposure(InetSocketAddress address, String dir) {
        if (address.getAddress().isLoopbackAddress()) return null;
        String where = address.getAddress().isAnyLocalAddress() ? "every network interface of this machine" : address.getHostString();
        return "warning: serving on " + where + ": there is no authentication, so anyone who can reach it can read every result in "
                + dir + "; the default, --host " + DEFAULT_HOST + ", serves this machine only";
    }

    /** The host to print in the page's address: this machine's name for a wildcard address, else the host given. */
    private static String shownHost(InetSocketAddress address) {
        if (!address.getAddress().isAnyLocalAddress()) return address.getHostString();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Blocks until SIGINT (Ctrl-C) or SIGTERM; the JVM's own handlers are given back after. */
    private static void awaitStop() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Object interrupt = Signals.register("INT", stop::countDown);
        Object terminate = Signals.register("TERM", stop::countDown);
        try {
            stop.await();
        } finally {
            Signals.unregister("INT", interrupt);
            Signals.unregister("TERM", terminate);
        }
    }
}
