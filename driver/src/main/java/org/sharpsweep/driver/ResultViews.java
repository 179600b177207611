package org.sharpsweep.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultsTable;

/**
 * The views {@code results}, {@code trajectories}, {@code spectra} and {@code params} of one
 * results directory in one Spark session ({@link ResultsTable#registerAll}), registered again
 * when the directory's files changed: a running sweep adds journal rows and Parquet files, a
 * compaction replaces files, and a view over the old listing would miss the new rows (or name
 * files that are gone). A listing costs a few milliseconds on a local table, a registration
 * about 0.1 s. Thread-safe: a session's statements may come from several threads (the JDBC
 * endpoint runs them in a pool).
 */
final class ResultViews {
    private final SparkSession spark;
    private final String dir;
    /** The files under {@link #dir} (path, length, modification time) when the views were registered; null before. */
    private List<String> registered;

    ResultViews(SparkSession spark, String dir) {
        this.spark = spark;
        this.dir = dir;
    }

    String dir() {
        return dir;
    }

    /** Registers the views over the files in {@link #dir} now. */
    synchronized void register() {
        registered = files();
        ResultsTable.registerAll(spark, dir);
    }

    /** Registers the views again if a file under {@link #dir} was added, removed or changed since; the first call registers them. */
    synchronized void refresh() {
        if (registered == null || !registered.equals(files())) register();
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
