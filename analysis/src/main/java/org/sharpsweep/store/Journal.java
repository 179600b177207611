package org.sharpsweep.store;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.sweeps.ResultSchema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The results table's journal: rows that reached the driver and are durable but not yet in a
 * Parquet file. A running sweep appends each arriving row to
 * {@code DIR/_journal/<sweep_id>/<run>.jsonl} as one JSON line and flushes it before counting the
 * point as done; Parquet is written in large batches, after which the journal file is deleted.
 * A journal left by a killed run is folded into Parquet by the next {@code run} or
 * {@code compact} of the table; until then readers ({@link ResultsTable}) see its rows too.
 *
 * <p>The encoding is exact: doubles are written with {@link Double#toString} (shortest text that
 * reads back to the same bits; NaN and infinities as strings), timestamps as ISO-8601 instants
 * with every digit. A line cut short by a kill does not parse and is skipped: only the last line
 * of a journal can be cut, and its point was not yet counted as done.
 */
public final class Journal {
    private Journal() {
    }

    /** Folder of the journals, beside the partitions; Parquet readers skip names starting with '_'. */
    public static final String DIR = ResultSchema.JOURNAL_DIR;
    /** File name suffix of a journal. */
    public static final String SUFFIX = ".jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One results row (column name to value, {@link ResultSchema} types) as one JSON line,
     * without the newline; the rows of other tables it carries ({@link ResultSchema#CHILD_ROWS})
     * go into the same line, so that they are durable together.
     */
    public static String encode(Map<String, Object> row) {
        ObjectNode o = object(ResultSchema.RESULTS, row);
        if (row.get(ResultSchema.CHILD_ROWS) instanceof Map<?, ?> children && !children.isEmpty()) {
            ObjectNode c = o.putObject(ResultSchema.CHILD_ROWS);
            for (ResultSchema.Table t : ResultSchema.children()) {
                if (!(children.get(t.name()) instanceof List<?> rows) || rows.isEmpty()) continue;
                var array = c.putArray(t.name());
                for (Object r : rows) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) r;
                    array.add(object(t, m));
                }
            }
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode object(ResultSchema.Table table, Map<String, Object> row) {
        ObjectNode o = JSON.createObjectNode();
        for (ResultSchema.Column c : table.columns()) {
            Object v = row.get(c.name());
            if (v == null) {
                o.putNull(c.name());
                continue;
            }
            switch (c.type()) {
                case STRING -> o.put(c.name(), (String) v);
                case INT -> o.put(c.name(), ((Number) v).intValue());
                case LONG -> o.put(c.name(), ((Number) v).longValue());
                case DOUBLE -> {
                    double d = ((Number) v).doubleValue();
                    if (Double.isFinite(d)) o.put(c.name(), d);
                    else o.put(c.name(), Double.toString(d));
                }
                case BOOLEAN -> o.put(c.name(), (Boolean) v);
                case TIMESTAMP -> o.put(c.name(), instant(v).toString());
                case DOUBLE_ARRAY -> {
                    var a = o.putArray(c.name());
                    for (double d : doubles(v)) {
                        if (Double.isFinite(d)) a.add(d);
                        else a.add(Double.toString(d));
                    }
                }
            }
        }
        return o;
    }

    /**
     * A JSON line back as a results row (column name to value), with the rows of other tables
     * under {@link ResultSchema#CHILD_ROWS} when it carries any; null if the line is cut or not a row.
     */
    public static Map<String, Object> decode(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (o == null || !o.isObject() || !o.has(ResultSchema.POINT_ID) || !o.has(ResultSchema.START_TIME)) return null;
        Map<String, Object> row = row(ResultSchema.RESULTS, o);
        JsonNode c = o.get(ResultSchema.CHILD_ROWS);
        if (c != null && c.isObject()) {
            Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
            for (ResultSchema.Table t : ResultSchema.children()) {
                JsonNode rows = c.get(t.name());
                if (rows == null || !rows.isArray()) continue;
                List<Map<String, Object>> list = new ArrayList<>();
                for (JsonNode r : rows) list.add(row(t, r));
                children.put(t.name(), list);
            }
            row.put(ResultSchema.CHILD_ROWS, children);
        }
        return row;
    }

    private static Map<String, Object> row(ResultSchema.Table table, JsonNode o) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (ResultSchema.Column c : table.columns()) {
            JsonNode v = o.get(c.name());
            if (v == null || v.isNull()) {
                row.put(c.name(), null);
                continue;
            }
            row.put(c.name(), switch (c.type()) {
                case STRING -> v.asText();
                case INT -> v.intValue();
                case LONG -> v.longValue();
                case DOUBLE -> v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
                case BOOLEAN -> v.booleanValue();
                case TIMESTAMP -> Instant.parse(v.asText());
                case DOUBLE_ARRAY -> {
                    double[] a = new double[v.size()];
                    for (int i = 0; i < a.length; i++) {
                        JsonNode e = v.get(i);
                        a[i] = e.isTextual() ? Double.parseDouble(e.asText()) : e.doubleValue();
                    }
                    yield a;
                }
            });
        }
        return row;
    }

    /** The rows of table {@code t} that a decoded results row carries (itself for the results table). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rowsOf(ResultSchema.Table t, Map<String, Object> resultsRow) {
        if (t == ResultSchema.RESULTS) return List.of(resultsRow);
        if (!(resultsRow.get(ResultSchema.CHILD_ROWS) instanceof Map<?, ?> children)) return List.of();
        Object rows = children.get(t.name());
        return rows == null ? List.of() : (List<Map<String, Object>>) rows;
    }

    /** A row (column name to value) as a Spark row of {@link SparkSchema#results()}. */
    public static Row toSpark(Map<String, Object> row) {
        return toSpark(ResultSchema.RESULTS, row);
    }

    /** A row (column name to value) as a Spark row of {@link SparkSchema#of} the table. */
    public static Row toSpark(ResultSchema.Table table, Map<String, Object> row) {
        Object[] values = new Object[table.columns().size()];
        int i = 0;
        for (ResultSchema.Column c : table.columns()) {
            Object v = row.get(c.name());
            values[i++] = c.type() == ResultSchema.Type.TIMESTAMP && v != null ? Timestamp.from(instant(v)) : v;
        }
        return RowFactory.create(values);
    }

    /** A DOUBLE_ARRAY value as a double[]: itself, or a copy of a list or Scala sequence of numbers. */
    public static double[] doubles(Object v) {
        if (v instanceof double[] a) return a;
        if (v instanceof scala.collection.Seq<?> seq) v = scala.collection.JavaConverters.seqAsJavaList(seq);
        if (v instanceof List<?> list) {
            double[] a = new double[list.size()];
            for (int i = 0; i < a.length; i++) a[i] = ((Number) list.get(i)).doubleValue();
            return a;
        }
        throw new IllegalArgumentException("not an array of doubles: " + v.getClass().getName());
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant t) return t;
        if (v instanceof Timestamp t) return t.toInstant();
        throw new IllegalArgumentException("not a timestamp: " + v);
    }

