package org.sharpsweep.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * The spec each sweep of a results directory was run with ({@code DIR/_specs/<sweep>.yaml}, kept
 * by {@code run}), read with the file system alone: no Spark session is needed, so a command can
 * check a sweep against it before Spark starts. It is what decides which rows belong to a sweep
 * (docs/results.md, "Which rows belong to a sweep"): a row belongs only if its point id is a point
 * of the kept spec (or, in a table that {@code upgrade} has not rewritten yet, that point's id
 * under the earlier rule).
 */
public final class KeptSpecs {
    private KeptSpecs() {
    }

    /** The kept spec of {@code sweepId} in {@code dir}, or null if there is none or it does not parse any more. */
    public static SweepSpec read(Configuration conf, String dir, String sweepId) {
        try {
            return TableFiles.of(conf, dir).keptSpec(sweepId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every kept spec of {@code dir} that reads, as its text, by sweep name; empty when there is none. */
    public static Map<String, String> all(Configuration conf, String dir) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            Path folder = new Path(dir, ResultSchema.SPECS_DIR);
            FileSystem fs = folder.getFileSystem(conf);
            if (!fs.exists(folder)) return out;
            for (FileStatus f : fs.listStatus(folder)) {
                String n = f.getPath().getName();
                if (!f.isFile() || !n.endsWith(".yaml")) continue;
                try (var in = fs.open(f.getPath())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    parsed(text);
                    out.put(n.substring(0, n.length() - ".yaml".length()), text);
                } catch (IOException | RuntimeException e) {
                    // a spec that no longer reads decides nothing: its sweep's rows are shown as they are
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + "/" + ResultSchema.SPECS_DIR + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A few kept specs' texts, parsed, with their id sets once computed: a prompt registers its views again and again. */
    private static final Map<String, Parsed> CACHE = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > 16;
        }
    });

    private static final class Parsed {
        final SweepSpec spec;
        Set<String> ids;
        Set<String> legacyIds;

        Parsed(SweepSpec spec) {
            this.spec = spec;
        }
    }

    private static Parsed parsed(String text) {
        Parsed p = CACHE.get(text);
        if (p == null) {
            p = new Parsed(SweepSpec.parseLegacy(text));
            CACHE.put(text, p);
        }
        return p;
    }

    /** The point ids of the kept spec {@code text} (as {@link #all} returns it); computed once per text. */
    public static Set<String> ids(String text) {
        Parsed p = parsed(text);
        synchronized (p) {
            if (p.ids == null) {
                Set<String> ids = new HashSet<>();
                for (GridPoint g : p.spec.points()) ids.add(g.pointId());
                p.ids = java.util.Collections.unmodifiableSet(ids);
            }
            return p.ids;
        }
    }

    /**
     * The ids the kept spec's points had under the earlier id rule ({@link SweepSpec#idUpgrades}),
     * which a table not yet upgraded holds; computed once per text, and only when a row asks.
     */
    public static Set<String> legacyIds(String text) {
        Parsed p = parsed(text);
        synchronized (p) {
            if (p.legacyIds == null) {
                Set<String> ids = new HashSet<>();
                try {
                    for (SweepSpec.IdUpgrade u : p.spec.idUpgrades()) ids.add(u.legacyId());
                } catch (RuntimeException e) {
                    // a spec the earlier rule cannot read: no earlier ids
                }
                p.legacyIds = ids;
            }
            return p.legacyIds;
        }
    }

    /**
     * The kept spec's point indices by id: ids and numbers, not points, so that a grid of a
     * million points costs its ids' memory (the points themselves are made again on demand,
     * {@code spec.points().get(i)}, cheaply in index order).
     */
    public static Map<String, Integer> indicesById(SweepSpec spec) {
        Map<String, Integer> out = new HashMap<>();
        for (GridPoint p : spec.points()) out.put(p.pointId(), p.index());
        return out;
    }

}
