package org.sharpsweep.driver;

import java.io.PrintWriter;

/**
 * Where {@code sharpsweep sql} sends its statements and how it prints their answers: a Spark
 * session of its own over a results directory ({@link SqlCommand.Queries}), or a running JDBC
 * endpoint ({@link JdbcQueries}, no Spark in this JVM). The one-shot query and the prompt
 * ({@link SqlShell}) work the same on either, with the same output formats.
 */
interface SqlTarget {
    /** What the statements run on, for the prompt's first line. */
    String describe();

    /**
     * Runs one statement and prints its answer on {@code out}; rows written since the last
     * statement (a running sweep) are included. A statement that fails, or is refused because
     * it is not a query, throws an exception whose message says why (an
     * {@link IllegalArgumentException} for the user's mistake).
     */
    void run(String statement, PrintWriter out);

    /** Cancels the statement running now, if any (Ctrl-C at the prompt); called from another thread. */
    void cancel();

    /** Spends the prompt's first idle seconds on what the first statement would load and compile; nothing by default. */
    default void warmUp() {
    }

    /** Stops {@link #warmUp}: a statement is waiting. */
    default void stopWarmUp() {
    }
}