    /** The file system of {@code path}; the raw local one for {@code file:}, so that a flush reaches the file. */
    public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Every journal file of the table (of every sweep), oldest first. */
    public static List<Path> files(FileSystem fs, Path table) throws IOException {
        Path dir = new Path(table, DIR);
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus sweep : fs.listStatus(dir)) {
            if (!sweep.isDirectory()) continue;
            out.addAll(files(fs, table, sweep.getPath().getName()));
        }
        return out;
    }

    /** The journal files of one sweep, oldest first. */
    public static List<Path> files(FileSystem fs, Path table, String sweepId) throws IOException {
        Path dir = new Path(new Path(table, DIR), sweepId);
        List<FileStatus> found = new ArrayList<>();
        try {
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isFile() && f.getPath().getName().endsWith(SUFFIX)) found.add(f);
            }
        } catch (FileNotFoundException e) {
            return List.of();
        }
        found.sort(java.util.Comparator.comparingLong(FileStatus::getModificationTime));
        return found.stream().map(FileStatus::getPath).toList();
    }

    /** The complete rows of one journal file, in the order they arrived. */
    public static List<Map<String, Object>> read(FileSystem fs, Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                Map<String, Object> row = decode(line);
                if (row != null) rows.add(row);
            }
        } catch (FileNotFoundException e) {
            return List.of(); // folded and deleted by its run meanwhile
        }
        return rows;
    }

    /** Every journal row of the table as a DataFrame of {@link SparkSchema#results()}, or null if there is none. */
    public static Dataset<Row> rows(SparkSession spark, String table) {
        return rows(spark, table, ResultSchema.RESULTS);
    }

    /**
     * Every journaled row of table {@code t} in the results directory {@code dir} as a DataFrame
     * of {@link SparkSchema#of} it, or null if there is none.
     */
    public static Dataset<Row> rows(SparkSession spark, String dir, ResultSchema.Table t) {
        try {
            Path d = new Path(dir);
            FileSystem fs = fileSystem(d, spark.sparkContext().hadoopConfiguration());
            List<Row> rows = new ArrayList<>();
            for (Path f : files(fs, d)) {
                for (Map<String, Object> r : read(fs, f)) for (Map<String, Object> x : rowsOf(t, r)) rows.add(toSpark(t, x));
            }
            return rows.isEmpty() ? null : spark.createDataFrame(rows, SparkSchema.of(t));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the journal of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Appends rows to one journal file; each {@link #append} is flushed to the file system before it returns. */
    public static final class Writer implements AutoCloseable {
        private final FileSystem fs;
        private final Path file;
        private final FSDataOutputStream out;

        public Writer(FileSystem fs, Path file) throws IOException {
            this.fs = fs;
            this.file = file;
            this.out = fs.create(file, false);
        }

        public Path file() {
            return file;
        }

        /**
         * Writes one encoded row ({@link #encode}) as one line and flushes it: when this returns,
         * the line is in the file system and outlives the process.
         */
        public void append(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.hflush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        /** Closes and deletes the file (its rows are in Parquet now). */
        public void delete() throws IOException {
            close();
            fs.delete(file, false);
        }
    }
}
