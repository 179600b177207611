package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How the {@code sql} prompt cuts its input into statements and when it accepts a line. */
class SqlStatementsTest {

    @Test
    void splitsAtTopLevelSemicolonsAndKeepsTheRestPending() {
        SqlStatements s = new SqlStatements();
        assertEquals(List.of(), s.add("SELECT lr\n"));
        assertEquals("SELECT lr", s.pending());
        assertEquals(List.of("SELECT lr\nFROM results", "SELECT 2"), s.add("FROM results; SELECT 2;\nSELECT"));
        assertEquals("SELECT", s.pending());
        s.clear();
        assertEquals("", s.pending());
    }

    @Test
    void semicolonsInLiteralsIdentifiersAndCommentsDoNotEndAStatement() {
        SqlStatements s = new SqlStatements();
        assertEquals(List.of("SELECT 'a;b', \"c;d\", `e;f` AS x"), s.add("SELECT 'a;b', \"c;d\", `e;f` AS x;"));
        assertEquals(List.of("SELECT 'it\\'s;' AS y"), s.add("SELECT 'it\\'s;' AS y;"));
        assertEquals(List.of(), s.add("SELECT 1 -- not the end; \n"));
        assertEquals(List.of("SELECT 1 -- not the end; \n/* nor; this */ + 1"), s.add("/* nor; this */ + 1;"));
        assertEquals(List.of(), s.add("SELECT 'open;"));
        assertEquals(List.of("SELECT 'open;\nclosed'"), s.add("\nclosed';"));
    }

    @Test
    void emptyStatementsAndCommentsAloneAreDropped() {
        SqlStatements s = new SqlStatements();
        assertEquals(List.of("SELECT 1"), s.add(" ; ;\n-- a comment\n; SELECT 1;;"));
        assertEquals("", s.pending());
        s.add("-- only a comment\n");
        assertEquals("", s.pending());
        assertTrue(SqlStatements.isBlank("  /* x */ -- y\n"));
        assertFalse(SqlStatements.isBlank("/* x */ SELECT"));
    }

    @Test
    void thePromptAcceptsBlankLinesCommandsAndEndedStatementsOnly() {
        assertTrue(SqlShell.complete(""));
        assertTrue(SqlShell.complete("help"));
        assertTrue(SqlShell.complete(" QUIT; "));
        assertTrue(SqlShell.complete("SELECT 1;"));
        assertTrue(SqlShell.complete("SELECT 1;\nSELECT 2 ; "));
        assertFalse(SqlShell.complete("SELECT 1"));
        assertFalse(SqlShell.complete("SELECT ';'"));
        assertFalse(SqlShell.complete("SELECT 1; SELECT 2"));
        assertFalse(SqlShell.complete("SELECT 1 -- ;"));
    }

    @Test
    void anErrorIsOneLineFromTheInnermostMessage() {
        assertEquals("query failed: [X] bad; line 1 pos 7",
                SqlShell.oneLine(new IllegalArgumentException("query failed: [X] bad; line 1 pos 7\n== SQL ==\nSELECT nope")));
        RuntimeException nested = new RuntimeException("Job aborted: stage failure\n at ...",
                new ArithmeticException("[DIVIDE_BY_ZERO] Division by zero.\nmore"));
        assertEquals("[DIVIDE_BY_ZERO] Division by zero.", SqlShell.oneLine(nested));
        assertEquals("NullPointerException", SqlShell.oneLine(new NullPointerException()));
    }

    @Test
    void inputCutInsideAQueryIsToldFromAWholeLastQuery() {
        assertEquals(null, SqlStatements.openAtEnd("SELECT count(*) FROM results WHERE sweep_id = 's' -- it's fine"));
        assertEquals(null, SqlStatements.openAtEnd("SELECT `lr` FROM results /* a (comment */ WHERE lr IN (0.1)"));
        assertEquals("a string literal", SqlStatements.openAtEnd("SELECT lr FROM results WHERE sweep_id = 's"));
        assertEquals("a string literal", SqlStatements.openAtEnd("SELECT 'it\\'s"));
        assertEquals("a quoted name", SqlStatements.openAtEnd("SELECT `lr FROM results"));
        assertEquals("a comment", SqlStatements.openAtEnd("SELECT lr /* the rest"));
        assertEquals("a parenthesis", SqlStatements.openAtEnd("SELECT lr FROM results WHERE lr IN (0.1, ')'"));
    }
}
