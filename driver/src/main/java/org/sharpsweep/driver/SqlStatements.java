package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text typed at the {@code sql} prompt into statements at each {@code ;} that is
 * outside a string literal ({@code '...'}, {@code "..."}), a quoted identifier
 * ({@code `...`}) and a comment ({@code -- ...} to the end of the line, {@code /* ... *}{@code /}).
 * Inside a literal a backslash escapes the next character, as in Spark SQL. Not thread-safe.
 */
final class SqlStatements {
    private final StringBuilder pending = new StringBuilder();

    /**
     * Appends {@code text} (one or more lines) and returns the statements it completes, trimmed
     * and without their {@code ;}, empty ones left out; the rest waits for the next call.
     */
    List<String> add(String text) {
        pending.append(text);
        List<String> done = new ArrayList<>();
        int end;
        while ((end = firstTerminator(pending)) >= 0) {
            String statement = pending.substring(0, end).strip();
            pending.delete(0, end + 1);
            if (!isBlank(statement)) done.add(statement);
        }
        return done;
    }

    /** What has been typed since the last complete statement, trimmed ("" if nothing). */
    String pending() {
        return isBlank(pending) ? "" : pending.toString().strip();
    }

    void clear() {
        pending.setLength(0);
    }

    /** True if {@code text} ends a statement: it holds a terminator outside literals and comments. */
    static boolean hasTerminator(CharSequence text) {
        return firstTerminator(text) >= 0;
    }

    /** True if {@code text} holds nothing but white space and comments. */
    static boolean isBlank(CharSequence text) {
        return stripComments(text).isBlank();
    }

    private static String stripComments(CharSequence text) {
        StringBuilder sb = new StringBuilder();
        scan(text, sb);
        return sb.toString();
    }

    private static int firstTerminator(CharSequence text) {
        return scan(text, null);
    }

    /** Index of the first top-level ';', or -1; copies the text outside comments into {@code code} if given. */
    private static int scan(CharSequence s, StringBuilder code) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int next = skip(s, i);
            if (next < 0) { // an unclosed comment or quote: the statement goes on
                if (code != null && c != '/') code.append(s, i, n);
                return -1;
            }
            if (next > i) {
                if (code != null && c == '/') code.append(' ');
                else if (code != null && c != '-') code.append(s, i, next);
                i = next;
                continue;
            }
            if (c == ';' && code == null) return i;
            if (code != null) code.append(c);
            i++;
        }
        return -1;
    }

    /**
     * What {@code text} ends inside of, which a statement cannot end in: {@code "a string literal"},
     * {@code "a quoted name"}, {@code "a comment"} (a block comment) or {@code "a parenthesis"}
     * (more opened than closed outside literals and comments); null when it could be a whole
     * statement. Input that ends so was cut off (docs/results.md, "Querying").
     */
    static String openAtEnd(CharSequence s) {
        int n = s.length(), depth = 0, i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int next = skip(s, i);
            if (next < 0) return c == '/' ? "a comment" : c == '`' ? "a quoted name" : "a string literal";
            if (next > i) {
                i = next;
                continue;
            }
            if (c == '(') depth++;
            if (c == ')') depth--;
            i++;
        }
        return depth > 0 ? "a parenthesis" : null;
    }

    /**
     * Where the comment ({@code --} to the end of the line, {@code /* ... *}{@code /}) or quoted text
     * ({@code '...'}, {@code "..."} with backslash escapes, {@code `...`}) that starts at {@code i}
     * ends (the index after it); {@code i} when none starts there; -1 when it is not closed.
     */
    private static int skip(CharSequence s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
            while (i < n && s.charAt(i) != '\n') i++;
            return i;
        }
        if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int close = indexOf(s, "*/", i + 2);
            return close < 0 ? -1 : close + 2;
        }
        if (c == '\'' || c == '"' || c == '`') {
            int j = i + 1;
            while (j < n && s.charAt(j) != c) j += (s.charAt(j) == '\\' && c != '`') ? 2 : 1;
            return j >= n ? -1 : j + 1;
        }
        return i;
    }

    private static int indexOf(CharSequence s, String what, int from) {
        for (int i = from; i + what.length() <= s.length(); i++) {
            if (s.subSequence(i, i + what.length()).toString().equals(what)) return i;
        }
        return -1;
    }
}
