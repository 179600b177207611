package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Grid points by index: the last axis varies fastest (mixed radix), nothing expanded ahead. */
final class GridExpander {
    private final long seed;
    private final SeedScheme seeds;
    private final Settings base;
    private final List<Axis> grid;
    private final int[] radix;
    private final int size;
    /** The setting of each axis (null for the replicate axis). */
    private final Setting[] setting;
    /** For each setting (by ordinal), the axis that varies it, or -1. */
    private final int[] axisOf;
    /** Whether each axis's setting is {@link Setting#checkedAlone}. */
    private final boolean[] aloneAxis;
    /** Per axis checked alone, the id fragment of each value, filled on first use. */
    private final String[][] aloneFragments;
    /** Per combination of the other axes (an index with the alone axes at 0), every setting's fragment. */
    private final Map<Integer, String[]> combos = new java.util.concurrent.ConcurrentHashMap<>();
    /** Combinations kept in {@link #combos} at most (each a few kilobytes of text). */
    private static final int MAX_COMBOS = 4096;

    GridExpander(long seed, SeedScheme seeds, Settings base, List<Axis> grid) {
        this.seed = seed;
        this.seeds = seeds;
        this.base = base;
        this.grid = grid;
        this.radix = new int[grid.size()];
        this.setting = new Setting[grid.size()];
        for (int a = 0; a < setting.length; a++) setting[a] = grid.get(a).setting();
        int n = 1;
        for (int a = 0; a < radix.length; a++) {
            radix[a] = grid.get(a).values().size();
            n *= radix[a];
        }
        this.size = n;
        this.axisOf = new int[Setting.values().length];
        Arrays.fill(axisOf, -1);
        this.aloneAxis = new boolean[radix.length];
        this.aloneFragments = new String[radix.length][];
        for (int a = 0; a < radix.length; a++) {
            Setting s = setting[a];
            if (s == null) continue;
            axisOf[s.ordinal()] = a;
            aloneAxis[a] = s.checkedAlone();
        }
    }

    int[] digits(int index) {
        int[] d = new int[radix.length];
        for (int a = radix.length - 1; a >= 0; a--) {
            d[a] = index % radix[a];
            index /= radix[a];
        }
        return d;
    }

    Map<String, Object> axes(int index) {
        int[] d = digits(index);
        Map<String, Object> axes = new LinkedHashMap<>();
        for (int a = 0; a < d.length; a++) {
            Setting s = setting[a];
            Object v = grid.get(a).values().get(d[a]);
            axes.put(grid.get(a).name(), s == null ? v : s.toPlain(v));
        }
        return axes;
    }

    int replicate(int index) {
        return replicate(digits(index));
    }

    private int replicate(int[] d) {
        for (int a = 0; a < d.length; a++) {
            if (setting[a] == null) return (Integer) grid.get(a).values().get(d[a]);
        }
        return 0;
    }

    /** The resolved point at {@code index}; a SpecException names the index and its axis values. */
    PointSpec spec(int index) {
        return spec(index, digits(index));
    }

    private PointSpec spec(int index, int[] d) {
        Map<Setting, Object> v = new HashMap<>();
        for (int a = 0; a < d.length; a++) {
            Setting s = setting[a];
            if (s != null) v.put(s, grid.get(a).values().get(d[a]));
        }
        try {
            return PointSpec.of(base.with(v));
        } catch (SpecException e) {
            if (grid.isEmpty()) throw e;
            throw new SpecException("grid point " + index + " " + axes(index) + ": " + e.getMessage());
        }
    }

    /**
     * {@link PointIds#canonical} of the point at {@code index}, assembled from parts: an axis
     * {@link Setting#checkedAlone} contributes its value's fragment (which depends on that
     * value alone: such a setting always applies and resolving never changes it), every
     * other setting the fragment it has at the point with those axes at their first value,
     * computed once per such combination. Equal to PointIds.canonical(spec(index), ...), which
     * {@code StrictSpecTest} checks.
     */
    String canonical(int index) {
        return canonical(digits(index));
    }

    private String canonical(int[] d) {
        int combo = 0;
        for (int a = 0; a < d.length; a++) combo = combo * radix[a] + (aloneAxis[a] ? 0 : d[a]);
        String[] shared = combos.get(combo);
        if (shared == null) {
            // a grid whose every axis is coupled has a combination per point: keep a bounded few
            if (combos.size() >= MAX_COMBOS) combos.clear();
            shared = fragments(combo);
            combos.put(combo, shared);
        }
        StringBuilder sb = new StringBuilder(256);
        List<Setting> order = PointIds.order();
        for (int k = 0; k < order.size(); k++) {
            int a = axisOf[order.get(k).ordinal()];
            sb.append(a >= 0 && aloneAxis[a] ? aloneFragment(a, d[a]) : shared[k]);
        }
        return sb.append(PointIds.suffix(seed, replicate(d))).toString();
    }

