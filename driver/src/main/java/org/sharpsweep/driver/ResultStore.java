package org.sharpsweep.driver;

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
import org.sharpsweep.analysis.Journal;
import org.sharpsweep.analysis.SparkSchema;
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
final class ResultStore {
    /** Rows per Parquet file: a run's batch size and the compaction target. */
    static final int ROWS_PER_FILE = 10_000;
    /**
     * A run also writes its batch when the results rows it holds carry this many rows of the other
     * tables (trajectories, spectra), so that the driver's memory stays bounded whatever measure.every is.
     */
    static final int CHILD_ROWS_PER_BATCH = 200_000;
    /** In that count, an array column (saved parameters) weighs one row per this many values: a batch holds at most ~128 MB of them. */
    static final int DOUBLES_PER_ROW = 80;
    static final String COMPACT_DIR = "_compact";
    static final String MANIFEST = "_MANIFEST";
    /** Where {@code run --restart} moves a sweep's old rows and spec: {@code _archive/<sweep>/<time>/}. */
    static final String ARCHIVE_DIR = "_archive";

    private final SparkSession spark;
    private final FileSystem fs;
    private final FileSystem rawFs;
    private final Path table;

    private ResultStore(SparkSession spark, FileSystem fs, FileSystem rawFs, Path table) {
        this.spark = spark;
        this.fs = fs;
        this.rawFs = rawFs;
        this.table = table;
    }

