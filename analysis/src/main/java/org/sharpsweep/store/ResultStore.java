package org.sharpsweep.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Iterator;
import java.util.UUID;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Writes a results table so that no row is lost or doubled whenever the process dies, and the
 * table stays a handful of files:
 *
 * <ul>
 *   <li>a running sweep journals every row as it arrives ({@link Journal}) and writes Parquet in
 *       batches of {@link #ROWS_PER_FILE} rows, one file per batch;</li>
 *   <li>at the end of a run, a sweep partition with more files than
 *       ceil(rows / {@link #ROWS_PER_FILE}) is compacted: rewritten into that many files;</li>
 *   <li>a journal left by a dead run is folded into Parquet by the next writer of its sweep,
 *       skipping rows that reached Parquet before the process died (same point, same start
 *       time), so folding twice adds nothing;</li>
 *   <li>a compaction writes the new files beside the table ({@code _compact/<sweep>/<id>/}),
 *       then commits by writing a manifest (old files, new files), then moves the new files in
 *       and deletes the old ones. One interrupted before the manifest is rolled back (its staging
 *       deleted), one interrupted after it is rolled forward, by the next command that opens the
 *       table.</li>
 * </ul>
 * Every write of a sweep happens under its {@link SweepLock}.
 */
public final class ResultStore {
    /** Rows per Parquet file: a run's batch size and the compaction target. */
    public static final int ROWS_PER_FILE = 10_000;
    /**
     * A run also writes its batch when the results rows it holds carry this many rows of the other
     * tables (trajectories, spectra), so that the driver's memory stays bounded whatever measure.every is.
     */
    public static final int CHILD_ROWS_PER_BATCH = 200_000;
    /** In that count, an array column (saved parameters) weighs one row per this many values: a batch holds at most ~128 MB of them. */
    public static final int DOUBLES_PER_ROW = 80;
    public static final String COMPACT_DIR = "_compact";
    public static final String MANIFEST = "_MANIFEST";
    /** The manifest's line that names the table a rewrite is of. */
    private static final String TABLE_LINE = "table ";
    /** Where {@code run --restart} moves a sweep's old rows and spec: {@code _archive/<sweep>/<time>/}. */
    public static final String ARCHIVE_DIR = "_archive";

    final SparkSession spark;
    final FileSystem fs;
    final FileSystem rawFs;
    final Path table;

    private ResultStore(SparkSession spark, FileSystem fs, FileSystem rawFs, Path table) {
        this.spark = spark;
        this.fs = fs;
        this.rawFs = rawFs;
        this.table = table;
    }

    /** Opens (does not create) the table in {@code dir} for writing. */
    public static ResultStore open(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path table = fs.makeQualified(p);
            return new ResultStore(spark, fs, Journal.fileSystem(table, spark.sparkContext().hadoopConfiguration()), table);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * What every command that reads a table does first: finishes or rolls back compactions that
     * a killed process left half done (for sweeps no live run holds), so that readers never see
     * a file twice. Rows in journals need nothing: readers see them as they are. A missing or
     * unreadable directory is left for the reader to report.
     */
    public static void settle(SparkSession spark, String dir) {
        try {
            open(spark, dir).recoverCompactions();
        } catch (IOException | IllegalArgumentException e) {
            // the reader names the problem with the directory
        }
    }

    public String dir() {
        return table.toString();
    }

    Path journalDir(String sweepId) {
        return new Path(new Path(table, Journal.DIR), sweepId);
    }

    Path partition(String sweepId) {
        return new Path(table, ResultSchema.SWEEP_ID + "=" + sweepId);
    }

    /** The sweep's partition of a table of the directory ({@link ResultSchema#tables()}). */
    Path partition(ResultSchema.Table t, String sweepId) {
        return t == ResultSchema.RESULTS ? partition(sweepId)
                : new Path(new Path(table, t.folder()), ResultSchema.SWEEP_ID + "=" + sweepId);
    }

    /** A new journal file for a run of the sweep (the caller holds its lock). */
    public Journal.Writer newJournal(String sweepId) throws IOException {
        String name = String.format("%d-%s%s", System.currentTimeMillis(), UUID.randomUUID(), Journal.SUFFIX);
        return new Journal.Writer(rawFs, new Path(journalDir(sweepId), name));
    }

    /**
     * Every point of the sweep in Parquet, with whether it has a result (a row with status OK or
     * DIVERGED; FAILED points are retried), in one read; call after {@link #recover}, which folds
     * the journal in.
     */
    public Map<String, Boolean> points(String sweepId) throws IOException {
        List<Path> files = dataFiles(sweepId);
        if (files.isEmpty()) return Map.of();
        Map<String, Boolean> out = new java.util.HashMap<>();
        for (Row r : spark.read().schema(SparkSchema.results()).parquet(paths(files))
                .select(col(ResultSchema.POINT_ID), col(ResultSchema.STATUS)).collectAsList()) {
            boolean done = ResultSchema.DONE_STATUSES.contains(r.getString(1));
            out.merge(r.getString(0), done, Boolean::logicalOr);
        }
        return out;
    }

    /**
     * Moves the sweep's partition and kept spec to {@code _archive/<sweep>/<time>/} (renames:
     * nothing is deleted); the caller holds the lock and has recovered the sweep.
     */
    public Path archive(String sweepId) throws IOException {
        Path to = new Path(new Path(new Path(table, ARCHIVE_DIR), sweepId),
                java.time.Instant.now().toString().replace(':', '-'));
        fs.mkdirs(to);
        Path spec = new Path(table, ResultSchema.specFile(sweepId));
        if (fs.exists(spec) && !fs.rename(spec, new Path(to, sweepId + ".yaml"))) throw new IOException("cannot move " + spec + " to " + to);
        for (ResultSchema.Table t : ResultSchema.tables()) {
            Path part = partition(t, sweepId);
            Path target = t == ResultSchema.RESULTS ? new Path(to, part.getName()) : new Path(new Path(to, t.folder()), part.getName());
            if (!fs.exists(part)) continue;
            fs.mkdirs(target.getParent());
            if (!fs.rename(part, target)) throw new IOException("cannot move " + part + " to " + to);
        }
        return to;
    }

    /** Where {@code check --repair} moves files it cannot use: {@code _quarantine/<time>/sweep_id=<id>/}. */
    public static final String QUARANTINE_DIR = "_quarantine";

    /** Reads every file of each of the sweep's tables once and reports what is wrong ({@link StoreCheck#inspect}); changes nothing. */
    public StoreCheck.Inspection inspect(String sweepId) throws IOException {
        return new StoreCheck(this).inspect(sweepId);
    }

    /** Settles what {@link #inspect} found ({@link StoreCheck#repair}); returns the quarantine folder, or null if nothing was moved. */
    public Path repair(String sweepId, StoreCheck.Inspection in) throws IOException {
        return new StoreCheck(this).repair(sweepId, in);
    }

    /** What {@link #upgradeIds} did. */
    public record Upgrade(long rows, long rewritten, long unknown) {
    }

    /**
     * Rewrites the point ids of a sweep written by an earlier release to the current rule
     * ({@code legacy id -> id}), atomically like a compaction; every other column stays as it was,
     * the {@code seed} column included (the seed each point was computed with). Rows whose id is
     * not in the map are kept as they are. Safe to repeat: a second run finds nothing to change.
     */
    public Upgrade upgradeIds(String sweepId, Map<String, String> legacyToNew) throws IOException {
        try (SweepLock lock = lock(sweepId)) {
            recover(sweepId);
            List<Path> files = dataFiles(sweepId);
            if (files.isEmpty()) return new Upgrade(0, 0, 0);
            Dataset<Row> rows = spark.read().schema(SparkSchema.results()).parquet(paths(files));
            Set<String> current = new HashSet<>(legacyToNew.values());
            long total = 0, legacy = 0, unknown = 0;
            for (Row r : rows.groupBy(col(ResultSchema.POINT_ID)).count().collectAsList()) {
                total += r.getLong(1);
                if (legacyToNew.containsKey(r.getString(0))) legacy += r.getLong(1);
                else if (!current.contains(r.getString(0))) unknown += r.getLong(1);
            }
            List<Row> pairs = new ArrayList<>();
            legacyToNew.forEach((a, b) -> pairs.add(org.apache.spark.sql.RowFactory.create(a, b)));
            Dataset<Row> map = spark.createDataFrame(pairs, new org.apache.spark.sql.types.StructType()
                    .add("_legacy_id", org.apache.spark.sql.types.DataTypes.StringType)
                    .add("_new_id", org.apache.spark.sql.types.DataTypes.StringType));
            for (ResultSchema.Table t : ResultSchema.tables()) { // the rows of the other tables carry the point's id too
                List<Path> tf = dataFiles(t, sweepId);
                if (tf.isEmpty()) continue;
                boolean anyLegacy = spark.read().schema(SparkSchema.of(t)).parquet(paths(tf)).select(col(ResultSchema.POINT_ID)).distinct()
                        .collectAsList().stream().anyMatch(r -> legacyToNew.containsKey(r.getString(0)));
                if (!anyLegacy) continue; // also where an upgrade killed between two tables left this one to do
                String[] columns = SparkSchema.of(t).fieldNames();
                rewrite(t, sweepId, tf, d -> {
                    Dataset<Row> joined = d.join(org.apache.spark.sql.functions.broadcast(map),
                            d.col(ResultSchema.POINT_ID).equalTo(map.col("_legacy_id")), "left");
                    return joined.withColumn(ResultSchema.POINT_ID,
                                    org.apache.spark.sql.functions.coalesce(col("_new_id"), d.col(ResultSchema.POINT_ID)))
                            .select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col)
                                    .toArray(org.apache.spark.sql.Column[]::new));
                });
            }
            return new Upgrade(total, legacy, unknown);
        }
    }

    /** Takes the lock of a sweep, or says who has it. */
    public SweepLock lock(String sweepId) throws IOException {
        SweepLock lock = SweepLock.tryAcquire(rawFs, journalDir(sweepId));
        if (lock == null) {
            throw new IllegalArgumentException("sweep " + sweepId + " in " + table + " is being written by another run ("
                    + SweepLock.holder(rawFs, journalDir(sweepId)) + "); wait for it to finish, or stop it");
        }
        return lock;
    }

    /**
     * Under the sweep's lock: finishes or rolls back an interrupted compaction, then folds the
     * journals of dead runs into Parquet.
     *
     * @return rows folded in from journals
     */
    public int recover(String sweepId) throws IOException {
        recoverCompactions(sweepId);
        List<Path> journals = Journal.files(rawFs, table, sweepId);
        if (journals.isEmpty()) return 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path j : journals) rows.addAll(Journal.read(rawFs, j));
        int added = 0;
        if (!rows.isEmpty()) {
            // each table on its own: a run may have died between writing one table's batch and the next's
            for (ResultSchema.Table t : ResultSchema.tables()) {
                Set<String> inParquet = keysInParquet(t, sweepId);
                List<Map<String, Object>> missing = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Map<String, Object> r : rows) {
                    String k = key((String) r.get(ResultSchema.POINT_ID), java.sql.Timestamp.from((java.time.Instant) r.get(ResultSchema.START_TIME)));
                    if (!inParquet.contains(k) && seen.add(k)) missing.addAll(Journal.rowsOf(t, r));
                }
                write(t, sweepId, missing);
                if (t == ResultSchema.RESULTS) added = missing.size();
            }
        }
        for (Path j : journals) rawFs.delete(j, false);
        return added;
    }

    /** The (point_id, start_time) keys of the attempts that have rows in a table's partition of the sweep. */
    private Set<String> keysInParquet(ResultSchema.Table t, String sweepId) throws IOException {
        Set<String> keys = new HashSet<>();
        Path part = partition(t, sweepId);
        if (!fs.exists(part) || dataFiles(part).isEmpty()) return keys;
        spark.read().schema(SparkSchema.of(t)).parquet(paths(dataFiles(part)))
                .select(col(ResultSchema.POINT_ID), col(ResultSchema.START_TIME)).distinct().collectAsList()
                .forEach(r -> keys.add(key(r.getString(0), r.get(1))));
        return keys;
    }

    /** A row's identity across the journal and Parquet: its point and its start time (as Spark stores it, in microseconds). */
    static String key(String pointId, Object startTime) {
        Object t = startTime instanceof java.sql.Timestamp ts ? ts.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS) : startTime;
        return pointId + "@" + t;
    }

    /** The Parquet files of a sweep's partition. */
    public List<Path> dataFiles(String sweepId) throws IOException {
        return dataFiles(partition(sweepId));
    }

    /** The Parquet files of a sweep's partition of table {@code t}. */
    public List<Path> dataFiles(ResultSchema.Table t, String sweepId) throws IOException {
        return dataFiles(partition(t, sweepId));
    }

    private List<Path> dataFiles(Path part) throws IOException {
        if (!fs.exists(part)) return List.of();
        List<Path> out = new ArrayList<>();
        for (FileStatus f : fs.listStatus(part)) {
            String n = f.getPath().getName();
            if (f.isFile() && n.endsWith(".parquet") && !n.startsWith(".") && !n.startsWith("_")) out.add(f.getPath());
        }
        return out;
    }

    /** {@link #sweeps()}, refusing a directory that holds no results table. */
    public List<String> sweepsOrRefuse() throws IOException {
        List<String> ids = sweeps();
        if (ids.isEmpty()) throw new IllegalArgumentException("no results table in " + table + " (expected sweep_id=... partitions)");
        return ids;
    }

    /** Sweep ids with a partition, a journal or a staged compaction. */
    public List<String> sweeps() throws IOException {
        return TableFiles.sweeps(fs, table);
    }

    /**
     * Appends results rows of one sweep to its partition as one Parquet file ({@link ParquetFiles}),
     * committed by a rename, after the rows of the other tables that they carry
     * ({@link ResultSchema#CHILD_ROWS}), each table's as one file of its own partition.
     */
    public void append(String sweepId, List<Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) return;
        for (ResultSchema.Table t : ResultSchema.children()) {
            List<Map<String, Object>> children = new ArrayList<>();
            for (Map<String, Object> r : rows) children.addAll(Journal.rowsOf(t, r));
            write(t, sweepId, children);
        }
        write(ResultSchema.RESULTS, sweepId, rows);
    }

    /** Appends rows of a table other than the results to the sweep's partition as one file; the caller holds the lock. */
    public void appendRows(ResultSchema.Table t, String sweepId, List<Map<String, Object>> rows) throws IOException {
        write(t, sweepId, rows);
    }

    private void write(ResultSchema.Table t, String sweepId, List<Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) return;
        ParquetFiles.write(fs, spark.sparkContext().hadoopConfiguration(), partition(t, sweepId), t, rows.iterator(), Integer.MAX_VALUE,
                ParquetFiles.Writer::write);
    }

    /** What {@link #compactSweep} did. */
    public record Compaction(int filesBefore, int filesAfter, long rows, int journalRows) {
        @Override
        public String toString() {
            return String.format("%d rows, %d Parquet file%s -> %d%s", rows, filesBefore, filesBefore == 1 ? "" : "s", filesAfter,
                    journalRows > 0 ? " (" + journalRows + " rows of an interrupted run folded in)" : "");
        }
    }

    /**
     * Under the sweep's lock: recovery ({@link #recover}), then compaction of each of its tables
     * that has more files than it needs. Null if a running sweep holds the lock. The counts of
     * files are over every table; {@code rows} counts the results rows.
     */
    public Compaction compactSweep(String sweepId) throws IOException {
        SweepLock lock = SweepLock.tryAcquire(rawFs, journalDir(sweepId));
        if (lock == null) return null;
        try (lock) {
            int folded = recover(sweepId);
            int before = 0;
            for (ResultSchema.Table t : ResultSchema.tables()) before += dataFiles(t, sweepId).size();
            compactIfNeeded(sweepId);
            int after = 0;
            for (ResultSchema.Table t : ResultSchema.tables()) after += dataFiles(t, sweepId).size();
            List<Path> results = dataFiles(sweepId);
            long rows = results.isEmpty() ? 0 : spark.read().schema(SparkSchema.results()).parquet(paths(results)).count();
            return new Compaction(before, after, rows, folded);
        }
    }

    /**
     * Compacts each table of the sweep that has more files than it needs (results first); the
     * caller holds its lock. @return whether it compacted any
     */
    public boolean compactIfNeeded(String sweepId) throws IOException {
        boolean any = false;
        for (ResultSchema.Table t : ResultSchema.tables()) {
            List<Path> files = dataFiles(t, sweepId);
            if (files.size() <= 1) continue;
            Dataset<Row> d = spark.read().schema(SparkSchema.of(t)).parquet(paths(files));
            int perFile = rowsPerFile(t, d);
            long rows = d.count();
            if (files.size() <= (rows + perFile - 1) / perFile) continue;
            rewrite(t, sweepId, files, x -> x);
            any = true;
        }
        return any;
    }

    public static int filesFor(long rows) {
        return (int) Math.max(1, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
    }

    /**
     * Rows per file when a table is rewritten: {@link #ROWS_PER_FILE}, except for a table with an
     * array column (saved parameters), whose rows weigh one per {@link #DOUBLES_PER_ROW} values,
     * so that a file holds about as much as a file of plain rows.
     */
    private static int rowsPerFile(ResultSchema.Table t, Dataset<Row> rows) {
        if (t.column(ResultSchema.NUM_PARAMS) == null || t.columns().stream().noneMatch(c -> c.type() == ResultSchema.Type.DOUBLE_ARRAY)) {
            return ROWS_PER_FILE;
        }
        Row max = rows.agg(org.apache.spark.sql.functions.max(col(ResultSchema.NUM_PARAMS))).first();
        long p = max.isNullAt(0) ? 0 : ((Number) max.get(0)).longValue();
        return (int) Math.max(1, Math.min(ROWS_PER_FILE, (long) ROWS_PER_FILE * DOUBLES_PER_ROW / Math.max(1, p)));
    }

    /** The order of a table's rows in the files a rewrite writes: the results by point_index and start_time, another table by its identity columns. */
    private static org.apache.spark.sql.Column[] order(ResultSchema.Table t) {
        if (t == ResultSchema.RESULTS) return new org.apache.spark.sql.Column[] {col(ResultSchema.POINT_INDEX), col(ResultSchema.START_TIME)};
        return t.columns().stream().filter(c -> c.group() == ResultSchema.Group.IDENTITY && !c.name().equals(ResultSchema.SWEEP_ID))
                .map(c -> col(c.name())).toArray(org.apache.spark.sql.Column[]::new);
    }

    static String[] paths(List<Path> files) {
        return files.stream().map(Path::toString).toArray(String[]::new);
    }

    /**
     * Rewrites the given files of a sweep into ceil(rows / ROWS_PER_FILE) files with exactly
     * the same rows (sorted by point_index, then start_time), atomically as the class comment
     * says. The caller holds the sweep's lock.
     */
    public void compact(String sweepId, List<Path> old, long rows) throws IOException {
        rewrite(sweepId, old, d -> d);
    }

    /** As {@link #compact(String, List, long)}; with {@code distinct}, a row stored twice is kept once. */
    public void compact(String sweepId, List<Path> old, long rows, boolean distinct) throws IOException {
        rewrite(sweepId, old, distinct ? Dataset::distinct : d -> d);
    }

    /**
     * Replaces the given files of a sweep by the rows {@code change} makes of theirs, in files
     * of at most {@link #ROWS_PER_FILE} rows sorted by point_index and start_time, atomically:
     * staged, committed by a manifest, rolled forward (see the class comment). Compaction is the
     * identity change. The caller holds the sweep's lock.
     */
    public void rewrite(String sweepId, List<Path> old, java.util.function.UnaryOperator<Dataset<Row>> change) throws IOException {
        rewrite(ResultSchema.RESULTS, sweepId, old, change);
    }

    /** As {@link #rewrite(String, List, java.util.function.UnaryOperator)}, for the sweep's partition of table {@code t}. */
    public void rewrite(ResultSchema.Table t, String sweepId, List<Path> old, java.util.function.UnaryOperator<Dataset<Row>> change)
            throws IOException {
        Path staging = new Path(new Path(new Path(table, COMPACT_DIR), sweepId), UUID.randomUUID().toString());
        Path data = new Path(staging, "data");
        Dataset<Row> read = spark.read().schema(SparkSchema.of(t)).parquet(paths(old))
                .withColumn(ResultSchema.SWEEP_ID, lit(sweepId));
        Dataset<Row> changed = change.apply(read);
        int perFile = rowsPerFile(t, changed);
        Iterator<Row> it = changed.orderBy(order(t)).toLocalIterator();
        List<Path> written = ParquetFiles.write(fs, spark.sparkContext().hadoopConfiguration(), data, t, it, perFile,
                (ParquetFiles.Adder<Row>) ParquetFiles.Writer::write);
        Faults.at("compact-staged");
        List<String> lines = new ArrayList<>();
        lines.add(TABLE_LINE + t.name());
        for (Path o : old) lines.add("old " + o.getName());
        for (Path f : written) lines.add("new " + f.getName());
        Path tmp = new Path(staging, "manifest.tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, new Path(staging, MANIFEST))) throw new IOException("cannot commit compaction manifest in " + staging);
        Faults.at("compact-committed");
        rollForward(sweepId, staging);
    }

    /** Moves a committed compaction's new files in and deletes the old ones; safe to repeat. */
    private void rollForward(String sweepId, Path staging) throws IOException {
        List<String> manifest = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(new Path(staging, MANIFEST)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) if (!line.isBlank()) manifest.add(line);
        }
        ResultSchema.Table t = ResultSchema.RESULTS; // a manifest of the release before tables were compacted names none
        for (String line : manifest) {
            if (!line.startsWith(TABLE_LINE)) continue;
            String name = line.substring(TABLE_LINE.length());
            t = ResultSchema.tables().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IOException("compaction manifest in " + staging + " names an unknown table " + name));
        }
        Path part = partition(t, sweepId);
        fs.mkdirs(part);
        Path stagedPart = new Path(staging, "data");
        boolean first = true;
        for (String line : manifest) {
            if (!line.startsWith("new ")) continue;
            Path from = new Path(stagedPart, line.substring(4));
            Path to = new Path(part, line.substring(4));
            if (fs.exists(from) && !fs.exists(to) && !fs.rename(from, to)) throw new IOException("cannot move " + from + " to " + to);
            if (first) {
                Faults.at("compact-moving");
                first = false;
            }
        }
        for (String line : manifest) {
            if (line.startsWith("old ")) fs.delete(new Path(part, line.substring(4)), false);
        }
        fs.delete(staging, true);
        deleteIfEmpty(staging.getParent());
    }

    /** Deletes an empty folder inside {@code _compact} and its parents while they are empty, {@code _compact} included. */
    private void deleteIfEmpty(Path dir) throws IOException {
        Path top = new Path(table, COMPACT_DIR);
        for (Path d = dir; d != null && fs.exists(d) && fs.listStatus(d).length == 0; d = d.getParent()) {
            fs.delete(d, false);
            if (d.equals(top)) break;
        }
    }

    /** Rolls forward committed compactions of a sweep and deletes uncommitted ones; the caller holds its lock. */
    public void recoverCompactions(String sweepId) throws IOException {
        Path dir = new Path(new Path(table, COMPACT_DIR), sweepId);
        if (!fs.exists(dir)) return;
        for (FileStatus s : fs.listStatus(dir)) {
            if (!s.isDirectory()) continue;
            if (fs.exists(new Path(s.getPath(), MANIFEST))) rollForward(sweepId, s.getPath());
            else fs.delete(s.getPath(), true);
        }
        deleteIfEmpty(dir);
    }

    /**
     * Brings every sweep that no live run holds to a clean state (interrupted compactions
     * finished or rolled back); sweeps being written by a run are left to it. Quick when there is
     * nothing to do: one listing of {@code _compact/}.
     */
    public void recoverCompactions() throws IOException {
        Path dir = new Path(table, COMPACT_DIR);
        if (!fs.exists(dir)) return;
        for (FileStatus s : fs.listStatus(dir)) {
            if (!s.isDirectory()) continue;
            String sweepId = s.getPath().getName();
            SweepLock lock = SweepLock.tryAcquire(rawFs, journalDir(sweepId));
            if (lock == null) continue;
            try (lock) {
                recoverCompactions(sweepId);
            }
        }
    }
}
