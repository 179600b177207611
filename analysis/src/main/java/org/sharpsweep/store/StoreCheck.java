package org.sharpsweep.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * {@code check}'s side of the results store: reads every file of each of a sweep's tables once
 * and says what is wrong (files unreadable with their table's schema, stray and leftover files,
 * rows stored twice, OK points whose rows of another table are gone although their settings say
 * they wrote some, rows that are not points of the sweep's kept spec, journals of killed runs,
 * half-done compactions), and settles it under the
 * sweep's lock with the store's own atomic rewrites (docs/results.md).
 */
public final class StoreCheck {
    private final ResultStore store;

    StoreCheck(ResultStore store) {
        this.store = store;
    }

    /** The state of one sweep's files, as {@code check} reports it. */
    public record Inspection(List<Path> readable, List<Path> unreadable, Map<Path, String> reasons, List<Path> stray,
                      List<Path> leftovers, long rows, long duplicateRows, long donePoints, int journalRows,
                      int stagedCompactions, boolean locked, Map<ResultSchema.Table, Long> childDuplicates,
                      Map<ResultSchema.Table, List<Lost>> lost, List<Foreign> foreign, Map<ResultSchema.Table, Long> orphans) {
    }

    /**
     * A results row that does not belong to the sweep whose partition holds it: its point id is no
     * point of the sweep's kept spec, or the point's settings are not the row's (a file of another
     * sweep or table dropped into the partition). {@code why} says which.
     */
    public record Foreign(String pointId, java.sql.Timestamp startTime, int pointIndex, String why) {
    }

    /** An OK results row whose rows of another table are gone (a file of that table lost): its point must be computed again. */
    public record Lost(String pointId, java.sql.Timestamp startTime, int pointIndex) {
    }

