// bench/compare-rows DIR_A DIR_B [--sweep NAME]... : are two results directories the same rows,
// bit for bit? A single-file Java program (java -cp <app jar>:<spark classpath> bench/CompareRows.java),
// run by bench/compare-rows; see bench/README.md.
//
// It reads every table of both directories with Spark in local mode, as the views of `sharpsweep
// sql` do (org.sharpsweep.analysis.ResultsTable, Journal), but on its own so that it reads the
// files of any release the same way: the Parquet partitions of the results table (DIR/sweep_id=...)
// and of every child table (DIR/_<table>/sweep_id=...: _trajectories, _spectra, _params, and any
// other that a later release adds), plus the rows still in the journal (DIR/_journal/<sweep>/*.jsonl);
// per (sweep_id, point_id) it keeps the attempt the view keeps (OK or DIVERGED before FAILED, then
// the latest start_time) and the child rows of that attempt (same sweep_id, point_id, start_time).
//
// Rows are matched by key, not by attempt: results by (sweep_id, point_id), child tables by
// (sweep_id, point_id) and whichever of step, kind, probe, rank the table has; start_time is not a
// key (it differs between runs). Every other column is compared, except the provenance ones (the
// PROVENANCE group of org.sharpsweep.sweeps.ResultSchema when it is on the class path, and always
// engine_version, backend, device, gpu_address, blas_core, executor_host, lockstep, train_seconds,
// measure_seconds, start_time): doubles and floats by their raw bits (Double.doubleToRawLongBits,
// so NaN equals only a NaN of the same bits, and 0.0 differs from -0.0), arrays element by element,
// everything else by equals. A column that one side has and the other lacks, or has with another
// type, is a difference. Exit status 0 when no difference, 1 when any, 2 on a usage or read error.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class CompareRows {
    static final String USAGE = "usage: bench/compare-rows DIR_A DIR_B [--sweep NAME]... [--ignore COLUMN]... [--keep COLUMN]... [--max-diffs N]";

    static final String SWEEP_ID = "sweep_id";
    static final String POINT_ID = "point_id";
    static final String START_TIME = "start_time";
    static final String STATUS = "status";
    static final String RESULTS = "results";
    /** Columns that identify a child row beside (sweep_id, point_id), in key order, where the table has them. */
    static final List<String> CHILD_KEYS = List.of("step", "kind", "probe", "rank");
    /** Provenance columns ignored whatever ResultSchema says (those of this release's PROVENANCE group). */
    static final List<String> PROVENANCE = List.of("engine_version", "backend", "device", "gpu_address", "blas_core",
            "executor_host", "lockstep", "train_seconds", "measure_seconds", START_TIME);
    /** Folders beside the partitions that hold no table. */
    static final Set<String> NOT_TABLES = Set.of("_journal", "_specs", "_archive", "_report");

    /** One side's rows of one table: the columns it has (name to type) and its kept rows. */
    static final class Side {
        final Map<String, String> types = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        int dropped; // rows of attempts the view does not keep
    }

    public static void main(String[] args) throws Exception {
        List<String> dirs = new ArrayList<>();
        Set<String> sweeps = new LinkedHashSet<>();
        Set<String> extraIgnore = new LinkedHashSet<>();
        Set<String> keep = new LinkedHashSet<>();
        int maxDiffs = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--sweep" -> sweeps.add(args[++i]);
                    case "--ignore" -> extraIgnore.add(args[++i]);
                    case "--keep" -> keep.add(args[++i]);
                    case "--max-diffs" -> maxDiffs = Integer.parseInt(args[++i]);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> {
                        if (a.startsWith("--")) throw new IllegalArgumentException("unknown option " + a);
                        dirs.add(a);
                    }
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                usage("option " + a + " needs a value");
            } catch (IllegalArgumentException e) {
                usage(e.getMessage());
            }
        }
        if (dirs.size() != 2) usage("two results directories are needed");

        Set<String> ignored = new TreeSet<>(PROVENANCE);
        ignored.addAll(schemaProvenance());
        ignored.addAll(extraIgnore);
        ignored.removeAll(keep);

        SparkSession spark = SparkSession.builder().master("local[2]").appName("compare-rows")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // a sweep named "123" stays a string
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        int status;
        try {
            status = new CompareRows(spark, sweeps, ignored, maxDiffs).run(dirs.get(0), dirs.get(1));
        } catch (IllegalArgumentException e) {
            System.err.println("compare-rows: " + e.getMessage());
            status = 2;
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    static void usage(String why) {
        System.err.println("compare-rows: " + why);
        System.err.println(USAGE);
        System.exit(2);
    }

    /** The PROVENANCE group of ResultSchema's tables, if the class is on the class path (read by reflection). */
    static Set<String> schemaProvenance() {
        Set<String> out = new TreeSet<>();
        try {
            Class<?> rs = Class.forName("org.sharpsweep.sweeps.ResultSchema");
            for (Object table : (List<?>) rs.getMethod("tables").invoke(null)) {
                for (Object column : (List<?>) table.getClass().getMethod("columns").invoke(table)) {
                    Method group = column.getClass().getMethod("group");
                    Method name = column.getClass().getMethod("name");
                    if ("PROVENANCE".equals(String.valueOf(group.invoke(column)))) out.add((String) name.invoke(column));
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // not on the class path, or another shape: the built-in list alone
        }
        return out;
    }

    final SparkSession spark;
    final Set<String> sweepFilter;
    final Set<String> ignored;
    final int maxDiffs;
    final ObjectMapper json = new ObjectMapper();

    CompareRows(SparkSession spark, Set<String> sweepFilter, Set<String> ignored, int maxDiffs) {
        this.spark = spark;
        this.sweepFilter = sweepFilter;
        this.ignored = ignored;
        this.maxDiffs = maxDiffs;
    }

    int run(String dirA, String dirB) throws IOException {
        System.out.println("A: " + dirA);
        System.out.println("B: " + dirB);
        System.out.println("ignored columns: " + String.join(", ", ignored));
        Map<String, Side> a = load(dirA);
        Map<String, Side> b = load(dirB);

        Set<String> tables = new LinkedHashSet<>();
        tables.add(RESULTS);
        tables.addAll(new TreeSet<>(a.keySet()));
        tables.addAll(new TreeSet<>(b.keySet()));
        Set<String> allSweeps = new TreeSet<>();
        for (Map<String, Side> side : List.of(a, b)) {
            for (Side s : side.values()) for (Map<String, Object> r : s.rows) allSweeps.add(String.valueOf(r.get(SWEEP_ID)));
        }
        if (!sweepFilter.isEmpty()) {
            for (String s : sweepFilter) {
                if (!allSweeps.contains(s)) throw new IllegalArgumentException("sweep " + s + " is in neither directory");
            }
            allSweeps.retainAll(sweepFilter);
        }
        if (allSweeps.isEmpty()) throw new IllegalArgumentException("no rows in either directory");

        long differences = 0;
        // columns present on one side only, or of another type: once per table
        for (String table : tables) {
            Side sa = a.getOrDefault(table, new Side()), sb = b.getOrDefault(table, new Side());
            if (sa.rows.isEmpty() && sb.rows.isEmpty()) continue;
            if (sa.rows.isEmpty() || sb.rows.isEmpty()) continue; // reported as rows only in one side
            for (String c : union(sa.types.keySet(), sb.types.keySet())) {
                if (ignored.contains(c)) continue;
                String ta = sa.types.get(c), tb = sb.types.get(c);
                if (ta == null || tb == null) {
                    System.out.println(table + " column " + c + ": only in " + (ta == null ? "B" : "A") + " (" + (ta == null ? tb : ta) + ")");
                    differences++;
                } else if (!ta.equals(tb) && !ta.equals("?") && !tb.equals("?")) {
                    System.out.println(table + " column " + c + ": type A=" + ta + " B=" + tb);
                    differences++;
                }
            }
        }
        for (String sweep : allSweeps) {
            System.out.println("sweep " + sweep);
            for (String table : tables) {
                differences += compare(sweep, table, a.getOrDefault(table, new Side()), b.getOrDefault(table, new Side()));
            }
        }
        System.out.println(differences == 0 ? "SAME" : "DIFFERENT (" + differences + " difference" + (differences == 1 ? "" : "s") + ")");
        return differences == 0 ? 0 : 1;
    }

    static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> u = new LinkedHashSet<>(x);
        u.addAll(y);
        return u;
    }

    /** Compares one table of one sweep; prints its summary line and first differences; returns the number of differences. */
    long compare(String sweep, String table, Side sa, Side sb) {
        List<Map<String, Object>> ra = rowsOf(sa, sweep), rb = rowsOf(sb, sweep);
        if (ra.isEmpty() && rb.isEmpty()) return 0;
        Set<String> columns = union(sa.types.keySet(), sb.types.keySet());
        List<String> key = new ArrayList<>(List.of(SWEEP_ID, POINT_ID));
        if (!table.equals(RESULTS)) for (String k : CHILD_KEYS) if (columns.contains(k)) key.add(k);
        List<String> compared = new ArrayList<>();
        for (String c : columns) {
            if (!key.contains(c) && !ignored.contains(c) && sa.types.containsKey(c) && sb.types.containsKey(c)) compared.add(c);
        }
        List<String> lines = new ArrayList<>();
        long diffs = 0;
        Map<List<Object>, Map<String, Object>> ia = index(ra, key), ib = index(rb, key);
        long dupA = ra.size() - ia.size(), dupB = rb.size() - ib.size();
        if (dupA > 0) lines.add(table + " " + sweep + ": " + dupA + " rows of A repeat a key (" + String.join(", ", key) + ")");
        if (dupB > 0) lines.add(table + " " + sweep + ": " + dupB + " rows of B repeat a key (" + String.join(", ", key) + ")");
        diffs += dupA + dupB;
        long onlyA = 0, onlyB = 0, both = 0, differingRows = 0;
        Map<String, Long> ignoredDiffering = new TreeMap<>();
        for (var e : ia.entrySet()) {
            Map<String, Object> x = e.getValue(), y = ib.get(e.getKey());
            if (y == null) {
                onlyA++;
                lines.add(table + " " + sweep + " " + label(x, key) + ": only in A");
                continue;
            }
            both++;
            boolean rowDiffers = false;
            for (String c : compared) {
                String d = difference(x.get(c), y.get(c));
                if (d == null) continue;
                rowDiffers = true;
                diffs++;
                lines.add(table + " " + sweep + " " + label(x, key) + " " + c + ": " + d);
            }
            if (rowDiffers) differingRows++;
            for (String c : ignored) {
                if (sa.types.containsKey(c) && sb.types.containsKey(c) && difference(x.get(c), y.get(c)) != null) ignoredDiffering.merge(c, 1L, Long::sum);
            }
        }
        for (var e : ib.entrySet()) {
            if (!ia.containsKey(e.getKey())) {
                onlyB++;
                lines.add(table + " " + sweep + " " + label(e.getValue(), key) + ": only in B");
            }
        }
        diffs += onlyA + onlyB;
        System.out.printf("  %-13s %6d rows compared, %d only in A, %d only in B, %d differing rows (key %s; %d columns compared)%n",
                table + ":", both, onlyA, onlyB, differingRows, String.join(", ", key), compared.size());
        ignoredDiffering.keySet().removeAll(List.of(START_TIME, "train_seconds", "measure_seconds")); // differ on every run
        if (!ignoredDiffering.isEmpty()) {
            StringBuilder s = new StringBuilder("    ignored columns that differ (not counted):");
            ignoredDiffering.forEach((c, n) -> s.append(' ').append(c).append(" in ").append(n).append(n == 1 ? " row" : " rows"));
            System.out.println(s);
        }
        for (int i = 0; i < lines.size() && i < maxDiffs; i++) System.out.println("    " + lines.get(i));
        if (lines.size() > maxDiffs) System.out.println("    ... " + (lines.size() - maxDiffs) + " more (--max-diffs N shows more)");
        return diffs;
    }

    static List<Map<String, Object>> rowsOf(Side s, String sweep) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : s.rows) if (sweep.equals(String.valueOf(r.get(SWEEP_ID)))) out.add(r);
        return out;
    }

    /** The rows by their key's values, in key order (numbers as numbers); the first row of a repeated key. */
    static Map<List<Object>, Map<String, Object>> index(List<Map<String, Object>> rows, List<String> key) {
        Map<List<Object>, Map<String, Object>> out = new TreeMap<>(CompareRows::compareKeys);
        for (Map<String, Object> r : rows) {
            List<Object> k = new ArrayList<>();
            for (String c : key) k.add(r.get(c));
            out.putIfAbsent(k, r);
        }
        return out;
    }

    static int compareKeys(List<Object> x, List<Object> y) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            Object p = x.get(i), q = y.get(i);
            int c;
            if (p == null || q == null) c = p == null ? (q == null ? 0 : -1) : 1;
            else if (p instanceof Long a && q instanceof Long b) c = Long.compare(a, b);
            else if (p instanceof Number a && q instanceof Number b) c = Double.compare(a.doubleValue(), b.doubleValue());
            else c = text(p).compareTo(text(q));
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    }

    /** point_id, with the child key: 0123abcd[step=40,kind=top_k,probe=null,rank=1]. */
    static String label(Map<String, Object> row, List<String> key) {
        StringBuilder s = new StringBuilder(String.valueOf(row.get(POINT_ID)));
        if (key.size() > 2) {
            s.append('[');
            for (int i = 2; i < key.size(); i++) s.append(i > 2 ? "," : "").append(key.get(i)).append('=').append(text(row.get(key.get(i))));
            s.append(']');
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- values

    /** Null when x and y are the same bits; else "A=... B=...". */
    static String difference(Object x, Object y) {
        if (same(x, y)) return null;
        if (x instanceof double[] p && y instanceof double[] q) {
            int n = Math.min(p.length, q.length), first = -1, count = 0;
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(p[i]) != Double.doubleToRawLongBits(q[i])) {
                    if (first < 0) first = i;
                    count++;
                }
            }
            StringBuilder s = new StringBuilder("A=double[" + p.length + "] B=double[" + q.length + "]");
            if (count > 0) {
                s.append(", ").append(count).append(" of ").append(n).append(" elements differ, first [").append(first).append("]: A=")
                        .append(text(p[first])).append(" B=").append(text(q[first]));
                double maxAbs = 0;
                for (int i = 0; i < n; i++) if (Double.doubleToRawLongBits(p[i]) != Double.doubleToRawLongBits(q[i])) maxAbs = Math.max(maxAbs, Math.abs(p[i] - q[i]));
                s.append(", largest |A-B| ").append(maxAbs);
            }
            return s.toString();
        }
        String tx = text(x), ty = text(y);
        if (tx.equals(ty)) { // the same text, other bits or types: show both
            tx += " (" + describe(x) + ")";
            ty += " (" + describe(y) + ")";
        }
        return "A=" + clip(tx) + " B=" + clip(ty);
    }

    static boolean same(Object x, Object y) {
        if (x == null || y == null) return x == y;
        if (x instanceof Double p && y instanceof Double q) return Double.doubleToRawLongBits(p) == Double.doubleToRawLongBits(q);
        if (x instanceof Float p && y instanceof Float q) return Float.floatToRawIntBits(p) == Float.floatToRawIntBits(q);
        if (x instanceof double[] p && y instanceof double[] q) {
            if (p.length != q.length) return false;
            for (int i = 0; i < p.length; i++) if (Double.doubleToRawLongBits(p[i]) != Double.doubleToRawLongBits(q[i])) return false;
            return true;
        }
        if (x instanceof byte[] p && y instanceof byte[] q) return Arrays.equals(p, q);
        if (x instanceof List<?> p && y instanceof List<?> q) {
            if (p.size() != q.size()) return false;
            for (int i = 0; i < p.size(); i++) if (!same(p.get(i), q.get(i))) return false;
            return true;
        }
        if (x instanceof Map<?, ?> p && y instanceof Map<?, ?> q) {
            if (!p.keySet().equals(q.keySet())) return false;
            for (Object k : p.keySet()) if (!same(p.get(k), q.get(k))) return false;
            return true;
        }
        return x.getClass() == y.getClass() && x.equals(y);
    }

    static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof double[] a) return a.length <= 8 ? Arrays.toString(a) : "double[" + a.length + "]";
        if (v instanceof byte[] a) return "byte[" + a.length + "]";
        return String.valueOf(v);
    }

    static String describe(Object v) {
        if (v instanceof Double d) return "bits 0x" + Long.toHexString(Double.doubleToRawLongBits(d));
        if (v instanceof Float f) return "float bits 0x" + Integer.toHexString(Float.floatToRawIntBits(f));
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    /** A value as Spark or the journal gives it, in one form per kind: integers as Long, timestamps as Instant, double arrays as double[]. */
    static Object canon(Object v) {
        if (v == null) return null;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof Row r) {
            Map<String, Object> m = new LinkedHashMap<>();
            StructType s = r.schema();
            for (int i = 0; i < r.length(); i++) m.put(s != null ? s.fields()[i].name() : String.valueOf(i), canon(r.get(i)));
            return m;
        }
        if (v instanceof scala.collection.Map<?, ?> sm) {
            Map<Object, Object> m = new TreeMap<>(Comparator.comparing((Object o) -> String.valueOf(o)));
            for (var e : scala.collection.JavaConverters.mapAsJavaMap(sm).entrySet()) m.put(canon(e.getKey()), canon(e.getValue()));
            return m;
        }
        if (v instanceof scala.collection.Seq<?> seq) return canonList(scala.collection.JavaConverters.seqAsJavaList(seq));
        if (v instanceof List<?> l) return canonList(l);
        return v;
    }

    static Object canonList(List<?> l) {
        boolean doubles = true;
        for (Object o : l) if (!(o instanceof Double)) doubles = false;
        if (doubles) {
            double[] a = new double[l.size()];
            for (int i = 0; i < a.length; i++) a[i] = (Double) l.get(i);
            return a;
        }
        List<Object> out = new ArrayList<>(l.size());
        for (Object o : l) out.add(canon(o));
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** Every table of a results directory: name ("results", "trajectories", ...) to its kept rows. */
    Map<String, Side> load(String dir) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) throw new IllegalArgumentException("no such directory: " + dir);
        Map<String, Side> tables = new LinkedHashMap<>();
        if (hasPartitions(fs, root)) tables.put(RESULTS, parquet(root));
        for (FileStatus st : fs.listStatus(root)) {
            String name = st.getPath().getName();
            if (st.isDirectory() && name.startsWith("_") && !NOT_TABLES.contains(name) && hasPartitions(fs, st.getPath())) {
                tables.put(name.substring(1), parquet(st.getPath()));
            }
        }
        int journalRows = journal(fs, root, tables);
        if (tables.isEmpty()) throw new IllegalArgumentException("no results table in " + dir + " (no sweep_id=... partitions, no journal)");
        if (!tables.containsKey(RESULTS)) throw new IllegalArgumentException("no results rows in " + dir + ", only child tables");
        keepAttempts(tables);
        StringBuilder s = new StringBuilder();
        for (var e : tables.entrySet()) {
            s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().rows.size());
            if (e.getValue().dropped > 0) s.append(" (+").append(e.getValue().dropped).append(" of attempts not kept)");
        }
        System.out.println("  " + dir + ": " + s + " rows" + (journalRows > 0 ? " (" + journalRows + " results rows from the journal)" : ""));
        return tables;
    }

    static boolean hasPartitions(FileSystem fs, Path folder) throws IOException {
        for (FileStatus st : fs.listStatus(folder)) if (st.isDirectory() && st.getPath().getName().startsWith(SWEEP_ID + "=")) return true;
        return false;
    }

    /** The Parquet rows of one table folder (its sweep_id=... partitions), every file's columns merged. */
    Side parquet(Path folder) {
        Dataset<Row> df = spark.read().option("mergeSchema", "true").option("basePath", folder.toString())
                .parquet(new Path(folder, SWEEP_ID + "=*").toString());
        Side side = new Side();
        StructField[] fields = df.schema().fields();
        for (StructField f : fields) side.types.put(f.name(), f.dataType().simpleString());
        Iterator<Row> it = df.toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < fields.length; i++) m.put(fields[i].name(), canon(r.get(i)));
            side.rows.add(m);
        }
        return side;
    }

    /**
     * Adds the journal's rows (DIR/_journal/<sweep>/*.jsonl, oldest file first, as Journal.read does;
     * a line cut short is skipped) to the tables; a results line carries its child rows under "_rows".
     * Values take the type of the table's Parquet column where there is one.
     */
    int journal(FileSystem fs, Path root, Map<String, Side> tables) throws IOException {
        Path dir = new Path(root, "_journal");
        if (!fs.exists(dir)) return 0;
        int count = 0;
        for (FileStatus sweep : fs.listStatus(dir)) {
            if (!sweep.isDirectory()) continue;
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus f : fs.listStatus(sweep.getPath())) if (f.isFile() && f.getPath().getName().endsWith(".jsonl")) files.add(f);
            files.sort(Comparator.comparingLong(FileStatus::getModificationTime));
            for (FileStatus f : files) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.isBlank()) continue;
                        JsonNode o;
                        try {
                            o = json.readTree(line);
                        } catch (IOException e) {
                            continue; // cut short by a kill
                        }
                        if (o == null || !o.isObject() || !o.has(POINT_ID) || !o.has(START_TIME)) continue;
                        addJournalRow(tables, RESULTS, o);
                        count++;
                        JsonNode children = o.get("_rows");
                        if (children != null && children.isObject()) {
                            for (var it = children.fields(); it.hasNext(); ) {
                                var e = it.next();
                                if (e.getValue().isArray()) for (JsonNode r : e.getValue()) addJournalRow(tables, e.getKey(), r);
                            }
                        }
                    }
                }
            }
        }
        return count;
    }

    static void addJournalRow(Map<String, Side> tables, String table, JsonNode o) {
        Side side = tables.computeIfAbsent(table, t -> new Side());
        Map<String, Object> row = new HashMap<>();
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            String c = e.getKey();
            if (c.equals("_rows")) continue;
            String type = side.types.get(c);
            if (type == null) side.types.put(c, "?"); // a column only the journal has: its type is not known
            row.put(c, fromJson(e.getValue(), type, c));
        }
        side.rows.add(row);
    }

    /** A journal value as Spark would read it from Parquet (Journal.encode's encoding: exact doubles, NaN and infinities as text). */
    static Object fromJson(JsonNode v, String type, String column) {
        if (v == null || v.isNull()) return null;
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            String element = type != null && type.startsWith("array<") ? type.substring(6, type.length() - 1) : null;
            boolean numeric = true;
            for (JsonNode e : v) if (!(e.isNumber() || (e.isTextual() && isNonFinite(e.asText())))) numeric = false;
            for (JsonNode e : v) l.add(fromJson(e, element != null ? element : numeric ? "double" : null, column));
            return canonList(l);
        }
        if (type == null || type.equals("?")) {
            if (column.equals(START_TIME) && v.isTextual()) return Instant.parse(v.asText());
            if (v.isIntegralNumber()) return v.longValue();
            if (v.isNumber()) return v.doubleValue();
            if (v.isBoolean()) return v.booleanValue();
            return v.asText();
        }
        switch (type) {
            case "double":
                return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
            case "float":
                return v.isTextual() ? Float.parseFloat(v.asText()) : v.floatValue();
            case "int", "bigint", "smallint", "tinyint":
                return v.longValue();
            case "boolean":
                return v.booleanValue();
            case "timestamp", "timestamp_ntz":
                return Instant.parse(v.asText());
            default:
                return v.isTextual() ? v.asText() : v.toString();
        }
    }

    static boolean isNonFinite(String s) {
        return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
    }

    /**
     * Keeps, per (sweep_id, point_id), the results row the view keeps (OK or DIVERGED before
     * FAILED, then the latest start_time, nulls last) and the child rows of that attempt.
     */
    static void keepAttempts(Map<String, Side> tables) {
        Side results = tables.get(RESULTS);
        Map<String, Map<String, Object>> best = new LinkedHashMap<>();
        for (Map<String, Object> r : results.rows) {
            String k = r.get(SWEEP_ID) + "\u0000" + r.get(POINT_ID);
            Map<String, Object> cur = best.get(k);
            if (cur == null || better(r, cur)) best.put(k, r);
        }
        results.dropped = results.rows.size() - best.size();
        results.rows = new ArrayList<>(best.values());
        Set<String> kept = new java.util.HashSet<>();
        for (Map<String, Object> r : results.rows) kept.add(r.get(SWEEP_ID) + "\u0000" + r.get(POINT_ID) + "\u0000" + r.get(START_TIME));
        for (var e : tables.entrySet()) {
            if (e.getKey().equals(RESULTS)) continue;
            Side s = e.getValue();
            if (!s.types.containsKey(START_TIME)) continue;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : s.rows) {
                if (kept.contains(r.get(SWEEP_ID) + "\u0000" + r.get(POINT_ID) + "\u0000" + r.get(START_TIME))) rows.add(r);
            }
            s.dropped = s.rows.size() - rows.size();
            s.rows = rows;
        }
    }

    static boolean better(Map<String, Object> r, Map<String, Object> than) {
        int dr = done(r), dt = done(than);
        if (dr != dt) return dr < dt;
        Instant tr = (Instant) r.get(START_TIME), tt = (Instant) than.get(START_TIME);
        if (tr == null) return false;
        return tt == null || tr.isAfter(tt);
    }

    static int done(Map<String, Object> r) {
        Object s = r.get(STATUS);
        return "OK".equals(s) || "DIVERGED".equals(s) ? 0 : 1;
    }
}
