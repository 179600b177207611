package org.sharpsweep.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SparkSession;
import org.sharpsweep.analysis.Page;
import org.sharpsweep.analysis.Report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The results page of one table over HTTP, for {@code sharpsweep serve} (docs/commands.md,
 * "serve"), with the JDK's HTTP server: {@code GET /} the page ({@link Page}, live), {@code GET
 * /model.json?since=V} its model, or 204 No Content while the model is still version V, and
 * {@code GET /vendor/...} the plotting library and its licences. It only reads.
 *
 * <p>The page is built from the views {@code sql} registers ({@link SqlCommand.Queries}: Parquet
 * and journal rows, so a running sweep's points appear as they arrive) by {@link Report#live}. It
 * is built again when a reader asks and a file under the directory changed since the last build,
 * asked at most once per {@link #CHECK_NS}: a listing (milliseconds) per check, and the few Spark
 * jobs of a build only when a row arrived. Requests are answered by two threads; builds are one
 * at a time, on the session's one Spark context.
 */
final class PageServer implements AutoCloseable {
    /** At most one look at the directory's files per second, however many readers poll. */
    static final long CHECK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int THREADS = 2;

    /** One build of the page: its version, the page and its model. */
    private record Snapshot(long version, byte[] page, byte[] model) {
    }

    private final SparkSession spark;
    private final String dir;
    private final SqlCommand.Queries queries;
    private final HttpServer http;
    private final ExecutorService threads;
    private Snapshot snapshot;
    private long checkedAt;
    /** True when the last build failed (a file read mid-write): the next check builds again whatever the listing says. */
    private boolean stale;
    private String lastFailure;
    /** Why the page shows no sweep yet, or null when it shows one. */
    private String waiting;

    /**
     * Builds the first page and starts listening on {@code address} (port 0: any free port).
     *
     * @throws IllegalArgumentException if the address cannot be bound (the port is taken)
     */
    PageServer(SparkSession spark, String dir, InetSocketAddress address) {
        this.spark = spark;
        this.dir = dir;
        this.queries = new SqlCommand.Queries(spark, dir, "table", 1);
        current();
        try {
            http = HttpServer.create(address, 0);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on " + address.getHostString() + ":" + address.getPort() + " ("
                    + e.getMessage() + "): choose another --port, or --port 0 for any free one");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "sharpsweep-serve");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Why the page shows no sweep yet (no table, no rows), or null when it shows one. */
    synchronized String waiting() {
        return waiting;
    }

    /** The port it listens on (the one chosen when it was asked for port 0). */
    int port() {
        return http.getAddress().getPort();
    }

    /** The page's address with {@code host} as the reader types it. */
    URI url(String host) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** The page as it is now: built again if the table's files changed since the last build (checked at most once per {@link #CHECK_NS}). */
    private synchronized Snapshot current() {
        long now = System.nanoTime();
        if (snapshot != null && now - checkedAt < CHECK_NS) return snapshot;
        checkedAt = now;
        if (snapshot != null && !stale && !queries.changed()) return snapshot;
        Page.Content content;
        try {
            queries.register();
            content = Report.live(spark, dir);
        } catch (IllegalArgumentException e) {
            // no table yet: the page says so, and shows the rows once a sweep writes them
            content = Report.waiting(dir, e.getMessage());
            waiting = e.getMessage();
        } catch (RuntimeException e) {
            stale = true;
            String why = Failures.describe(e).message();
            if (!why.equals(lastFailure)) System.err.println("serve: cannot read " + dir + " now (" + why + "); trying again");
            lastFailure = why;
            if (snapshot != null) return snapshot;
            content = Report.waiting(dir, why);
        }
        if (content.sweeps().isEmpty() && waiting == null) waiting = "no rows in " + dir + " yet";
        if (!content.sweeps().isEmpty()) waiting = null;
        stale = false;
        lastFailure = null;
        long version = snapshot == null ? 1 : snapshot.version() + 1;
        snapshot = new Snapshot(version, Page.html(content, version, true).getBytes(StandardCharsets.UTF_8),
                Page.json(content, version).getBytes(StandardCharsets.UTF_8));
        return snapshot;
    }

    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "json", "application/json");

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                send(x, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = x.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/index.html")) {
                x.getResponseHeaders().set("Cache-Control", "no-store");
                send(x, 200, "text/html; charset=utf-8", current().page());
            } else if (path.equals("/" + Page.MODEL_PATH)) {
                Snapshot s = current();
                x.getResponseHeaders().set("Cache-Control", "no-store");
                if (String.valueOf(s.version()).equals(query(x, "since"))) send(x, 204, null, null);
                else send(x, 200, TYPES.get("json"), s.model());
            } else if (path.equals("/favicon.ico")) {
                send(x, 204, null, null); // the page has no icon; a 404 would be a console error in the reader's browser
            } else if (path.equals("/" + Page.LIBRARY) || Page.LICENCES.contains(path.substring(1))) {
                x.getResponseHeaders().set("Cache-Control", "max-age=86400");
                send(x, 200, path.endsWith(".js") ? TYPES.get("js") : "text/plain; charset=utf-8", Page.bytes(path.substring(1)));
            } else {
                send(x, 404, "text/plain; charset=utf-8", ("no " + path + " here: the page is at /\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            // the reader's connection went away, or a build failed beyond the above: the next request tries again
            System.err.println("serve: " + x.getRequestURI() + ": " + Failures.describe(e).message());
        }
    }

    /** A query parameter's value, or null. */
    private static String query(HttpExchange x, String name) {
        String q = x.getRequestURI().getRawQuery();
        if (q == null) return null;
        for (String kv : q.split("&")) {
            if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
        }
        return null;
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) x.getResponseHeaders().set("Content-Type", type);
        boolean empty = body == null || x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops listening, letting requests in flight finish for at most a second. */
    @Override
    public void close() {
        http.stop(1);
        threads.shutdownNow();
    }
}
