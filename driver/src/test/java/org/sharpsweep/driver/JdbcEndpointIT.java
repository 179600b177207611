package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The JDBC endpoint ({@link JdbcEndpoint}) on a real results table, queried by the Hive JDBC
 * driver over a real socket. The table: points a, b and c of sweep s, c FAILED once (start 3 s)
 * and retried OK (start 4 s), so the view {@code results} has 3 rows; its other tables hold rows
 * of both attempts of c, of which the views keep only the retried one's: trajectories 2 (a) + 1
 * (c) = 3 of 4, spectra 1 (a) of 3, params a and b, 2 of 3.
 */
class JdbcEndpointIT {
    @TempDir
    static Path tmp;
    static String dir;
    static JdbcEndpoint endpoint;
    /** Which of the files Hive and Spark may leave behind were in the current folder before the endpoint started. */
    static Map<String, Boolean> cwdBefore;

    static final List<String> LITTER = List.of("metastore_db", "derby.log", "spark-warehouse");

    @BeforeAll
    static void table() {
        SparkSession spark = SharedSpark.get();
        dir = tmp.resolve("results").toString();
        SqlShellIT.write(spark, dir, SaveMode.ErrorIfExists,
                SqlShellIT.row("a", "OK", 0.1, 1), SqlShellIT.row("b", "OK", 0.2, 2),
                SqlShellIT.row("c", "FAILED", 0.3, 3), SqlShellIT.row("c", "OK", 0.3, 4));
        child(spark, ResultSchema.TRAJECTORIES, child("a", 1, 0), child("a", 1, 5), child("c", 3, 0), child("c", 4, 0));
        child(spark, ResultSchema.SPECTRA, child("a", 1, 5), child("c", 3, 5), child("c", 3, 5));
        child(spark, ResultSchema.PARAMS_TABLE, child("a", 1, 5), child("b", 2, 5), child("c", 3, 5));
        cwdBefore = litter(Path.of(System.getProperty("user.dir")));
        endpoint = JdbcEndpoint.start(spark, dir, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) endpoint.close();
    }

    /** A row of a table beside the results (sweep s, its key and step; params a vector of two). */
    static Object[] child(String pointId, long startSecond, int step) {
        return new Object[] {pointId, startSecond, step};
    }

    static void child(SparkSession spark, ResultSchema.Table table, Object[]... keys) {
        StructType schema = SparkSchema.of(table);
        List<Row> rows = new ArrayList<>();
        for (Object[] k : keys) {
            Object[] v = new Object[schema.size()];
            v[schema.fieldIndex(ResultSchema.SWEEP_ID)] = "s";
            v[schema.fieldIndex(ResultSchema.POINT_ID)] = k[0];
            v[schema.fieldIndex(ResultSchema.START_TIME)] = new Timestamp((Long) k[1] * 1000);
            v[schema.fieldIndex(ResultSchema.STEP)] = k[2];
            if (table == ResultSchema.PARAMS_TABLE) v[schema.fieldIndex(ResultSchema.PARAMS)] = List.of(0.5, -1.0);
            rows.add(RowFactory.create(v));
        }
        spark.createDataFrame(rows, schema).coalesce(1).write().partitionBy(ResultSchema.SWEEP_ID)
                .parquet(Path.of(dir, table.folder()).toString());
    }

    static Connection connect(String url) throws SQLException {
        return new org.apache.hive.jdbc.HiveDriver().connect(url, new Properties());
    }

