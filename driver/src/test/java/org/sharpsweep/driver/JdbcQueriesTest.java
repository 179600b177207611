package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What {@code sql --server} accepts as a URL, and how it reads the server's errors. The messages
 * are the ones Spark's Thrift server 3.5 and the Hive JDBC driver 2.3.9 send (copied from
 * SqlServerIT's runs); SqlServerIT checks them against a real endpoint.
 */
class JdbcQueriesTest {
    @Test
    void urlsOfAnEndpointAreAcceptedAndOthersNamed() {
        for (String ok : List.of("jdbc:hive2://127.0.0.1:10000", "jdbc:hive2://localhost:10000/", "jdbc:hive2://host-1.example:1/default",
                "jdbc:hive2://[::1]:10000/")) {
            JdbcQueries.checkUrl(ok);
        }
        for (String bad : List.of("jdbc:hive2://localhost", "jdbc:hive2://localhost:65536", "jdbc:hive2://localhost:10000/other",
                "jdbc:hive2://localhost:10000;transportMode=http", "jdbc:mysql://localhost:3306", "localhost:10000", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcQueries.checkUrl(bad), bad);
            assertEquals("--server must be the URL of a JDBC endpoint, jdbc:hive2://HOST:PORT (as the endpoint prints it), got '"
                    + bad + "'", e.getMessage());
        }
    }

    @Test
    void theServersWrappingIsTakenOff() {
        assertEquals("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nope` cannot be resolved.; line 1 pos 7;",
                JdbcQueries.reason(new SQLException("org.apache.hive.service.cli.HiveSQLException: Error running query: "
                        + "[UNRESOLVED_COLUMN.WITH_SUGGESTION] "
                        + "org.apache.spark.sql.AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter "
                        + "with name `nope` cannot be resolved.; line 1 pos 7;\n'Project ['nope]\n+- SubqueryAlias results")));
        assertEquals("the JDBC endpoint runs queries only",
                JdbcQueries.reason(new SQLException("org.apache.hive.service.cli.HiveSQLException: Error running query: "
                        + "java.lang.IllegalArgumentException: the JDBC endpoint runs queries only")));
        assertEquals("Connection refused", JdbcQueries.reason(new SQLException("Could not open client transport with JDBC Uri: "
                + "jdbc:hive2://127.0.0.1:1: java.net.ConnectException: Connection refused",
                new RuntimeException("wrapper", new java.net.ConnectException("Connection refused")))));
    }
}
