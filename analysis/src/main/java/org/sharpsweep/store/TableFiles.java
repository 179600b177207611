package org.sharpsweep.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * What a results directory holds, from its file listing and kept specs alone (no Spark session,
 * no Parquet file read): which sweeps, whether a table has any rows a command could use, a
 * sweep's kept spec. Commands ask this before their Spark session starts, so that a request that
 * cannot be met (an unknown sweep, a picture of a table that is not there) is refused in a moment
 * instead of after Spark's start-up (docs/commands.md). A "no" here is certain; a "yes" is only
 * possible (the rows may not be the ones asked for), and the command's own reading decides then.
 *
 * <p>{@link #local} reads a local directory with {@code java.nio} alone, so that such a refusal
 * loads neither Hadoop's file systems nor the logging they start (most of a refusal's cost
 * otherwise); {@link #sweeps(FileSystem, Path)} is the same rule on any Hadoop file system.
 */
public final class TableFiles {
    /** The few questions asked of a directory tree, by paths relative to the table's folder ("" is the folder). */
    private interface Listing {
        boolean exists(String rel) throws IOException;

        /** Names of the sub-folders and of the files of a folder; empty lists when it does not exist. */
        List<String> dirs(String rel) throws IOException;

        List<String> files(String rel) throws IOException;

        String read(String rel) throws IOException;
    }

    private final Listing fs;
    private final String dir;

    private TableFiles(Listing fs, String dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /** A local results directory, read with {@code java.nio} alone. */
    public static TableFiles local(java.nio.file.Path dir) {
        return new TableFiles(new Listing() {
            private java.nio.file.Path at(String rel) {
                return rel.isEmpty() ? dir : dir.resolve(rel);
            }

            public boolean exists(String rel) {
                return java.nio.file.Files.exists(at(rel));
            }

            public List<String> dirs(String rel) throws IOException {
                return names(rel, true);
            }

            public List<String> files(String rel) throws IOException {
                return names(rel, false);
            }

            private List<String> names(String rel, boolean dirs) throws IOException {
                if (!java.nio.file.Files.isDirectory(at(rel))) return List.of();
                try (var s = java.nio.file.Files.list(at(rel))) {
                    return s.filter(p -> java.nio.file.Files.isDirectory(p) == dirs).map(p -> p.getFileName().toString()).toList();
                }
            }

            public String read(String rel) throws IOException {
                return java.nio.file.Files.readString(at(rel), StandardCharsets.UTF_8);
            }
        }, dir.toString());
    }

    /** A results directory on a Hadoop file system. */
    static TableFiles of(FileSystem hadoop, Path table) {
        return new TableFiles(new Listing() {
            private Path at(String rel) {
                return rel.isEmpty() ? table : new Path(table, rel);
            }

            public boolean exists(String rel) throws IOException {
                return hadoop.exists(at(rel));
            }

            public List<String> dirs(String rel) throws IOException {
                return names(rel, true);
            }

            public List<String> files(String rel) throws IOException {
                return names(rel, false);
            }

            private List<String> names(String rel, boolean dirs) throws IOException {
                if (!hadoop.exists(at(rel))) return List.of();
                List<String> out = new ArrayList<>();
                for (FileStatus f : hadoop.listStatus(at(rel))) if (f.isDirectory() == dirs) out.add(f.getPath().getName());
                return out;
            }

            public String read(String rel) throws IOException {
                try (var in = hadoop.open(at(rel))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }, table.toString());
    }

    /** A results directory on the Hadoop file system its URI names. */
    public static TableFiles of(org.apache.hadoop.conf.Configuration conf, String dir) {
        try {
            Path table = new Path(dir);
            return of(table.getFileSystem(conf), table);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Sweep ids with a partition, a journal or a staged compaction in {@code table}; empty if the folder does not exist. */
    static List<String> sweeps(FileSystem fs, Path table) throws IOException {
        return of(fs, table).sweepsOrFail();
    }

    /** Sweep ids with a partition, a journal or a staged compaction; empty when the directory holds no table or does not exist. */
    public List<String> sweeps() {
        try {
            return sweepsOrFail();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private List<String> sweepsOrFail() throws IOException {
        Set<String> ids = new java.util.TreeSet<>();
        if (!fs.exists("")) return List.of();
        for (String n : fs.dirs("")) if (n.startsWith(ResultSchema.SWEEP_ID + "=")) ids.add(n.substring(n.indexOf('=') + 1));
        for (String d : List.of(Journal.DIR, ResultStore.COMPACT_DIR)) ids.addAll(fs.dirs(d));
        return new ArrayList<>(ids);
    }

    /**
     * Whether table {@code t} may hold rows of {@code sweepId} (of any sweep when null): a Parquet
     * file in its partition, or a journal or a staged compaction of the sweep (their rows are
     * not listed by table). False means it certainly holds none.
     */
    public boolean mayHoldRows(ResultSchema.Table t, String sweepId) {
        try {
            if (!fs.exists("")) return false;
            String folder = t.folder();
            for (String part : fs.dirs(folder)) {
                if (!part.startsWith(ResultSchema.SWEEP_ID + "=")) continue;
                if (sweepId != null && !part.equals(ResultSchema.SWEEP_ID + "=" + sweepId)) continue;
                String rel = folder.isEmpty() ? part : folder + "/" + part;
                for (String name : fs.files(rel)) {
                    if (name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_")) return true;
                }
            }
            for (String sweep : sweepId == null ? fs.dirs(Journal.DIR) : List.of(sweepId)) {
                for (String name : fs.files(Journal.DIR + "/" + sweep)) if (name.endsWith(Journal.SUFFIX)) return true;
                if (!fs.dirs(ResultStore.COMPACT_DIR + "/" + sweep).isEmpty()) return true;
            }
            return sweepId == null && !fs.dirs(ResultStore.COMPACT_DIR).isEmpty();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether a spec is kept for {@code sweepId} ({@code _specs/<sweep>.yaml}), readable or not. */
    public boolean hasKeptSpec(String sweepId) {
        try {
            return fs.exists(ResultSchema.specFile(sweepId));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the directory holds a table: a partition of the results or a kept spec. */
    public boolean holdsTable() {
        try {
            return !sweepsOrFail().isEmpty() || !fs.files(ResultSchema.SPECS_DIR).isEmpty();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read results directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The spec kept for {@code sweepId} ({@code _specs/<sweep>.yaml}), or null if there is none or it does not parse any more. */
    public SweepSpec keptSpec(String sweepId) {
        try {
            String rel = ResultSchema.specFile(sweepId);
            return fs.exists(rel) ? SweepSpec.parseLegacy(fs.read(rel)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