    /**
     * The fragment of value j of axis a, an axis checked alone: it depends on the value only
     * (such a setting always applies and is not batch_size), so any point serves as the
     * context. Filled on first use; a race computes an entry twice, to the same string.
     */
    private String aloneFragment(int a, int j) {
        String[] row = aloneFragments[a];
        if (row == null) aloneFragments[a] = row = new String[radix[a]];
        String f = row[j];
        if (f == null) {
            PointSpec context = spec(0);
            row[j] = f = PointIds.fragment(setting[a], grid.get(a).values().get(j), context);
        }
        return f;
    }

    private String[] fragments(int index) {
        PointSpec p = spec(index);
        Map<Setting, Object> v = p.settings().values();
        List<Setting> order = PointIds.order();
        String[] out = new String[order.size()];
        for (int k = 0; k < out.length; k++) out[k] = PointIds.fragment(order.get(k), v.get(order.get(k)), p);
        return out;
    }

    GridPoint point(int index) {
        return point(index, false);
    }

    /** @param many whether this Expander hands out many points (then id texts are assembled from parts) */
    GridPoint point(int index, boolean many) {
        int[] d = digits(index);
        PointSpec spec = spec(index, d);
        int replicate = replicate(d);
        // the assembled text pays off over many points; one point hashes its settings directly
        String pointId = Seeds.pointId(many ? canonical(d) : PointIds.canonical(spec, seed, replicate));
        return new GridPoint(index, pointId, seed, replicate, PointIds.seed(seed, pointId), spec, rawAxes(d), seeds);
    }

    private Map<String, Object> rawAxes(int[] d) {
        Map<String, Object> axes = new LinkedHashMap<>();
        for (int a = 0; a < d.length; a++) axes.put(grid.get(a).name(), grid.get(a).values().get(d[a]));
        return axes;
    }

    /**
     * Every point resolves (each cross-check holds) and no two points have one id. Two
     * points have one id exactly when their id texts ({@link PointIds#canonical}) are equal,
     * so the texts are compared, not the hashes. Only the product of the axes whose setting
     * is not {@link Setting#checkedAlone} is built point by point; an axis checked alone has
     * each value built once, and its values cannot make two ids equal.
     */
    void validate() {
        Set<Setting> coupled = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (!s.checkedAlone()) coupled.add(s);
        List<Integer> combos = indicesVarying(coupled);
        // keyed by the id, not its text (a few hundred characters a point): two points of one id are one computation
        Map<String, Integer> seen = new HashMap<>(Math.max(16, combos.size() * 2));
        for (int i : combos) {
            String text = PointIds.canonical(spec(i), seed, replicate(i));
            Integer first = seen.putIfAbsent(Seeds.pointId(text), i);
            if (first != null) {
                throw new SpecException("grid points " + first + " " + axes(first) + " and " + i + " " + axes(i)
                        + " are the same computation (point id " + Seeds.pointId(text) + "): they differ only in "
                        + "settings that do not apply to them or that resolve to the same value (penalty coef 0 "
                        + "is no penalty whatever the kind, batch_size n_train is full batch, the conv settings mean "
                        + "nothing for family mlp, sam_rho and sam_adaptive nothing for optimizer sgd); drop one of the values");
            }
        }
        // an axis checked alone: each value once, the other axes at their first value
        int stride = 1;
        for (int a = radix.length - 1; a >= 0; a--) {
            Setting s = setting[a];
            if (s != null && s.checkedAlone()) {
                for (int j = 1; j < radix[a]; j++) spec(j * stride);
            }
            stride *= radix[a];
        }
    }

    /** Every point resolves and no two share an id, by building every point: the reference for {@link #validate}. */
    void validateEveryPoint() {
        Map<String, Integer> seen = new HashMap<>(Math.max(16, size * 2));
        for (int i = 0; i < size; i++) {
            String text = PointIds.canonical(spec(i), seed, replicate(i));
            Integer first = seen.putIfAbsent(text, i);
            if (first != null) throw new SpecException("grid points " + first + " and " + i + " share an id");
        }
    }

    /**
     * One index for each distinct combination of the values of the axes whose setting is in
     * {@code settings} (the other axes at their first value), in grid order.
     */
    List<Integer> indicesVarying(Set<Setting> settings) {
        int[] sub = new int[radix.length];
        int n = 1;
        for (int a = 0; a < radix.length; a++) {
            sub[a] = settings.contains(setting[a]) ? radix[a] : 1;
            n *= sub[a];
        }
        List<Integer> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int rest = k;
            int index = 0;
            int[] d = new int[radix.length];
            for (int a = radix.length - 1; a >= 0; a--) {
                d[a] = rest % sub[a];
                rest /= sub[a];
            }
            for (int a = 0; a < radix.length; a++) index = index * radix[a] + d[a];
            out.add(index);
        }
        return out;
    }
}
