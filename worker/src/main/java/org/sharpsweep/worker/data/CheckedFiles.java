package org.sharpsweep.worker.data;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sharpsweep.worker.data.DataDir.DataFile;

/**
 * The whole-file checks of {@link Datasets#verify} already passed in this JVM, so that verifying the
 * data specs of a sweep (one per distinct {@code n_train}, class subset, ...) reads each file once.
 * A result is keyed by the file's qualified path, its stored length, its modification time and the
 * name of the check: a file rewritten since (another length or time) is read again; one rewritten
 * with the same length within the same millisecond would not be (the file system's time is the only
 * version a Hadoop file has). Only passed checks are kept, so a refusal is found again each time.
 * Holds class counts only, never data: at most {@value #CAPACITY} small arrays, least recently used
 * dropped. Thread-safe; two threads checking one file at once both read it and store equal results.
 */
final class CheckedFiles {
    private static final int CAPACITY = 64;
    private static final Map<String, int[]> PASSED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > CAPACITY;
        }
    };

    private CheckedFiles() {
    }

    /** A check of a whole file that returns the number of samples of each raw class it found. */
    interface Check {
        int[] run() throws IOException;
    }

    /** The result of {@code check} on {@code file}: remembered if it passed before, else run now. */
    static int[] classCounts(DataFile file, String name, Check check) throws IOException {
        String key = file.path() + "\u0000" + file.length() + "\u0000" + file.modified() + "\u0000" + name;
        int[] counts;
        synchronized (PASSED) {
            counts = PASSED.get(key);
        }
        if (counts == null) {
            counts = check.run().clone();
            synchronized (PASSED) {
                PASSED.put(key, counts);
            }
        }
        return counts.clone();
    }

    /** Forgets every result (tests that time a first verification). */
    static void clear() {
        synchronized (PASSED) {
            PASSED.clear();
        }
    }
}