    static long count(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            assertTrue(rs.next(), query);
            return rs.getLong(1);
        }
    }

    @Test
    void everyViewAnswersWithTheRowsItKeeps() throws Exception {
        assertTrue(endpoint.url().matches("jdbc:hive2://127\\.0\\.0\\.1:[0-9]+/"), endpoint.url());
        assertEquals(endpoint.port(), Integer.parseInt(endpoint.url().replaceAll(".*:([0-9]+)/$", "$1")));
        try (Connection c = connect(endpoint.url())) {
            // the Thrift server module is 3.5.4 (the version the repository serves); it runs on this JVM's Spark
            assertEquals("Spark SQL", c.getMetaData().getDatabaseProductName());
            assertEquals(SharedSpark.get().version(), c.getMetaData().getDatabaseProductVersion());
            assertEquals(3, count(c, "SELECT count(*) FROM results"));
            assertEquals(3, count(c, "SELECT count(*) FROM trajectories"));
            assertEquals(1, count(c, "SELECT count(*) FROM spectra"));
            assertEquals(2, count(c, "SELECT count(*) FROM params"));
            assertEquals(0, count(c, "SELECT count(*) FROM trajectories WHERE start_time = CAST(3 AS TIMESTAMP)"),
                    "the failed attempt's rows are hidden");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT point_id, lr, status FROM results ORDER BY point_id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) rows.add(rs.getString(1) + " " + rs.getDouble(2) + " " + rs.getString(3));
                assertEquals(List.of("a 0.1 OK", "b 0.2 OK", "c 0.3 OK"), rows);
            }
            // what a client such as DBeaver lists before any statement of its own: the connection's views,
            // and the endpoint's global ones they read
            TreeSet<String> tables = new TreeSet<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
                while (rs.next()) tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
            }
            assertEquals(new TreeSet<>(List.of("null.results", "null.trajectories", "null.spectra", "null.params", "global_temp.results",
                    "global_temp.trajectories", "global_temp.spectra", "global_temp.params")), tables);
        }
    }

    @Test
    void writesCommandsFilesByPathAndJavaCallsAreRefusedAndNothingIsWritten() throws Exception {
        Path table = Path.of(dir);
        List<String> before = listing(table);
        try (Connection c = connect(endpoint.url())) {
            for (String q : List.of(
                    "INSERT OVERWRITE DIRECTORY '" + dir + "' USING parquet SELECT * FROM results",
                    "INSERT OVERWRITE LOCAL DIRECTORY '" + table.resolve("sweep_id=s") + "' SELECT * FROM results",
                    "WITH x AS (SELECT 1) INSERT OVERWRITE DIRECTORY '" + dir + "' SELECT * FROM x",
                    "DROP VIEW results",
                    "CREATE TABLE t USING parquet LOCATION '" + dir + "' AS SELECT 1 AS one",
                    "CREATE TEMPORARY VIEW results AS SELECT 1 AS one",
                    "SET spark.sql.runSQLOnFiles=true",
                    "CACHE TABLE results",
                    "USE global_temp")) {
                SQLException e = assertThrows(SQLException.class, () -> count(c, q), q);
                assertTrue(e.getMessage().contains("the JDBC endpoint runs queries only"), q + ": " + e.getMessage());
            }
            SQLException reflect = assertThrows(SQLException.class,
                    () -> count(c, "SELECT length(reflect('java.lang.System', 'getProperty', 'user.home'))"));
            assertTrue(reflect.getMessage().contains("does not run reflect()"), reflect.getMessage());
            SQLException file = assertThrows(SQLException.class, () -> count(c, "SELECT count(*) FROM parquet.`" + dir + "`"));
            assertTrue(file.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), file.getMessage());
            // the refusals changed nothing: the views are there and answer
            assertEquals(3, count(c, "SELECT count(*) FROM results"));
            for (String describing : List.of("DESCRIBE results", "SHOW TABLES", "EXPLAIN SELECT lr FROM results", "USE default")) {
                try (Statement st = c.createStatement()) {
                    st.execute(describing); // no exception: allowed
                }
            }
        }
        assertEquals(before, listing(table), "no file of the table changed");
        for (String name : LITTER) assertFalse(Files.exists(table.resolve(name)), name + " in the results directory");
        Map<String, Boolean> cwd = litter(Path.of(System.getProperty("user.dir")));
        cwdBefore.forEach((name, was) -> assertTrue(was || !cwd.get(name), name + " appeared in the current folder"));
    }

    /** Each connection has a session of its own; none of them, nor the server, changes the caller's session. */
    @Test
    void connectionsHaveSessionsOfTheirOwnAndLeaveTheCallersAlone() throws Exception {
        SparkSession caller = SharedSpark.get();
        String java8 = caller.conf().get("spark.sql.datetime.java8API.enabled");
        // a connection's settings (the URL's ?key=value) reach its session (ANSI division), but may not turn
        // reading files by path back on
        try (Connection a = connect(endpoint.url() + ";?spark.sql.ansi.enabled=true;spark.sql.runSQLOnFiles=true");
                Connection b = connect(endpoint.url())) {
            assertEquals(3, count(a, "SELECT count(*) FROM results"));
            assertEquals(3, count(b, "SELECT count(*) FROM results"));
            SQLException ansi = assertThrows(SQLException.class, () -> count(a, "SELECT 1 / 0"));
            assertTrue(ansi.getMessage().contains("DIVIDE_BY_ZERO"), ansi.getMessage());
            try (Statement st = b.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 / 0")) {
                assertTrue(rs.next());
                assertEquals(null, rs.getObject(1), "the other connection's session keeps Spark's default");
            }
            SQLException file = assertThrows(SQLException.class, () -> count(a, "SELECT count(*) FROM parquet.`" + dir + "`"));
            assertTrue(file.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), file.getMessage());
        }
        assertEquals(java8, caller.conf().get("spark.sql.datetime.java8API.enabled"), "the server sets it in its own sessions only");
        assertFalse(caller.sessionState().sqlParser() instanceof JdbcEndpoint.SessionParser);
    }

    /** A connection opened before rows were written sees them in its next statement. */
    @Test
    void aConnectionSeesRowsWrittenAfterItConnected() throws Exception {
        SparkSession spark = SharedSpark.get();
        String grown = tmp.resolve("grown").toString();
        SqlShellIT.write(spark, grown, SaveMode.ErrorIfExists, SqlShellIT.row("a", "OK", 0.1, 1));
        try (JdbcEndpoint second = JdbcEndpoint.start(spark, grown, "127.0.0.1", 0); Connection c = connect(second.url())) {
            assertTrue(second.port() != endpoint.port());
            assertEquals(1, count(c, "SELECT count(*) FROM results"));
            SqlShellIT.write(spark, grown, SaveMode.Append, SqlShellIT.row("b", "OK", 0.2, 2));
            assertEquals(2, count(c, "SELECT count(*) FROM results"));
        }
    }

    @Test
    void aPortInUseAndADirectoryWithoutATableAreRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JdbcEndpoint.start(SharedSpark.get(), dir, "127.0.0.1", port));
            assertEquals("the JDBC endpoint cannot listen on 127.0.0.1:" + port + ": the port is in use", e.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> JdbcEndpoint.start(SharedSpark.get(), tmp.resolve("nothing").toString(), "127.0.0.1", 0));
        assertTrue(none.getMessage().startsWith("no results table in " + tmp.resolve("nothing")), none.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> JdbcEndpoint.start(SharedSpark.get(), dir, "127.0.0.1", 70_000));
        assertEquals("the JDBC port must be 0..65535, got 70000", port.getMessage());
    }

    /** Each regular file under {@code root} with its size and modification time, sorted. */
    static List<String> listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p + " " + p.toFile().length() + " " + p.toFile().lastModified()).sorted().toList();
        }
    }

    static Map<String, Boolean> litter(Path folder) {
        Map<String, Boolean> m = new java.util.HashMap<>();
        for (String name : LITTER) m.put(name, Files.exists(folder.resolve(name)));
        return m;
    }
}
