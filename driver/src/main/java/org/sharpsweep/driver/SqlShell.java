package org.sharpsweep.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The loop of {@code sharpsweep sql DIR} without a query. On a terminal: a JLine prompt with
 * line editing, multi-line queries ending with {@code ;}, history in a file, Ctrl-C cancelling
 * the running query (or the line being typed) and Ctrl-D leaving. Otherwise (standard input or
 * output a pipe or a file, as {@link System#console()} tells): no prompt, the
 * {@code ;}-separated queries of standard input in order, a last one without {@code ;}
 * included unless the input ended inside it (an unclosed string, quoted name, comment or
 * parenthesis: it was cut off, and is refused, not run), errors on standard error. Either way a failed query prints one line
 * {@code error: ...} and the next one runs, and the view {@code results} is registered again
 * before a query when the table's files changed ({@link SqlTarget#run}). The same loop serves
 * {@code sql --server URL}: only the {@link SqlTarget} differs.
 */
final class SqlShell {
    private SqlShell() {
    }

    static final String PROMPT = "sql> ";
    static final String MORE = "  -> ";
    static final String HELP = """
            Spark SQL over the view 'results', one row per grid point (the columns: DESCRIBE results;),
            'trajectories' (one row per point and measured step, with measure.every), 'spectra'
            (top_k eigenvalues and density nodes) and 'params' (saved final parameters, with
            measure.save_params); join them to results on sweep_id, point_id, start_time.
            End a query with ';'; it may span lines. Rows written since the last query (a running sweep) are included.
              SELECT lr, batch_size, avg(sharpness) FROM results GROUP BY lr, batch_size ORDER BY lr;
              SHOW COLUMNS IN results;
            help       this text
            quit, exit leave (or Ctrl-D); Ctrl-C cancels the running query or the line being typed
            """;

    private enum Meta { HELP, QUIT }

    /**
     * Runs the loop on the process's standard input and output.
     *
     * @return 0, or 2 when reading from a pipe and some query failed
     */
    static int run(SqlTarget queries, Path history) {
        if (System.console() == null) {
            return plain(queries, new InputStreamReader(System.in, StandardCharsets.UTF_8),
                    new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return interactive(queries, terminal, history);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** Standard input that is not a terminal: no prompt, no history; 2 if any query failed, else 0. */
    static int plain(SqlTarget queries, Reader input, PrintWriter out, PrintWriter err) {
        SqlStatements statements = new SqlStatements();
        boolean failed = false;
        try (BufferedReader in = new BufferedReader(input)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (statements.pending().isEmpty()) {
                    Meta m = meta(line);
                    if (m == Meta.QUIT) return failed ? 2 : 0;
                    if (m == Meta.HELP) {
                        out.print(HELP);
                        out.flush();
                        continue;
                    }
                }
                for (String s : statements.add(line + "\n")) failed |= !execute(queries, s, out, err, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
        String last = statements.pending();
        String open = last.isEmpty() ? null : SqlStatements.openAtEnd(last);
        if (open != null) { // cut off: its text would fail with a misleading message, or run as another query
            err.println("error: the input ended inside a query (" + open + " is not closed; a query ends with ;), so it was not run: "
                    + abbreviate(last));
            err.flush();
            failed = true;
        } else if (!last.isEmpty()) {
            failed |= !execute(queries, last, out, err, false);
        }
        return failed ? 2 : 0;
    }

    /** A terminal: the JLine prompt. Always 0: errors were shown as they came. */
    static int interactive(SqlTarget queries, Terminal terminal, Path history) {
        DefaultParser words = new DefaultParser();
        Parser parser = (line, cursor, context) -> {
            if (context == Parser.ParseContext.ACCEPT_LINE && !complete(line)) {
                throw new EOFError(-1, cursor, "a query ends with ;");
            }
            return words.parse(line, cursor, context);
        };
        LineReader reader = LineReaderBuilder.builder()
                .appName("sharpsweep")
                .terminal(terminal)
                .parser(parser)
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, MORE)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL, not a history event
                .build();
        // outside readLine (which handles Ctrl-C itself), Ctrl-C cancels the running query
        terminal.handle(Terminal.Signal.INT, signal -> queries.cancel());
        Thread warmUp = new Thread(queries::warmUp, "sql warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        PrintWriter out = terminal.writer();
        out.println("sharpsweep sql: " + queries.describe() + "; end a query with ';', help, quit or Ctrl-D");
        out.flush();
        while (true) {
            String text;
            try {
                text = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return 0;
            }
            Meta m = meta(text);
            if (m == Meta.QUIT) return 0;
            if (m == Meta.HELP) {
                out.print(HELP);
                out.flush();
                continue;
            }
            if (warmUp.isAlive()) queries.stopWarmUp();
            for (String s : new SqlStatements().add(text + "\n")) execute(queries, s, out, out, true);
        }
    }

    /** True if the prompt may accept {@code text}: blank, a command, or statements all ended with ';'. */
    static boolean complete(String text) {
        if (SqlStatements.isBlank(text) || meta(text) != null) return true;
        SqlStatements s = new SqlStatements();
        return !s.add(text).isEmpty() && s.pending().isEmpty();
    }

    private static Meta meta(String line) {
        String w = line.strip().toLowerCase(Locale.ROOT);
        if (w.endsWith(";")) w = w.substring(0, w.length() - 1).strip();
        return switch (w) {
            case "help", "?" -> Meta.HELP;
            case "quit", "exit", "\\q" -> Meta.QUIT;
            default -> null;
        };
    }

    /** Runs one statement; a failure prints one line on {@code err}. Returns false if it failed. */
    static boolean execute(SqlTarget queries, String statement, PrintWriter out, PrintWriter err, boolean timing) {
        long start = System.nanoTime();
        try {
            queries.run(statement, out);
            if (timing) out.printf(Locale.ROOT, "(%.2f s)%n", (System.nanoTime() - start) / 1e9);
            out.flush();
            return true;
        } catch (Exception e) { // also Spark's checked exceptions, thrown undeclared (a cancelled job)
            out.flush();
            err.println("error: " + oneLine(e));
            err.flush();
            return false;
        }
    }

    /** The start of a statement, on one line, for a message. */
    static String abbreviate(String statement) {
        String one = statement.replaceAll("\\s+", " ").strip();
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }

    /** The first line of the message that says most: ours as is, else the innermost cause's. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        if (!(e instanceof IllegalArgumentException)) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c.getMessage() != null && !c.getMessage().isBlank()) t = c;
            }
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }
}