    /**
     * Reads every file of each of the sweep's tables once and reports what is wrong: files that
     * cannot be read with their table's schema, stray and leftover files, rows stored twice, and
     * OK points whose rows of another table are missing although their settings say they wrote
     * some ({@link #expectsRows}); changes nothing.
     */
    public Inspection inspect(String sweepId) throws IOException {
        List<Path> unreadable = new ArrayList<>(), stray = new ArrayList<>(), leftovers = new ArrayList<>();
        Map<ResultSchema.Table, List<Path>> readable = new java.util.LinkedHashMap<>();
        Map<Path, String> reasons = new java.util.LinkedHashMap<>();
        for (ResultSchema.Table t : ResultSchema.tables()) {
            List<Path> ok = new ArrayList<>();
            readable.put(t, ok);
            Path part = store.partition(t, sweepId);
            if (!store.fs.exists(part)) continue;
            for (FileStatus f : store.fs.listStatus(part)) {
                String n = f.getPath().getName();
                if (n.startsWith(".")) continue; // checksums
                if (n.startsWith("_tmp-")) {
                    leftovers.add(f.getPath());
                } else if (n.startsWith("_")) {
                    continue;
                } else if (f.isDirectory() || !n.endsWith(".parquet")) {
                    stray.add(f.getPath());
                } else {
                    String why = unreadableBecause(t, f.getPath());
                    if (why == null) ok.add(f.getPath());
                    else {
                        unreadable.add(f.getPath());
                        reasons.put(f.getPath(), why);
                    }
                }
            }
        }
        int journalRows = 0;
        for (Path j : Journal.files(store.rawFs, store.table, sweepId)) journalRows += Journal.read(store.rawFs, j).size();
        long rows = 0, duplicates = 0, done = 0;
        List<Foreign> foreign = new ArrayList<>();
        Map<ResultSchema.Table, Long> orphans = new java.util.LinkedHashMap<>();
        Map<ResultSchema.Table, Long> childDuplicates = new java.util.LinkedHashMap<>();
        Map<ResultSchema.Table, List<Lost>> lost = new java.util.LinkedHashMap<>();
        List<Path> results = readable.get(ResultSchema.RESULTS);
        if (!results.isEmpty()) {
            Dataset<Row> all = store.spark.read().schema(SparkSchema.results()).parquet(ResultStore.paths(results));
            rows = all.count();
            duplicates = rows - all.distinct().count();
            done = all.filter(col(ResultSchema.STATUS).isin(ResultSchema.DONE_STATUSES.toArray()))
                    .select(ResultSchema.POINT_ID).distinct().count();
            SweepSpec kept = KeptSpecs.read(store.spark.sparkContext().hadoopConfiguration(), store.table.toString(), sweepId);
            if (kept != null) foreign = foreignRows(kept, all);
            for (ResultSchema.Table t : ResultSchema.children()) {
                List<Path> files = readable.get(t);
                Dataset<Row> expecting = all.filter(col(ResultSchema.STATUS).equalTo(Status.OK.name()).and(expectsRows(t)))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME, ResultSchema.POINT_INDEX).distinct();
                Dataset<Row> missing = expecting;
                if (!files.isEmpty()) {
                    Dataset<Row> child = store.spark.read().schema(SparkSchema.of(t)).parquet(ResultStore.paths(files));
                    long n = child.count();
                    if (n > child.distinct().count()) childDuplicates.put(t, n - child.distinct().count());
                    missing = expecting.join(child.select(ResultSchema.POINT_ID, ResultSchema.START_TIME).distinct(),
                            expecting.col(ResultSchema.POINT_ID).equalTo(child.col(ResultSchema.POINT_ID))
                                    .and(expecting.col(ResultSchema.START_TIME).equalTo(child.col(ResultSchema.START_TIME))), "left_anti");
                }
                List<Lost> l = new ArrayList<>();
                for (Row r : missing.orderBy(ResultSchema.POINT_INDEX).collectAsList()) l.add(new Lost(r.getString(0), r.getTimestamp(1), r.getInt(2)));
                if (!l.isEmpty()) lost.put(t, l);
            }
        }
        if (journalRows == 0) { // with journal rows, a child row's results row may still be in the journal
            Set<String> foreignKeys = new HashSet<>();
            for (Foreign x : foreign) foreignKeys.add(ResultStore.key(x.pointId(), x.startTime()));
            Set<String> owners = new HashSet<>();
            if (!results.isEmpty()) {
                for (Row r : store.spark.read().schema(SparkSchema.results()).parquet(ResultStore.paths(results))
                        .select(ResultSchema.POINT_ID, ResultSchema.START_TIME).distinct().collectAsList()) {
                    String k = ResultStore.key(r.getString(0), r.getTimestamp(1));
                    if (!foreignKeys.contains(k)) owners.add(k);
                }
            }
            for (ResultSchema.Table t : ResultSchema.children()) {
                long n = orphanRows(t, readable.get(t), owners).size();
                if (n > 0) orphans.put(t, n);
            }
        }
        Path staged = new Path(new Path(store.table, ResultStore.COMPACT_DIR), sweepId);
        int stagedCompactions = store.fs.exists(staged) ? store.fs.listStatus(staged).length : 0;
        boolean locked;
        try (SweepLock lock = SweepLock.tryAcquire(store.rawFs, store.journalDir(sweepId))) {
            locked = lock == null;
        }
        return new Inspection(results, unreadable, reasons, stray, leftovers, rows, duplicates, done, journalRows,
                stagedCompactions, locked, childDuplicates, lost, foreign, orphans);
    }

    /**
     * The rows of child table {@code t} in {@code files} whose (point_id, start_time) is none of
     * {@code owners} (keys of the sweep's results rows that belong to it): rows of another sweep or
     * table dropped into the partition, or of a point whose results row was moved aside.
     */
    private List<Row> orphanRows(ResultSchema.Table t, List<Path> files, Set<String> owners) {
        if (files.isEmpty()) return List.of();
        return store.spark.read().schema(SparkSchema.of(t)).parquet(ResultStore.paths(files)).collectAsList().stream()
                .filter(r -> !owners.contains(ResultStore.key(r.getString(r.fieldIndex(ResultSchema.POINT_ID)),
                        r.getTimestamp(r.fieldIndex(ResultSchema.START_TIME)))))
                .toList();
    }

    /**
     * The rows that do not belong to the sweep of {@code kept} (docs/results.md, "Which rows belong
     * to a sweep"): a row belongs if its point id is a point of the kept spec (or that point's id
     * under the earlier rule, in a table not yet upgraded) and it holds that point's value of every
     * setting that enters a point id, as {@code ResultRow} writes it (a setting the row's release
     * did not have reads as its default for older rows). The data path, the measure and the
     * execution settings may differ: they do not change which point was trained.
     */
    static List<Foreign> foreignRows(SweepSpec kept, Dataset<Row> all) {
        Map<String, Integer> points = KeptSpecs.indicesById(kept);
        Map<String, Integer> legacy = new java.util.HashMap<>();
        if (!points.keySet().containsAll(all.select(ResultSchema.POINT_ID).distinct().collectAsList().stream().map(r -> r.getString(0)).toList())) {
            try { // a table not yet upgraded: the earlier ids name the points too
                for (SweepSpec.IdUpgrade u : kept.idUpgrades()) legacy.put(u.legacyId(), u.index());
            } catch (RuntimeException e) {
                // no earlier ids for this spec
            }
        }
        List<Setting> settings = new ArrayList<>();
        for (Setting s : Setting.values()) if (s.inPointId()) settings.add(s);
        List<org.apache.spark.sql.Column> cols = new ArrayList<>(List.of(col(ResultSchema.POINT_ID), col(ResultSchema.START_TIME),
                col(ResultSchema.POINT_INDEX)));
        for (Setting s : settings) cols.add(col(s.shortName));
        List<Row> rows = new ArrayList<>(all.select(cols.toArray(org.apache.spark.sql.Column[]::new)).collectAsList());
        java.util.function.ToIntFunction<Row> pointOf = r -> {
            Integer i = points.get(r.getString(0));
            if (i == null) i = legacy.get(r.getString(0));
            return i == null ? -1 : i;
        };
        rows.sort(java.util.Comparator.comparingInt(pointOf)); // the kept spec's points are made in index order, a chunk at a time
        List<Foreign> out = new ArrayList<>();
        for (Row r : rows) {
            String id = r.getString(0);
            int index = pointOf.applyAsInt(r);
            GridPoint p = index < 0 ? null : kept.points().get(index);
            String why = null;
            if (p == null) {
                why = "its point_id is no point of the sweep's spec";
            } else {
                Map<Setting, Object> v = p.spec().settings().values();
                for (int i = 0; i < settings.size() && why == null; i++) {
                    Setting s = settings.get(i);
                    Object expected = s.appliesTo(p.spec()) ? s.toColumn(v.get(s)) : null;
                    Object found = r.isNullAt(3 + i) ? s.defaultForOlderRows() : r.get(3 + i);
                    if (!same(s, expected, found, p)) {
                        why = "its " + s.shortName + " is " + found + ", the spec's point has " + expected;
                    }
                }
            }
            if (why != null) out.add(new Foreign(id, r.getTimestamp(1), r.isNullAt(2) ? -1 : r.getInt(2), why));
        }
        out.sort(java.util.Comparator.comparing(Foreign::pointIndex));
        return out;
    }

    /**
     * Whether a row's value of a setting is the point's: equal, except that a double may differ
     * in its last digits (a range value that a release before the canonical rounding wrote
     * unrounded and {@code upgrade} kept: {@code Decimals.RANGE_DIGITS} = 12 significant digits,
     * so 1e-10 relative tells them from any other value), and a batch size of 0 is full batch
     * (what releases before the resolved column wrote); a setting the point resolves when it runs
     * ({@link Setting#resolvedFrom}) is the point's whatever its value.
     */
    private static boolean same(Setting s, Object expected, Object found, GridPoint p) {
        if (java.util.Objects.equals(expected, found)) return true;
        // resolved when the point ran (lr from lr_in_2_over_lambda0 x 2/lambda_0): the value the settings it came from decide
        if (s.resolvedFrom() != null && p.spec().settings().get(s.resolvedFrom()) != null) return true;
        if (s == Setting.BATCH_SIZE && Integer.valueOf(0).equals(found)) return Integer.valueOf(p.spec().data().nTrain()).equals(expected);
        if (expected instanceof Double a && found instanceof Double b) return Math.abs(a - b) <= 1e-10 * Math.max(Math.abs(a), Math.abs(b));
        return false;
    }

    /**
     * Which results rows wrote rows into table {@code t}, by their settings columns: the
     * trajectories with {@code measure.every > 0}, the spectra with a measure that writes one
     * asked for ({@code top_k}, {@code density}: their declarations), the params with
     * {@code measure.save_params}. Rows of a release that had no such setting (null) expect none.
     */
    public static org.apache.spark.sql.Column expectsRows(ResultSchema.Table t) {
        if (t == ResultSchema.TRAJECTORIES) return col(Setting.MEASURE_EVERY.shortName).gt(0);
        if (t == ResultSchema.PARAMS_TABLE) return col(Setting.SAVE_PARAMS.shortName).equalTo(true);
        if (t == ResultSchema.SPECTRA) {
            org.apache.spark.sql.Column any = lit(false);
            for (Measure m : Measures.all()) {
                if (m.spectrum() == null) continue;
                if (m.on() != null) any = any.or(col(m.on().shortName).equalTo(true));
                for (Setting o : m.options()) any = any.or(col(o.shortName).notEqual(lit(o.defaultValue())));
            }
            return any;
        }
        throw new IllegalArgumentException("no rule for the rows of table " + t.name());
    }

    /** Why a file is not a readable file of table {@code t}, or null if it is one. */
    private String unreadableBecause(ResultSchema.Table t, Path file) {
        try {
            var footer = org.apache.parquet.hadoop.ParquetFileReader.readFooter(store.spark.sparkContext().hadoopConfiguration(), file,
                    org.apache.parquet.format.converter.ParquetMetadataConverter.NO_FILTER);
            var schema = footer.getFileMetaData().getSchema();
            String second = t == ResultSchema.RESULTS ? ResultSchema.STATUS : ResultSchema.START_TIME;
            if (!schema.containsField(ResultSchema.POINT_ID) || !schema.containsField(second)) {
                return "a Parquet file without the " + t.name() + " columns point_id and " + second;
            }
            store.spark.read().schema(SparkSchema.of(t)).parquet(file.toString()).collectAsList();
            return null;
        } catch (Exception e) {
            Throwable x = e;
            while (x.getCause() != null && x.getCause() != x) x = x.getCause();
            String m = String.valueOf(x.getMessage());
            return m.length() > 160 ? m.substring(0, 160) + "..." : m;
        }
    }

    /**
     * Under the sweep's lock: moves unreadable, stray and leftover files to the quarantine,
     * folds journals and settles compactions ({@link ResultStore#recover}), rewrites each table without rows
     * stored twice, and moves the results rows of points that lost their rows of another table,
     * and the rows that do not belong to the sweep ({@link #foreignRows}), into the quarantine too
     * (as a Parquet file of the results table, written before the table is rewritten without
     * them), so that the next run computes those points again. Returns the quarantine folder, or null if nothing was moved.
     */
    public Path repair(String sweepId, Inspection in) throws IOException {
        try (SweepLock lock = store.lock(sweepId)) {
            Path quarantine = new Path(new Path(new Path(store.table, ResultStore.QUARANTINE_DIR), java.time.Instant.now().toString().replace(':', '-')),
                    store.partition(sweepId).getName());
            boolean moved = false;
            List<Path> move = new ArrayList<>(in.unreadable());
            move.addAll(in.stray());
            move.addAll(in.leftovers());
            for (Path f : move) {
                Path to = f.getParent().getParent().equals(store.table) ? quarantine
                        : new Path(new Path(quarantine.getParent(), f.getParent().getParent().getName()), quarantine.getName());
                store.fs.mkdirs(to);
                if (!store.fs.rename(f, new Path(to, f.getName()))) throw new IOException("cannot move " + f + " to " + to);
                moved = true;
            }
            store.recover(sweepId);
            if (in.duplicateRows() > 0) {
                List<Path> files = store.dataFiles(sweepId);
                Dataset<Row> distinct = store.spark.read().schema(SparkSchema.results()).parquet(ResultStore.paths(files)).distinct();
                store.compact(sweepId, files, distinct.count(), true);
            }
            for (ResultSchema.Table t : in.childDuplicates().keySet()) store.rewrite(t, sweepId, store.dataFiles(t, sweepId), Dataset::distinct);
            // rows set aside: those of points that lost their rows of another table, and rows that are not the sweep's
            Set<String> aside = new HashSet<>();
            List<Row> keys = new ArrayList<>();
            for (List<Lost> l : in.lost().values()) {
                for (Lost x : l) if (aside.add(ResultStore.key(x.pointId(), x.startTime()))) keys.add(org.apache.spark.sql.RowFactory.create(x.pointId(), x.startTime()));
            }
            for (Foreign x : in.foreign()) {
                if (aside.add(ResultStore.key(x.pointId(), x.startTime()))) keys.add(org.apache.spark.sql.RowFactory.create(x.pointId(), x.startTime()));
            }
            if (!aside.isEmpty()) {
                List<Path> files = store.dataFiles(sweepId);
                Dataset<Row> all = store.spark.read().schema(SparkSchema.results()).parquet(ResultStore.paths(files));
                List<Row> copy = all.collectAsList().stream()
                        .filter(r -> aside.contains(ResultStore.key(r.getString(r.fieldIndex(ResultSchema.POINT_ID)), r.getTimestamp(r.fieldIndex(ResultSchema.START_TIME)))))
                        .toList();
                // the copy in the quarantine first, then the rewrite without them: a kill in between leaves the rows twice, never lost
                store.fs.mkdirs(quarantine);
                ParquetFiles.write(store.fs, store.spark.sparkContext().hadoopConfiguration(), quarantine, ResultSchema.RESULTS, copy.iterator(),
                        Integer.MAX_VALUE, (ParquetFiles.Adder<Row>) ParquetFiles.Writer::write);
                moved = true;
                Dataset<Row> gone = store.spark.createDataFrame(keys, new org.apache.spark.sql.types.StructType()
                        .add("_lost_id", org.apache.spark.sql.types.DataTypes.StringType)
                        .add("_lost_start", org.apache.spark.sql.types.DataTypes.TimestampType)).distinct();
                store.rewrite(sweepId, files, d -> d.join(org.apache.spark.sql.functions.broadcast(gone),
                        d.col(ResultSchema.POINT_ID).equalTo(gone.col("_lost_id")).and(d.col(ResultSchema.START_TIME).equalTo(gone.col("_lost_start"))),
                        "left_anti"));
            }
            // rows of the other tables that belong to no results row left (dropped in, or of a point just moved aside):
            // copied into the quarantine, then each table rewritten without them
            if (!aside.isEmpty() || !in.orphans().isEmpty()) {
                Set<String> owners = new HashSet<>();
                List<Row> ownerRows = new ArrayList<>();
                List<Path> results = store.dataFiles(sweepId);
                if (!results.isEmpty()) {
                    for (Row r : store.spark.read().schema(SparkSchema.results()).parquet(ResultStore.paths(results))
                            .select(ResultSchema.POINT_ID, ResultSchema.START_TIME).distinct().collectAsList()) {
                        owners.add(ResultStore.key(r.getString(0), r.getTimestamp(1)));
                        ownerRows.add(org.apache.spark.sql.RowFactory.create(r.getString(0), r.getTimestamp(1)));
                    }
                }
                for (ResultSchema.Table t : ResultSchema.children()) {
                    List<Path> files = store.dataFiles(t, sweepId);
                    List<Row> orphan = orphanRows(t, files, owners);
                    if (orphan.isEmpty()) continue;
                    Path to = new Path(new Path(quarantine.getParent(), store.partition(t, sweepId).getParent().getName()), quarantine.getName());
                    store.fs.mkdirs(to);
                    ParquetFiles.write(store.fs, store.spark.sparkContext().hadoopConfiguration(), to, t, orphan.iterator(),
                            Integer.MAX_VALUE, (ParquetFiles.Adder<Row>) ParquetFiles.Writer::write);
                    moved = true;
                    Dataset<Row> owned = store.spark.createDataFrame(ownerRows, new org.apache.spark.sql.types.StructType()
                            .add("_owner_id", org.apache.spark.sql.types.DataTypes.StringType)
                            .add("_owner_start", org.apache.spark.sql.types.DataTypes.TimestampType));
                    store.rewrite(t, sweepId, files, d -> d.join(org.apache.spark.sql.functions.broadcast(owned),
                            d.col(ResultSchema.POINT_ID).equalTo(owned.col("_owner_id"))
                                    .and(d.col(ResultSchema.START_TIME).equalTo(owned.col("_owner_start"))), "left_semi"));
                }
            }
            return moved ? quarantine : null;
        }
    }
}
