package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A query result as an aligned text table; doubles with up to 6 significant digits, null as
 * "null". {@code sql --server} prints a JDBC answer with it in a JVM whose class path has no
 * Spark ({@link JdbcQueries}): only {@link #render(Dataset, int)} touches Spark, and the JVM
 * loads a class a method names only when that method runs.
 */
final class TextTable {
    private TextTable() {
    }

    /** At most {@code maxRows} rows of {@code result} (one more is collected, to say whether there were more). */
    static String render(Dataset<Row> result, int maxRows) {
        List<Object[]> values = new ArrayList<>();
        for (Row r : result.limit(maxRows + 1).collectAsList()) {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) v[i] = r.get(i);
            values.add(v);
        }
        return render(result.columns(), values, maxRows);
    }

    /**
     * @param rows    the rows of the answer, one value per column (as {@link #format} prints it);
     *                if there are more than {@code maxRows}, the first {@code maxRows} are shown
     *                and the table says that more were not
     */
    static String render(String[] header, List<Object[]> rows, int maxRows) {
        boolean more = rows.size() > maxRows;
        if (more) rows = rows.subList(0, maxRows);
        List<String[]> cells = new ArrayList<>();
        cells.add(header);
        for (Object[] r : rows) {
            String[] c = new String[header.length];
            for (int i = 0; i < header.length; i++) c[i] = format(r[i]);
            cells.add(c);
        }
        int[] width = new int[header.length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) width[i] = Math.max(width[i], c[i].length());
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            for (int i = 0; i < c.length; i++) {
                if (i > 0) sb.append("  ");
                sb.append(String.format("%" + (isNumeric(cells, i) ? "" : "-") + width[i] + "s", c[i]));
            }
            sb.append('\n');
            if (k == 0) {
                for (int i = 0; i < c.length; i++) sb.append(i > 0 ? "  " : "").append("-".repeat(width[i]));
                sb.append('\n');
            }
        }
        sb.append("(").append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
                .append(more ? ", more not shown: --max-rows" : "").append(")\n");
        return sb.toString();
    }

    private static boolean isNumeric(List<String[]> cells, int col) {
        for (int k = 1; k < cells.size(); k++) {
            String s = cells.get(k)[col];
            if (!s.equals("null") && !s.matches("-?[0-9.eE+-]+|NaN|-?Infinity")) return false;
        }
        return cells.size() > 1;
    }

    static String format(Object v) {
        if (v == null) return "null";
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return d.toString();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf(d.longValue());
            String s = String.format(java.util.Locale.ROOT, "%.6g", d);
            int e = s.indexOf('e');
            String mantissa = e < 0 ? s : s.substring(0, e);
            if (mantissa.contains(".")) mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
            return e < 0 ? mantissa : mantissa + s.substring(e); // 9e-05, 1.23457e+06
        }
        return String.valueOf(v);
    }

    /** One value as a CSV cell: empty for null, quoted when it holds a comma, a quote or a line break. */
    static String csv(Object v) {
        if (v == null) return "";
        String s = String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** One row as a CSV line, without the line break. */
    static String csvLine(Object[] values) {
        List<String> cells = new ArrayList<>();
        for (Object v : values) cells.add(csv(v));
        return String.join(",", cells);
    }
}
