package org.sharpsweep.driver;

import org.sharpsweep.store.ParquetFiles;

/**
 * Loads in the background what a run will need while the Spark session starts: ND4J's native
 * backend (a couple of seconds; only where points run in this JVM, i.e. a local master) and the
 * Parquet writer. Nothing here is needed for correctness: a failure is left for the real use to
 * report.
 */
final class Warmup {
    private Warmup() {
    }

    /** True if points of a run with this master run inside this JVM. */
    static boolean localMaster(String master) {
        String m = master != null ? master : System.getProperty("spark.master", SparkSessions.DEFAULT_MASTER);
        return m.startsWith("local");
    }

    static void start(boolean nd4j) {
        Thread t = new Thread(() -> {
            try {
                if (nd4j) org.sharpsweep.worker.Backend.name();
            } catch (Throwable ignored) {
                // the first point reports a backend that cannot load
            }
            ParquetFiles.warmUp();
        }, "sharpsweep-warmup");
        t.setDaemon(true);
        t.start();
    }
}
