package org.sharpsweep.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;

/**
 * The last few data sets loaded in this JVM, so that the points of a sweep that an executor
 * runs one after another read their files once. Entries are read-only once built and shared
 * between task threads; loading is serialised.
 */
public final class DataCache {
    private static final int CAPACITY = 3;
    private static final Map<String, Data> CACHE = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Data> eldest) {
            return size() > CAPACITY;
        }
    };

    private DataCache() {
    }

    /** The data set of {@code spec} drawn with {@code dataSeed} (a point's {@code sweepSeed()}), loaded once per JVM. */
    public static synchronized Data get(DataSpec spec, long dataSeed) {
        String key = spec + "/" + dataSeed;
        Data d = CACHE.get(key);
        if (d == null) {
            d = Datasets.load(spec, dataSeed);
            CACHE.put(key, d);
        }
        return d;
    }
}