    /** Opens (does not create) the table in {@code dir} for writing. */
    static ResultStore open(SparkSession spark, String dir) {
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
    static void settle(SparkSession spark, String dir) {
        try {
            open(spark, dir).recoverCompactions();
        } catch (IOException | IllegalArgumentException e) {
            // the reader names the problem with the directory
        }
    }

    String dir() {
        return table.toString();
    }

    private Path journalDir(String sweepId) {
        return new Path(new Path(table, Journal.DIR), sweepId);
    }

    private Path partition(String sweepId) {
        return new Path(table, ResultSchema.SWEEP_ID + "=" + sweepId);
    }

    /** The sweep's partition of a table of the directory ({@link ResultSchema#tables()}). */
    private Path partition(ResultSchema.Table t, String sweepId) {
        return t == ResultSchema.RESULTS ? partition(sweepId)
                : new Path(new Path(table, t.folder()), ResultSchema.SWEEP_ID + "=" + sweepId);
    }

    /** A new journal file for a run of the sweep (the caller holds its lock). */
    Journal.Writer newJournal(String sweepId) throws IOException {
        String name = String.format("%d-%s%s", System.currentTimeMillis(), UUID.randomUUID(), Journal.SUFFIX);
        return new Journal.Writer(rawFs, new Path(journalDir(sweepId), name));
    }

    /**
     * Every point of the sweep in Parquet, with whether it has a result (a row with status OK or
     * DIVERGED; FAILED points are retried), in one read; call after {@link #recover}, which folds
     * the journal in.
     */
    Map<String, Boolean> points(String sweepId) throws IOException {
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
    Path archive(String sweepId) throws IOException {
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
    static final String QUARANTINE_DIR = "_quarantine";

    /** The state of one sweep's files, as {@code check} reports it. */
    record Inspection(List<Path> readable, List<Path> unreadable, Map<Path, String> reasons, List<Path> stray,
                      List<Path> leftovers, long rows, long duplicateRows, long donePoints, int journalRows,
                      int stagedCompactions, boolean locked) {
    }

    /** Reads every file of a sweep's partition once and reports what is wrong; changes nothing. */
    Inspection inspect(String sweepId) throws IOException {
        List<Path> readable = new ArrayList<>(), unreadable = new ArrayList<>(), stray = new ArrayList<>(), leftovers = new ArrayList<>();
        Map<Path, String> reasons = new java.util.LinkedHashMap<>();
        Path part = partition(sweepId);
        if (fs.exists(part)) {
            for (FileStatus f : fs.listStatus(part)) {
                String n = f.getPath().getName();
                if (n.startsWith(".")) continue; // checksums
                if (n.startsWith("_tmp-")) {
                    leftovers.add(f.getPath());
                } else if (n.startsWith("_")) {
                    continue;
                } else if (f.isDirectory() || !n.endsWith(".parquet")) {
                    stray.add(f.getPath());
                } else {
                    String why = unreadableBecause(f.getPath());
                    if (why == null) readable.add(f.getPath());
                    else {
                        unreadable.add(f.getPath());
                        reasons.put(f.getPath(), why);
                    }
                }
            }
        }
        long rows = 0, duplicates = 0, done = 0;
        if (!readable.isEmpty()) {
            Dataset<Row> all = spark.read().schema(SparkSchema.results()).parquet(paths(readable));
            rows = all.count();
            duplicates = rows - all.distinct().count();
            done = all.filter(col(ResultSchema.STATUS).isin(ResultSchema.DONE_STATUSES.toArray()))
                    .select(ResultSchema.POINT_ID).distinct().count();
        }
        int journalRows = 0;
        for (Path j : Journal.files(rawFs, table, sweepId)) journalRows += Journal.read(rawFs, j).size();
        Path staged = new Path(new Path(table, COMPACT_DIR), sweepId);
        int stagedCompactions = fs.exists(staged) ? fs.listStatus(staged).length : 0;
        boolean locked;
        try (SweepLock lock = SweepLock.tryAcquire(rawFs, journalDir(sweepId))) {
            locked = lock == null;
        }
        return new Inspection(readable, unreadable, reasons, stray, leftovers, rows, duplicates, done, journalRows,
                stagedCompactions, locked);
    }

    /** Why a file is not a readable results file, or null if it is one. */
    private String unreadableBecause(Path file) {
        try {
            var footer = org.apache.parquet.hadoop.ParquetFileReader.readFooter(spark.sparkContext().hadoopConfiguration(), file,
                    org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER);
            var schema = footer.getFileMetaData().getSchema();
            if (!schema.containsField(ResultSchema.POINT_ID) || !schema.containsField(ResultSchema.STATUS)) {
                return "a Parquet file without the results columns point_id and status";
            }
            spark.read().schema(SparkSchema.results()).parquet(file.toString()).collectAsList();
            return null;
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) t = t.getCause();
            String m = String.valueOf(t.getMessage());
            return m.length() > 160 ? m.substring(0, 160) + "..." : m;
        }
    }

    /**
     * Under the sweep's lock: moves unreadable, stray and leftover files to the quarantine,
     * folds journals and settles compactions ({@link #recover}), and rewrites the partition
     * without rows stored twice. Returns the quarantine folder, or null if nothing was moved.
     */
    Path repair(String sweepId, Inspection in) throws IOException {
        try (SweepLock lock = lock(sweepId)) {
            Path quarantine = null;
            List<Path> move = new ArrayList<>(in.unreadable());
            move.addAll(in.stray());
            move.addAll(in.leftovers());
            if (!move.isEmpty()) {
                quarantine = new Path(new Path(new Path(table, QUARANTINE_DIR), java.time.Instant.now().toString().replace(':', '-')),
                        partition(sweepId).getName());
                fs.mkdirs(quarantine);
                for (Path f : move) {
                    if (!fs.rename(f, new Path(quarantine, f.getName()))) throw new IOException("cannot move " + f + " to " + quarantine);
                }
            }
            recover(sweepId);
            if (in.duplicateRows() > 0) {
                List<Path> files = dataFiles(sweepId);
                Dataset<Row> distinct = spark.read().schema(SparkSchema.results()).parquet(paths(files)).distinct();
                compact(sweepId, files, distinct.count(), true);
            }
            return quarantine;
        }
    }

    /** What {@link #upgradeIds} did. */
    record Upgrade(long rows, long rewritten, long unknown) {
    }

    /**
     * Rewrites the point ids of a sweep written by an earlier release to the current rule
     * ({@code legacy id -> id}), atomically like a compaction; every other column stays as it was,
     * the {@code seed} column included (the seed each point was computed with). Rows whose id is
     * not in the map are kept as they are. Safe to repeat: a second run finds nothing to change.
     */
    Upgrade upgradeIds(String sweepId, Map<String, String> legacyToNew) throws IOException {
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
            if (legacy == 0) return new Upgrade(total, 0, unknown);
            List<Row> pairs = new ArrayList<>();
            legacyToNew.forEach((a, b) -> pairs.add(org.apache.spark.sql.RowFactory.create(a, b)));
            Dataset<Row> map = spark.createDataFrame(pairs, new org.apache.spark.sql.types.StructType()
                    .add("_legacy_id", org.apache.spark.sql.types.DataTypes.StringType)
                    .add("_new_id", org.apache.spark.sql.types.DataTypes.StringType));
            String[] columns = SparkSchema.results().fieldNames();
            rewrite(sweepId, files, d -> {
                Dataset<Row> joined = d.join(org.apache.spark.sql.functions.broadcast(map),
                        d.col(ResultSchema.POINT_ID).equalTo(map.col("_legacy_id")), "left");
                return joined.withColumn(ResultSchema.POINT_ID,
                                org.apache.spark.sql.functions.coalesce(col("_new_id"), d.col(ResultSchema.POINT_ID)))
                        .select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col)
                                .toArray(org.apache.spark.sql.Column[]::new));
            });
            return new Upgrade(total, legacy, unknown);
        }
    }

    /** Takes the lock of a sweep, or says who has it. */
    SweepLock lock(String sweepId) throws IOException {
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
    int recover(String sweepId) throws IOException {
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
    private static String key(String pointId, Object startTime) {
        Object t = startTime instanceof java.sql.Timestamp ts ? ts.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS) : startTime;
        return pointId + "@" + t;
    }

    /** The Parquet files of a sweep's partition. */
    List<Path> dataFiles(String sweepId) throws IOException {
        return dataFiles(partition(sweepId));
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
    List<String> sweepsOrRefuse() throws IOException {
        List<String> ids = sweeps();
        if (ids.isEmpty()) throw new IllegalArgumentException("no results table in " + table + " (expected sweep_id=... partitions)");
        return ids;
    }

    /** Sweep ids with a partition, a journal or a staged compaction. */
    List<String> sweeps() throws IOException {
        Set<String> ids = new java.util.TreeSet<>();
        if (!fs.exists(table)) return List.of();
        for (FileStatus f : fs.listStatus(table)) {
            String n = f.getPath().getName();
            if (f.isDirectory() && n.startsWith(ResultSchema.SWEEP_ID + "=")) ids.add(n.substring(n.indexOf('=') + 1));
        }
        for (String d : List.of(Journal.DIR, COMPACT_DIR)) {
            Path p = new Path(table, d);
            if (fs.exists(p)) for (FileStatus f : fs.listStatus(p)) if (f.isDirectory()) ids.add(f.getPath().getName());
        }
        return new ArrayList<>(ids);
    }

    /**
     * Appends results rows of one sweep to its partition as one Parquet file ({@link ParquetFiles}),
     * committed by a rename, after the rows of the other tables that they carry
     * ({@link ResultSchema#CHILD_ROWS}), each table's as one file of its own partition.
     */
    void append(String sweepId, List<Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) return;
        for (ResultSchema.Table t : ResultSchema.children()) {
            List<Map<String, Object>> children = new ArrayList<>();
            for (Map<String, Object> r : rows) children.addAll(Journal.rowsOf(t, r));
            write(t, sweepId, children);
        }
        write(ResultSchema.RESULTS, sweepId, rows);
    }

    /** Appends rows of a table other than the results to the sweep's partition as one file; the caller holds the lock. */
    void appendRows(ResultSchema.Table t, String sweepId, List<Map<String, Object>> rows) throws IOException {
        write(t, sweepId, rows);
    }

    private void write(ResultSchema.Table t, String sweepId, List<Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) return;
        ParquetFiles.write(fs, spark.sparkContext().hadoopConfiguration(), partition(t, sweepId), t, rows.iterator(), Integer.MAX_VALUE,
                ParquetFiles.Writer::write);
    }

    /** What {@link #compactSweep} did. */
    record Compaction(int filesBefore, int filesAfter, long rows, int journalRows) {
        @Override
        public String toString() {
            return String.format("%d rows, %d Parquet file%s -> %d%s", rows, filesBefore, filesBefore == 1 ? "" : "s", filesAfter,
                    journalRows > 0 ? " (" + journalRows + " rows of an interrupted run folded in)" : "");
        }
    }

    /**
     * Under the sweep's lock: recovery ({@link #recover}), then compaction if the sweep has more
     * files than it needs. Null if a running sweep holds the lock.
     */
    Compaction compactSweep(String sweepId) throws IOException {
        SweepLock lock = SweepLock.tryAcquire(rawFs, journalDir(sweepId));
        if (lock == null) return null;
        try (lock) {
            int folded = recover(sweepId);
            int before = dataFiles(sweepId).size();
            compactIfNeeded(sweepId);
            List<Path> after = dataFiles(sweepId);
            long rows = after.isEmpty() ? 0 : spark.read().schema(SparkSchema.results()).parquet(paths(after)).count();
            return new Compaction(before, after.size(), rows, folded);
        }
    }

    /** Compacts the sweep if it has more files than it needs; the caller holds its lock. @return whether it did */
    boolean compactIfNeeded(String sweepId) throws IOException {
        List<Path> files = dataFiles(sweepId);
        if (files.size() <= 1) return false;
        long rows = spark.read().schema(SparkSchema.results()).parquet(paths(files)).count();
        if (files.size() <= filesFor(rows)) return false;
        compact(sweepId, files, rows);
        return true;
    }

    static int filesFor(long rows) {
        return (int) Math.max(1, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
    }

    private static String[] paths(List<Path> files) {
        return files.stream().map(Path::toString).toArray(String[]::new);
    }

    /**
     * Rewrites the given files of a sweep into ceil(rows / ROWS_PER_FILE) files with exactly
     * the same rows (sorted by point_index, then start_time), atomically as the class comment
     * says. The caller holds the sweep's lock.
     */
    void compact(String sweepId, List<Path> old, long rows) throws IOException {
        rewrite(sweepId, old, d -> d);
    }

    /** As {@link #compact(String, List, long)}; with {@code distinct}, a row stored twice is kept once. */
    void compact(String sweepId, List<Path> old, long rows, boolean distinct) throws IOException {
        rewrite(sweepId, old, distinct ? Dataset::distinct : d -> d);
    }

    /**
     * Replaces the given files of a sweep by the rows {@code change} makes of theirs, in files
     * of at most {@link #ROWS_PER_FILE} rows sorted by point_index and start_time, atomically:
     * staged, committed by a manifest, rolled forward (see the class comment). Compaction is the
     * identity change. The caller holds the sweep's lock.
     */
    void rewrite(String sweepId, List<Path> old, java.util.function.UnaryOperator<Dataset<Row>> change) throws IOException {
        Path staging = new Path(new Path(new Path(table, COMPACT_DIR), sweepId), UUID.randomUUID().toString());
        Path data = new Path(staging, "data");
        Dataset<Row> read = spark.read().schema(SparkSchema.results()).parquet(paths(old))
                .withColumn(ResultSchema.SWEEP_ID, lit(sweepId));
        Dataset<Row> sorted = change.apply(read)
                .orderBy(col(ResultSchema.POINT_INDEX), col(ResultSchema.START_TIME));
        List<Path> written;
        Iterator<Row> it = sorted.toLocalIterator();
        written = ParquetFiles.write(fs, spark.sparkContext().hadoopConfiguration(), data, it, ROWS_PER_FILE,
                (ParquetFiles.Adder<Row>) ParquetFiles.Writer::write);
        Faults.at("compact-staged");
        List<String> lines = new ArrayList<>();
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
        Path part = partition(sweepId);
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
    void recoverCompactions(String sweepId) throws IOException {
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
    void recoverCompactions() throws IOException {
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
