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

    /** Every kept spec of {@code dir} that reads, by sweep name; empty when there is none. */
    public static Map<String, SweepSpec> all(Configuration conf, String dir) {
        Map<String, SweepSpec> out = new LinkedHashMap<>();
        try {
            Path folder = new Path(dir, ResultSchema.SPECS_DIR);
            FileSystem fs = folder.getFileSystem(conf);
            if (!fs.exists(folder)) return out;
            for (FileStatus f : fs.listStatus(folder)) {
                String n = f.getPath().getName();
                if (!f.isFile() || !n.endsWith(".yaml")) continue;
                try {
                    out.put(n.substring(0, n.length() - ".yaml".length()), parse(fs, f.getPath()));
                } catch (IOException | RuntimeException e) {
                    // a spec that no longer reads decides nothing: its sweep's rows are shown as they are
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + "/" + ResultSchema.SPECS_DIR + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static SweepSpec parse(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return SweepSpec.parseLegacy(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The kept spec's points by id. */
    public static Map<String, GridPoint> pointsById(SweepSpec spec) {
        Map<String, GridPoint> out = new HashMap<>();
        for (GridPoint p : spec.points()) out.put(p.pointId(), p);
        return out;
    }

    /**
     * The point ids a row of this sweep may carry: its points' ids, and their ids under the
     * earlier id rule ({@link SweepSpec#idUpgrades}), which a table not yet upgraded holds.
     */
    public static Set<String> belongingIds(SweepSpec spec) {
        Set<String> ids = new HashSet<>(pointsById(spec).keySet());
        try {
            for (SweepSpec.IdUpgrade u : spec.idUpgrades()) ids.add(u.legacyId());
        } catch (RuntimeException e) {
            // a spec the earlier rule cannot read: only current ids
        }
        return ids;
    }
}
