package org.sharpsweep.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The views {@code results}, {@code trajectories}, {@code spectra} and {@code params} of one
 * results directory in one Spark session ({@link ResultsTable#views}), registered again when
 * the directory's files changed: a running sweep adds journal rows and Parquet files, a
 * compaction replaces files, and a view over the old listing would miss the new rows (or name
 * files that are gone). A listing costs a few milliseconds on a local table, a registration
 * about 0.1 s warm. The views are temporary views of the session, or global temporary views
 * ({@code global_temp.results}, ...) that every session of its shared state sees (the JDBC
 * endpoint's: {@link JdbcEndpoint}), whose {@code results} is then also cached in memory: a
 * server answers many statements over one listing, and the cached rows spare each of them the
 * reading of the files, the join with the kept specs and the window that keeps one attempt per
 * point (about a second of a warm server's time per statement on 2 cores); the other views are
 * joined to the cached rows. Thread-safe: a session's statements may come from several threads.
 */
final class ResultViews {
    /** The names of the views, {@code results} first. */
    static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(List.of(ResultsTable.VIEW));
        for (ResultSchema.Table t : ResultSchema.children()) names.add(t.name());
        NAMES = Collections.unmodifiableList(names);
    }

    private final SparkSession spark;
    private final String dir;
    private final boolean global;
    /** The files under {@link #dir} (path, length, modification time) when the views were registered; null before. */
    private List<String> registered;
    /** The cached rows of {@code results} (global views only), unpersisted when the views are registered again. */
    private Dataset<Row> cached;

    /**
     * @param global register global temporary views (seen by every session of {@code spark}'s
     *               shared state) with {@code results} cached, not temporary ones
     */
    ResultViews(SparkSession spark, String dir, boolean global) {
        this.spark = spark;
        this.dir = dir;
        this.global = global;
    }

    String dir() {
        return dir;
    }

    /** Registers every view over the files in {@link #dir} now. */
    void register() {
        register(name -> true);
    }

    /**
     * Registers {@code results} and those of the other views whose names {@code statement}
     * mentions (a word of it, in any case): what one statement needs, without the cost of
     * building the others' plans. {@link #refresh} registers them all when the files change.
     */
    void registerFor(String statement) {
        register(name -> Pattern.compile("\\b" + name + "\\b", Pattern.CASE_INSENSITIVE).matcher(statement).find());
    }

    private synchronized void register(Predicate<String> wanted) {
        registered = files();
        Map<String, Dataset<Row>> views = ResultsTable.views(spark, dir, wanted);
        if (global) {
            if (cached != null) cached.unpersist(false);
            cached = views.get(ResultsTable.VIEW).persist(StorageLevel.MEMORY_AND_DISK());
            cached.count(); // now, so that the statement that comes next does not wait for the files as well
        }
        views.forEach((name, rows) -> {
            if (global) rows.createOrReplaceGlobalTempView(name);
            else rows.createOrReplaceTempView(name);
        });
    }

    /** Drops the cached rows, if any (the endpoint stops). */
    synchronized void uncache() {
        if (cached != null) cached.unpersist(false);
        cached = null;
    }

    /** Registers every view again if a file under {@link #dir} was added, removed or changed since; the first call registers them. */
    synchronized void refresh() {
        if (changed()) register();
    }

    /**
     * Whether a file under {@link #dir} was added, removed or changed since the views were
     * registered, or they never were ({@code serve} builds its page again then).
     */
    synchronized boolean changed() {
        return registered == null || !registered.equals(files());
    }

    /** Every file under {@link #dir}, sorted; null if it cannot be listed (then the views are registered again). */
    private List<String> files() {
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            List<String> files = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                files.add(f.getPath() + " " + f.getLen() + " " + f.getModificationTime());
            }
            Collections.sort(files);
            return files;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

}
