package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.Map;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.sharpsweep.sweeps.Axis;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A sweep name means one configuration (docs/results.md): a spec run under a name that the
 * table already holds may only grow the grid, i.e. every point already in the table must be a
 * point of the new spec. Anything else (a changed setting, a value dropped from an axis, another
 * seed) would mix two experiments under one name, so it is refused before any work, saying
 * what differs and how to go on.
 */
final class SpecChange {
    private SpecChange() {
    }

    /**
     * @param stored   the spec kept with the table ({@code _specs/<sweep>.yaml}), or null if there is none or it no longer parses
     * @param inTable  the point ids of the sweep's rows (any status)
     * @param restart  what the refusal suggests for starting over
     * @throws IllegalArgumentException naming the differences, if some row is not a point of {@code spec}
     */
    static void check(SweepSpec spec, SweepSpec stored, Set<String> inTable, String table, String restart) {
        if (inTable.isEmpty()) return;
        if (stored != null && stored.seedScheme() != spec.seedScheme()) {
            throw new IllegalArgumentException("sweep '" + spec.name() + "' in " + table + " was computed with seeds: "
                    + stored.seedScheme().specName() + ", this spec says seeds: " + spec.seedScheme().specName()
                    + "; its points would start from other parameters and see other minibatches under the same ids. "
                    + "Leave seeds out (the sweep keeps its scheme), give this spec another name, or " + restart + ".");
        }
        Set<String> ids = new HashSet<>();
        for (GridPoint p : spec.points()) ids.add(p.pointId());
        int stale = 0;
        for (String id : inTable) if (!ids.contains(id)) stale++;
        if (stale == 0) return;
        if (stored != null && writtenByEarlierRelease(stored, inTable, ids)) {
            throw new IllegalArgumentException("sweep '" + spec.name() + "' in " + table + " was written by an earlier release, "
                    + "whose point ids hashed every setting: run 'sharpsweep upgrade " + table + "' once to rewrite its ids "
                    + "(atomic, rows otherwise unchanged), then run this spec again");
        }
        List<String> diffs = stored == null ? List.of("the spec kept with the table is missing or no longer reads") : differences(stored, spec);
        throw new IllegalArgumentException("sweep '" + spec.name() + "' in " + table + " holds " + stale + " of its "
                + inTable.size() + " points from a different configuration: "
                + (diffs.isEmpty() ? "its kept spec differs in a setting that is not listed" : String.join("; ", diffs))
                + ". A sweep name means one configuration, and a grid may only grow: give this spec another name, or "
                + restart + ".");
    }

    /** True if every row that is not a point of the new spec carries a point id of the kept spec under the old id rule. */
    private static boolean writtenByEarlierRelease(SweepSpec stored, Set<String> inTable, Set<String> ids) {
        Set<String> legacy = new HashSet<>();
        try {
            for (SweepSpec.IdUpgrade u : stored.idUpgrades()) legacy.add(u.legacyId());
        } catch (RuntimeException e) {
            return false;
        }
        for (String id : inTable) if (!ids.contains(id) && !legacy.contains(id)) return false;
        return true;
    }

    /** Human-readable differences, e.g. {@code train.steps: 100 -> 200}, {@code grid.lr: [0.05, 0.1] -> [0.2]}. */
    static List<String> differences(SweepSpec before, SweepSpec after) {
        List<String> out = new ArrayList<>();
        if (before.seed() != after.seed()) out.add("seed: " + before.seed() + " -> " + after.seed());
        Map<Setting, Object> a = base(before);
        Map<Setting, Object> b = base(after);
        Set<String> axesBefore = new LinkedHashSet<>();
        Set<String> axesAfter = new LinkedHashSet<>();
        before.grid().forEach(x -> axesBefore.add(x.name()));
        after.grid().forEach(x -> axesAfter.add(x.name()));
        for (Setting s : Setting.values()) {
            if (axesBefore.contains(s.shortName) || axesAfter.contains(s.shortName)) continue;
            if (!Objects.equals(s.toColumn(a.get(s)), s.toColumn(b.get(s)))) {
                out.add(s.path() + ": " + s.toColumn(a.get(s)) + " -> " + s.toColumn(b.get(s)));
            }
        }
        Set<String> names = new LinkedHashSet<>(axesBefore);
        names.addAll(axesAfter);
        for (String n : names) {
            List<Object> va = values(before, n, a);
            List<Object> vb = values(after, n, b);
            if (!new HashSet<>(vb).containsAll(va)) out.add("grid." + n + ": " + va + " -> " + vb);
        }
        return out;
    }

    private static Map<Setting, Object> base(SweepSpec s) {
        return s.settings().values();
    }

    /** The values an axis takes, or the one value of the fixed setting of that name. */
    private static List<Object> values(SweepSpec s, String axis, Map<Setting, Object> base) {
        for (Axis x : s.grid()) {
            if (x.name().equals(axis)) {
                Setting st = Setting.byShortName(axis);
                return x.values().stream().map(v -> st == null ? v : st.toColumn(v)).toList();
            }
        }
        Setting st = Setting.byShortName(axis);
        if (st == null) return List.of(0); // the seed axis absent: replicate 0
        Object v = st.toColumn(base.get(st));
        return v == null ? List.of() : List.of(v);
    }
}
