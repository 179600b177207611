package org.sharpsweep.store;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Writes the results table's Parquet files from the driver with parquet-hadoop directly, without
 * a Spark job: a batch of rows is one file, written under a hidden name in its partition
 * ({@code sweep_id=<id>/_tmp-...}, skipped by every Parquet reader) and committed by one rename
 * to {@code part-<uuid>.c000.snappy.parquet}. The file holds every column of
 * {@link ResultSchema} but {@code sweep_id} (the partition's directory name says it), with the
 * physical types Spark itself writes: strings as UTF-8 binary, timestamps as INT64 microseconds
 * since the epoch (UTC).
 */
public final class ParquetFiles {
    private ParquetFiles() {
    }

    /** The results file schema: every column but the partition column, all optional. */
    public static final MessageType SCHEMA = schema(ResultSchema.RESULTS);

    /** A table's file schema: every column but the partition column {@code sweep_id}, all optional. */
    public static MessageType schema(ResultSchema.Table table) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (ResultSchema.Column c : columns(table)) {
            Type t = switch (c.type()) {
                case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
                case INT -> Types.optional(PrimitiveTypeName.INT32).named(c.name());
                case LONG -> Types.optional(PrimitiveTypeName.INT64).named(c.name());
                case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(c.name());
                case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
                case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(c.name());
                // Spark's three-level list: optional group (LIST) { repeated group list { required double element } }
                case DOUBLE_ARRAY -> Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                        .addField(Types.repeatedGroup().addField(Types.required(PrimitiveTypeName.DOUBLE).named("element")).named("list"))
                        .named(c.name());
            };
            b.addField(t);
        }
        return b.named("spark_schema");
    }

    private static List<ResultSchema.Column> columns(ResultSchema.Table table) {
        return table.columns().stream().filter(c -> !c.name().equals(ResultSchema.SWEEP_ID)).toList();
    }

    /** One new file of a partition; nothing is visible to readers until {@link #commit}. */
    public static final class Writer implements AutoCloseable {
        private final FileSystem fs;
        private final Path tmp;
        private final Path target;
        private final ParquetWriter<Group> out;
        private final List<ResultSchema.Column> columns;
        private final SimpleGroupFactory groups;
        private long rows;
        private boolean closed;

        Writer(FileSystem fs, Configuration conf, Path partitionDir) throws IOException {
            this(fs, conf, partitionDir, ResultSchema.RESULTS);
        }

        Writer(FileSystem fs, Configuration conf, Path partitionDir, ResultSchema.Table table) throws IOException {
            this.fs = fs;
            MessageType schema = table == ResultSchema.RESULTS ? SCHEMA : schema(table);
            this.columns = columns(table);
            this.groups = new SimpleGroupFactory(schema);
            String id = UUID.randomUUID().toString();
            this.tmp = new Path(partitionDir, "_tmp-" + id + ".parquet");
            this.target = new Path(partitionDir, "part-00000-" + id + ".c000.snappy.parquet");
            fs.mkdirs(partitionDir);
            this.out = ExampleParquetWriter.builder(tmp)
                    .withConf(conf)
                    .withType(schema)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .build();
        }

        /** Adds a row given as column name to value ({@link ResultSchema} types; Instant or Timestamp for timestamps). */
        public void write(Map<String, Object> row) throws IOException {
            Group g = groups.newGroup();
            for (ResultSchema.Column c : columns) add(g, c, row.get(c.name()));
            out.write(g);
            rows++;
        }

        /** Adds a Spark row of {@link SparkSchema#results()}, read by column name. */
        public void write(Row row) throws IOException {
            Group g = groups.newGroup();
            for (ResultSchema.Column c : columns) add(g, c, row.isNullAt(row.fieldIndex(c.name())) ? null : row.get(row.fieldIndex(c.name())));
            out.write(g);
            rows++;
        }

        public long rows() {
            return rows;
        }

        /** Finishes the file and makes it part of the table (one rename). */
        public Path commit() throws IOException {
            close();
            if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
            return target;
        }

        /** Without {@link #commit}: drops the unfinished file. */
        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            out.close();
        }

        public void abort() throws IOException {
            close();
            fs.delete(tmp, false);
        }

        private static void add(Group g, ResultSchema.Column c, Object v) {
            if (v == null) return;
            switch (c.type()) {
                case STRING -> g.add(c.name(), (String) v);
                case INT -> g.add(c.name(), ((Number) v).intValue());
                case LONG -> g.add(c.name(), ((Number) v).longValue());
                case DOUBLE -> g.add(c.name(), ((Number) v).doubleValue());
                case BOOLEAN -> g.add(c.name(), (Boolean) v);
                case TIMESTAMP -> g.add(c.name(), micros(v));
                case DOUBLE_ARRAY -> {
                    Group list = g.addGroup(c.name());
                    for (double d : Journal.doubles(v)) list.addGroup("list").add("element", d);
                }
            }
        }

        private static long micros(Object v) {
            Instant t = v instanceof Timestamp ts ? ts.toInstant() : (Instant) v;
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        }
    }

    /**
     * Writes and deletes a one-row file in a temporary local folder, so that the first real
     * batch does not pay for loading the Parquet writer and its codec (about a second here).
     */
    public static void warmUp() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sharpsweep-warmup");
            try {
                Configuration conf = new Configuration();
                Path p = new Path(dir.toUri());
                FileSystem fs = p.getFileSystem(conf);
                Map<String, Object> row = new java.util.HashMap<>();
                row.put(ResultSchema.POINT_ID, "warm-up");
                row.put(ResultSchema.START_TIME, Instant.now());
                write(fs, conf, p, List.of(row).iterator(), 1, Writer::write);
            } finally {
                try (var files = java.nio.file.Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException | RuntimeException e) {
            // only a warm-up: the real write reports its own errors
        }
    }

    /** How {@link #write} adds one row of type T to a file. */
    public interface Adder<T> {
        public void add(Writer w, T row) throws IOException;
    }

    /** Writes rows of the results table as files of at most {@code perFile} rows into a folder; returns the committed files. */
    public static <T> List<Path> write(FileSystem fs, Configuration conf, Path dir, java.util.Iterator<T> rows, int perFile, Adder<T> adder)
            throws IOException {
        return write(fs, conf, dir, ResultSchema.RESULTS, rows, perFile, adder);
    }

    /** Writes rows of a table as files of at most {@code perFile} rows into a folder; returns the committed files. */
    public static <T> List<Path> write(FileSystem fs, Configuration conf, Path dir, ResultSchema.Table table, java.util.Iterator<T> rows,
                                int perFile, Adder<T> adder) throws IOException {
        List<Path> files = new ArrayList<>();
        Writer w = null;
        try {
            while (rows.hasNext()) {
                if (w == null) w = new Writer(fs, conf, dir, table);
                adder.add(w, rows.next());
                if (w.rows() >= perFile) {
                    files.add(w.commit());
                    w = null;
                }
            }
            if (w != null) files.add(w.commit());
            w = null;
        } finally {
            if (w != null) w.abort();
        }
        return files;
    }
}
