package org.sharpsweep.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * What a results directory holds, from its file listing alone (no Spark session, no file read):
 * which sweeps, and whether a table has any rows that a command could use. Commands ask this
 * before their Spark session starts, so that a request that cannot be met (an unknown sweep, a
 * picture of a table that is not there) is refused in a moment instead of after Spark's start-up
 * (docs/commands.md). A "no" here is certain; a "yes" is only possible (the rows may not be the
 * ones asked for), and the command's own reading of the tables decides then.
 */
public final class TableFiles {
    private TableFiles() {
    }

    /** Sweep ids with a partition, a journal or a staged compaction in {@code table}; empty if the folder does not exist. */
    static List<String> sweeps(FileSystem fs, Path table) throws IOException {
        Set<String> ids = new java.util.TreeSet<>();
        if (!fs.exists(table)) return List.of();
        for (FileStatus f : fs.listStatus(table)) {
            String n = f.getPath().getName();
            if (f.isDirectory() && n.startsWith(ResultSchema.SWEEP_ID + "=")) ids.add(n.substring(n.indexOf('=') + 1));
        }
        for (String d : List.of(Journal.DIR, ResultStore.COMPACT_DIR)) {
            Path p = new Path(table, d);
            if (fs.exists(p)) for (FileStatus f : fs.listStatus(p)) if (f.isDirectory()) ids.add(f.getPath().getName());
        }
        return new ArrayList<>(ids);
    }

    /** The sweeps of the results directory {@code dir} ({@link ResultStore#sweeps}), from its listing. */
    public static List<String> sweeps(Configuration conf, String dir) {
        try {
            Path table = new Path(dir);
            return sweeps(table.getFileSystem(conf), table);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether table {@code t} of {@code dir} may hold rows of {@code sweepId} (of any sweep when
     * null): a Parquet file in its partition, or a journal or a staged compaction of the sweep
     * (their rows are not listed by table). False means it certainly holds none.
     */
    public static boolean mayHoldRows(Configuration conf, String dir, ResultSchema.Table t, String sweepId) {
        try {
            Path table = new Path(dir);
            FileSystem fs = table.getFileSystem(conf);
            if (!fs.exists(table)) return false;
            Path folder = t.folder().isEmpty() ? table : new Path(table, t.folder());
            if (fs.exists(folder)) {
                for (FileStatus part : fs.listStatus(folder)) {
                    String n = part.getPath().getName();
                    if (!part.isDirectory() || !n.startsWith(ResultSchema.SWEEP_ID + "=")) continue;
                    if (sweepId != null && !n.equals(ResultSchema.SWEEP_ID + "=" + sweepId)) continue;
                    for (FileStatus f : fs.listStatus(part.getPath())) {
                        String name = f.getPath().getName();
                        if (f.isFile() && name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_")) return true;
                    }
                }
            }
            FileSystem raw = Journal.fileSystem(table, conf);
            if (!(sweepId == null ? Journal.files(raw, table) : Journal.files(raw, table, sweepId)).isEmpty()) return true;
            Path staged = new Path(table, ResultStore.COMPACT_DIR);
            if (sweepId != null) staged = new Path(staged, sweepId);
            return fs.exists(staged) && fs.listStatus(staged).length > 0;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
