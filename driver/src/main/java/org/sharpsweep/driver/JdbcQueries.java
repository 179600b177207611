package org.sharpsweep.driver;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sharpsweep sql --server URL}: statements answered by a running JDBC endpoint
 * ({@link JdbcEndpoint}) through the Hive JDBC driver ({@code org.apache.hive:hive-jdbc:2.3.9},
 * the driver Spark's Thrift server ships with), printed in the formats of {@code sql DIR}. No
 * Spark class is loaded: {@code scripts/sharpsweep} starts this path on a class path of the
 * application jar and the driver's few jars, and the JVM is up, connected and answered in about
 * a second.
 *
 * <p>The answers match {@code sql DIR}'s for the columns of the views (numbers, strings,
 * booleans, timestamps, null); an array, map or struct column comes as the server's text of it
 * (JSON-like), which {@code --format json} writes as is. The endpoint's views are registered
 * again when the table's files change, so a running sweep's rows are in each answer. Not
 * thread-safe, except {@link #cancel}.
 */
final class JdbcQueries implements SqlTarget, AutoCloseable {
    /** The URLs {@code --server} takes: {@code jdbc:hive2://HOST:PORT}, an optional {@code /} or {@code /default}. */
    private static final Pattern URL = Pattern.compile("jdbc:hive2://(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):([0-9]{1,5})(/|/default)?");
    /**
     * Seconds to connect, and the longest wait for any one reply of the server (the driver uses
     * one timeout for both): a statement is polled for every few seconds while it runs, so a
     * long query is not cut off.
     */
    static final int TIMEOUT_S = 30;
    /** The name of an exception class and ': ' at the start of a message. */
    private static final String CLASS_PREFIX = "^([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error): ";

    private final String url;
    private final Connection connection;
    private final String format;
    private final int maxRows;
    private volatile Statement running;

    private JdbcQueries(String url, Connection connection, String format, int maxRows) {
        this.url = url;
        this.connection = connection;
        this.format = format;
        this.maxRows = maxRows;
    }

    /**
     * Connects to the endpoint at {@code url}.
     *
     * @throws IllegalArgumentException if {@code url} is not a {@code jdbc:hive2://HOST:PORT} URL,
     *                                  or no endpoint answers there
     */
    static JdbcQueries connect(String url, String format, int maxRows) {
        checkUrl(url);
        Properties info = new Properties();
        try {
            DriverManager.setLoginTimeout(TIMEOUT_S);
            Connection c = new org.apache.hive.jdbc.HiveDriver().connect(url, info);
            return new JdbcQueries(url, c, format, maxRows);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot reach a JDBC endpoint at " + url + ": " + reason(e)
                    + " (start one with: sharpsweep serve DIR --jdbc-port PORT)", e);
        }
    }

    /** @throws IllegalArgumentException naming {@code url} unless it is a URL {@code --server} takes */
    static void checkUrl(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65_535) {
            throw new IllegalArgumentException("--server must be the URL of a JDBC endpoint, jdbc:hive2://HOST:PORT (as the endpoint "
                    + "prints it), got '" + url + "'");
        }
    }

    @Override
    public String describe() {
        return "server " + url;
    }

    @Override
    public void run(String statement, PrintWriter out) {
        try (Statement st = connection.createStatement()) {
            running = st;
            st.setMaxRows(format.equals("table") ? maxRows + 1 : maxRows);
            if (st.execute(statement)) {
                try (ResultSet rs = st.getResultSet()) {
                    print(rs, out);
                }
            }
        } catch (SQLException e) {
            if (connectionLost(e)) {
                throw new IllegalStateException("the JDBC endpoint at " + url + " closed the connection: " + reason(e), e);
            }
            String why = reason(e);
            throw new IllegalArgumentException(e.getMessage() != null && e.getMessage().contains("IllegalArgumentException: ")
                    ? why : "query failed: " + why, e);
        } finally {
            running = null;
        }
    }

    @Override
    public void cancel() {
        Statement st = running;
        if (st == null) return;
        try {
            st.cancel();
        } catch (SQLException e) {
            // finished meanwhile, or the server is gone: the statement's own error says so
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the server is gone; nothing of ours is left open
        }
    }

    private void print(ResultSet rs, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        String[] header = new String[meta.getColumnCount()];
        for (int i = 0; i < header.length; i++) header[i] = meta.getColumnLabel(i + 1);
        List<Object[]> rows = new ArrayList<>();
        int limit = format.equals("table") ? maxRows + 1 : maxRows;
        while (rows.size() < limit && rs.next()) {
            Object[] v = new Object[header.length];
            for (int i = 0; i < v.length; i++) v[i] = rs.getObject(i + 1);
            rows.add(v);
        }
        switch (format) {
            case "table" -> out.print(TextTable.render(header, rows, maxRows));
            case "json" -> {
                for (Object[] r : rows) out.println(json(header, meta, r));
            }
            default -> {
                out.println(String.join(",", header));
                for (Object[] r : rows) out.println(TextTable.csvLine(r));
            }
        }
        out.flush();
    }

    /**
     * One row as Spark's {@code Dataset.toJSON} writes it: null fields left out, doubles as Java
     * prints them ({@code NaN} and infinities quoted), timestamps as {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}
     * in this JVM's time zone (Spark's, when client and server share one), nested values as the
     * server's JSON-like text of them.
     */
    static String json(String[] header, ResultSetMetaData meta, Object[] row) throws SQLException {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < header.length; i++) {
            Object v = row[i];
            if (v == null) continue;
            if (sb.length() > 1) sb.append(',');
            quote(header[i], sb);
            sb.append(':');
            int type = meta.getColumnType(i + 1);
            if (type == Types.ARRAY || type == Types.STRUCT || type == Types.JAVA_OBJECT) {
                sb.append(v);
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) quote(v.toString(), sb);
                else sb.append(v);
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof java.sql.Timestamp t) {
                quote(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).format(t), sb);
            } else {
                quote(String.valueOf(v), sb);
            }
        }
        return sb.append('}').toString();
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Whether the connection itself failed (the server stopped, the network), not the statement. */
    private static boolean connectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.thrift.transport.TTransportException || t instanceof java.net.SocketException) return true;
        }
        return false;
    }

    /**
     * The server's message without its wrapping, on one line: {@code
     * org.apache.hive.service.cli.HiveSQLException: Error running query: [CLASS]
     * org.apache.spark.sql.AnalysisException: [CLASS] text} reads {@code [CLASS] text}; a failure
     * to connect reads as its innermost cause ({@code Connection refused}).
     */
    static String reason(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.startsWith("Could not open client transport")) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        m = m.replaceFirst(CLASS_PREFIX, "").replaceFirst("^Error running query: ", "")
                .replaceFirst("^(\\[[A-Z0-9_.]+] )?" + CLASS_PREFIX.substring(1), "");
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
