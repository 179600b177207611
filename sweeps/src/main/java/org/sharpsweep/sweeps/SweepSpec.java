package org.sharpsweep.sweeps;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.TreeMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A sweep: base settings and the grid axes that vary them (docs/spec.md). Immutable;
 * validated where it is built, so a spec that exists can be expanded without errors.
 *
 * @param name the sweep_id; letters, digits, '.', '_' and '-' (it names a Parquet partition)
 * @param seed the sweep seed; data derive from it, each point's seed from it and the point id
 * @param grid the axes in the order written; the last varies fastest in {@link #points()}
 * @param seeds how points draw their initial parameters and minibatches ({@link SeedScheme}); null
 *              when the spec does not say, which {@link #points()} reads as {@code shared} and
 *              {@code sharpsweep run} resolves against the sweep's kept spec ({@link #withSeeds})
 */
public record SweepSpec(String name, long seed, DataSpec data, ModelSpec model, Loss loss, TrainSpec train,
                        PenaltySpec penalty, MeasureSpec measure, List<Axis> grid, SeedScheme seeds) implements java.io.Serializable {

    /** A spec that does not say how its points draw their seeds (null {@link #seeds}). */
    public SweepSpec(String name, long seed, DataSpec data, ModelSpec model, Loss loss, TrainSpec train,
                     PenaltySpec penalty, MeasureSpec measure, List<Axis> grid) {
        this(name, seed, data, model, loss, train, penalty, measure, grid, null);
    }

    /** The scheme the points use: {@link #seeds}, or {@code shared} where the spec does not say. */
    public SeedScheme seedScheme() {
        return seeds == null ? SeedScheme.SHARED : seeds;
    }

    /** This spec with the seed scheme {@code scheme}. */
    public SweepSpec withSeeds(SeedScheme scheme) {
        return new SweepSpec(name, seed, data, model, loss, train, penalty, measure, grid, scheme);
    }

    /** Largest grid accepted: a typo such as {@code num: 10000} is an error, not a week of work. */
    public static final int MAX_POINTS = 100_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> TOP_KEYS =
            List.of("name", "seed", "seeds", "data", "model", "loss", "train", "penalty", "measure", "grid");
    /** The writer of {@link #toYaml}, loaded on first use: parsing needs no databind. */
    private static final class Writer {
        static final YAMLMapper YAML = YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
    }

    public SweepSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpecException("name must be 1-128 letters, digits, '.', '_' or '-' (it names the sweep_id "
                    + "partition), got '" + name + "'");
        }
        grid = List.copyOf(grid);
        Set<String> names = new HashSet<>();
        for (Axis a : grid) {
            if (!names.add(a.name())) throw new SpecException("grid names the axis '" + a.name() + "' twice: "
                    + grid.stream().map(Axis::name).toList());
        }
        checkSize(grid.stream().map(a -> (long) a.values().size()).toList(), grid.stream().map(Axis::name).toList());
        if (loss == null) throw new SpecException("loss is required");
        if (data == null || model == null || train == null || penalty == null || measure == null) {
            throw new SpecException("data, model, train, penalty and measure are required");
        }
        Set<Setting> written = new java.util.HashSet<>();
        TreeMap<Setting, Object> base = Setting.flatten(data, model, loss, train, penalty, measure);
        for (Setting s : Setting.values()) if (s.isConvSetting() && !java.util.Objects.equals(base.get(s), s.defaultValue())) written.add(s);
        checkConvApplies(model.family(), grid, written, s -> "");
        // Cross-checks (batch_size > n_train, ...) of every point and distinct ids, before any work starts.
        new Expander(seed, seeds == null ? SeedScheme.SHARED : seeds, Setting.flatten(data, model, loss, train, penalty, measure), grid).validate();
    }

    /**
     * Refuses a conv setting ({@link Setting#isConvSetting}) that the user wrote, in {@code model}
     * or as a grid axis, when no point of the spec is a cnn: resolution would drop it without a
     * word ({@link PointSpec} resets the conv settings of an mlp), and the user most likely
     * forgot {@code model.family: cnn}. Where some points are cnns (a {@code family} axis with
     * cnn), the conv settings apply to those and are dropped for the mlp points.
     *
     * @param written the conv settings given in {@code model} (an axis counts by itself)
     * @param at      where a setting of {@code model} was written (a line), or ""
     */
    static void checkConvApplies(Family family, List<Axis> grid, Set<Setting> written,
                                 java.util.function.Function<Setting, String> at) {
        boolean anyCnn = family == Family.CNN;
        for (Axis a : grid) {
            if (a.setting() == Setting.FAMILY) anyCnn = a.values().contains(Family.CNN);
        }
        if (anyCnn) return;
        for (Setting s : Setting.values()) {
            if (!s.isConvSetting()) continue;
            if (written.contains(s)) {
                throw new SpecException(s.path() + " applies to family cnn only; add model.family: cnn" + at.apply(s)
                        + " (every point of this spec is an mlp, which has no convolution blocks)");
            }
            for (Axis a : grid) {
                if (a.setting() == s) {
                    throw new SpecException("grid." + a.name() + " varies " + s.path() + ", which applies to family cnn "
                            + "only; add model.family: cnn (every point of this spec is an mlp, which has no "
                            + "convolution blocks)");
                }
            }
        }
    }

    /**
     * Refuses a grid whose size, the product of its axis lengths, is above {@link #MAX_POINTS},
     * naming the axes and their lengths; computed without expanding anything.
     */
    static void checkSize(List<Long> lengths, List<String> axes) {
        long size = 1;
        boolean over = false;
        for (long n : lengths) {
            size = n > MAX_POINTS || size > MAX_POINTS ? MAX_POINTS + 1L : size * n;
            over |= size > MAX_POINTS;
        }
        if (!over) return;
        StringBuilder product = new StringBuilder();
        BigInteger exact = BigInteger.ONE;
        for (int i = 0; i < lengths.size(); i++) {
            if (i > 0) product.append(" x ");
            product.append(axes.get(i)).append(' ').append(lengths.get(i));
            exact = exact.multiply(BigInteger.valueOf(lengths.get(i)));
        }
        throw new SpecException("grid has " + exact + " points (" + product + "), more than the limit of " + MAX_POINTS
                + " points per sweep; shorten an axis or split the sweep");
    }

    /** Number of grid points. */
    public int size() {
        int n = 1;
        for (Axis a : grid) n *= a.values().size();
        return n;
    }

    private static final Map<SweepSpec, List<GridPoint>> POINTS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Every grid point, the last axis varying fastest; deterministic. Expanded once per spec and
     * kept (an immutable list shared by equal specs while one of them is reachable), so calling
     * it again is cheap.
     */
    public List<GridPoint> points() {
        List<GridPoint> cached = POINTS.get(this);
        if (cached != null) return cached;
        Expander ex = expander();
        // points are independent (an Expander only reads), so large grids use every core
        IntStream indices = IntStream.range(0, size());
        GridPoint[] out = (size() >= 2048 ? indices.parallel() : indices).mapToObj(i -> ex.point(i, true)).toArray(GridPoint[]::new);
        List<GridPoint> list = List.of(out);
        POINTS.put(this, list);
        return list;
    }

    /** The point at {@code index} of {@link #points()}, computed from its mixed-radix digits alone. */
    public GridPoint point(int index) {
        if (index < 0 || index >= size()) {
            throw new SpecException("point index must be in [0, " + (size() - 1) + "], got " + index);
        }
        // no cache lookup: hashing a spec reads every axis value, computing one point does not
        return expander().point(index);
    }

    /**
     * For every point, the id the previous rule gave it ({@link PointIds#legacy}, with range
     * values generated as before: doubles unrounded, integers rounded) next to its id now: the
     * map a one-time {@code upgrade} of a results table written before {@link PointIds} needs.
     * Where the previous release generated other values than this one (an integer range that
     * rounded, refused now), there is no old point to map and the spec cannot be parsed anyway.
     */
    public List<IdUpgrade> idUpgrades() {
        List<Axis> legacyGrid = new ArrayList<>();
        for (Axis a : grid) {
            List<Object> old = a.range() == null ? a.values() : a.range().legacyValues(a.setting());
            if (old.size() != a.values().size()) {
                throw new SpecException("grid." + a.name() + ": the previous release generated " + old.size()
                        + " values from " + a.range() + ", this one " + a.values().size() + "; no id map");
            }
            legacyGrid.add(new Axis(a.name(), old, a.range()));
        }
        Expander now = expander();
        Expander before = new Expander(seed, seedScheme(), Setting.flatten(data, model, loss, train, penalty, measure), legacyGrid);
        List<IdUpgrade> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            String legacyId = PointIds.legacy(before.spec(i), seed, before.replicate(i));
            String id = PointIds.of(now.spec(i), seed, now.replicate(i));
            out.add(new IdUpgrade(i, legacyId, Seeds.derive(seed, legacyId), id, Seeds.derive(seed, id)));
        }
        return out;
    }

    /** One point's id and seed before ({@link PointIds#legacy}) and now ({@link PointIds#of}). */
    public record IdUpgrade(int index, String legacyId, long legacySeed, String pointId, long seed) {
    }

    /**
     * Refuses a spec with a point that cannot fit in {@code executorBytes} of memory, by
     * {@link MemoryEstimate}: the message names the point, the setting that drives the estimate
     * and its value, e.g. {@code model.width 1000000000 needs ~23.0 TB for 7000000001 parameters;
     * this run's executors have 4.0 GB}. Looks at each distinct combination of the axes that
     * enter the estimate, so it is fast for any grid.
     */
    public void checkFits(long executorBytes) {
        Expander ex = expander();
        for (int i : ex.indicesVarying(MemoryEstimate.INPUTS)) {
            PointSpec p = ex.spec(i);
            MemoryEstimate m = MemoryEstimate.of(p);
            if (m.bytes() > executorBytes) {
                String where = grid.isEmpty() ? "" : "grid point " + i + " " + ex.axes(i) + ": ";
                throw new SpecException(where + m.explain() + "; this run's executors have "
                        + MemoryEstimate.human(executorBytes));
            }
        }
    }

    /**
     * The distinct data sets the points read, in grid order, found from the combinations of the
     * data axes alone (fast for any grid): what a check of the data files before any work needs.
     */
    public Set<DataSpec> dataSpecs() {
        Set<Setting> data = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if ("data".equals(s.section)) data.add(s);
        Expander ex = expander();
        Set<DataSpec> out = new LinkedHashSet<>();
        for (int i : ex.indicesVarying(data)) out.add(ex.spec(i).data());
        return Collections.unmodifiableSet(out);
    }

    /** Validates by building every point (slow; for tests that compare with the constructor's validation). */
    void validateEveryPoint() {
        expander().validateEveryPoint();
    }

    private Expander expander() {
        return new Expander(seed, seedScheme(), Setting.flatten(data, model, loss, train, penalty, measure), grid);
    }

    /** Grid points by index: the last axis varies fastest (mixed radix), nothing expanded ahead. */
    private static final class Expander {
        private final long seed;
        private final SeedScheme seeds;
        private final TreeMap<Setting, Object> base;
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
        private final Map<Integer, String[]> combos = new ConcurrentHashMap<>();

        Expander(long seed, SeedScheme seeds, TreeMap<Setting, Object> base, List<Axis> grid) {
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
            TreeMap<Setting, Object> v = new TreeMap<>(base);
            for (int a = 0; a < d.length; a++) {
                Setting s = setting[a];
                if (s != null) v.put(s, grid.get(a).values().get(d[a]));
            }
            try {
                return Setting.point(v);
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
            String[] shared = combos.computeIfAbsent(combo, this::fragments);
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
            TreeMap<Setting, Object> v = Setting.flatten(p);
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
            Map<String, Integer> seen = new HashMap<>(Math.max(16, combos.size() * 2));
            for (int i : combos) {
                String text = PointIds.canonical(spec(i), seed, replicate(i));
                Integer first = seen.putIfAbsent(text, i);
                if (first != null) {
                    throw new SpecException("grid points " + first + " " + axes(first) + " and " + i + " " + axes(i)
                            + " are the same computation (point id " + Seeds.pointId(text) + "): they differ only in "
                            + "settings that do not apply to them or that resolve to the same value (penalty coef 0 "
                            + "is no penalty whatever the kind, batch_size n_train is full batch, the conv settings mean "
                            + "nothing for family mlp); drop one of the values");
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

    /**
     * The text a point id hashes; see {@link PointIds#canonical}, the one definition.
     */
    static String canonical(PointSpec spec, long sweepSeed, int replicate) {
        return PointIds.canonical(spec, sweepSeed, replicate);
    }

    // ---------------------------------------------------------------- YAML

    /** Reads a spec file; errors name the file. */
    public static SweepSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read spec: " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (SpecException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    /**
     * Parses and validates a YAML spec. Stricter than YAML: a key given twice, a second
     * document, an alias, an unknown key at any level, a number outside its type (read wide, so
     * the message names the value as written) and a grid over {@link #MAX_POINTS} points are
     * errors naming the key, the value and the line.
     */
    public static SweepSpec parse(String yaml) {
        return parse(yaml, false);
    }

    /**
     * Parses a spec kept by a release before {@link PointIds}, whose YAML may hold
     * {@code train.batch_size: 0} (full batch, written out then): such a key is read as absent;
     * and whose ranges were written as the lists of values they generated: such a list becomes
     * its range again (see {@link #recoverRange}). Otherwise as {@link #parse}. For the
     * {@code upgrade} command with {@link #idUpgrades}; the spec it returns is the one to keep.
     */
    public static SweepSpec parseLegacy(String yaml) {
        return parse(yaml, true);
    }

    private static SweepSpec parse(String yaml, boolean legacy) {
        SpecYaml.Node root = SpecYaml.read(yaml);
        if (root == null || !root.isMap()) {
            throw new SpecException("a spec must be a YAML mapping with at least 'name', got "
                    + (root == null ? "an empty document" : root.show() + root.at()));
        }
        for (Map.Entry<String, SpecYaml.Node> e : root.map().entrySet()) {
            if (!TOP_KEYS.contains(e.getKey())) {
                throw new SpecException("unknown key '" + e.getKey() + "'" + e.getValue().at() + "; known keys are " + TOP_KEYS);
            }
        }
        SpecYaml.Node nameNode = root.get("name");
        if (nameNode == null || nameNode.kind() == SpecYaml.Kind.NULL) {
            throw new SpecException("name is required: the sweep_id, e.g. name: quickstart");
        }
        if (nameNode.kind() != SpecYaml.Kind.STRING) {
            throw new SpecException("name must be a string, got " + nameNode.show() + nameNode.at()
                    + "; quote it if it looks like a number or a boolean: name: '" + nameNode.text() + "'");
        }
        long seed = Defaults.SEED;
        if (root.has("seed")) {
            SpecYaml.Node s = root.get("seed");
            BigDecimal d = s.decimal();
            boolean integral = d != null && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0);
            if (!integral || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                    || d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
                throw new SpecException("seed must be an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "], got "
                        + s.show() + s.at());
            }
            seed = d.longValueExact();
        }
        // a kept spec without the key was computed before the scheme existed: per-point
        SeedScheme seeds = legacy ? SeedScheme.PER_POINT : null;
        if (root.has("seeds")) {
            SpecYaml.Node s = root.get("seeds");
            if (s.kind() != SpecYaml.Kind.STRING) {
                throw new SpecException("seeds must be one of " + Named.names(SeedScheme.class) + ", got " + s.show() + s.at());
            }
            try {
                seeds = Named.parse(SeedScheme.class, "seeds", s.text());
            } catch (SpecException e) {
                throw new SpecException(e.getMessage() + s.at());
            }
        }
        TreeMap<Setting, Object> v = Setting.defaults();
        for (String section : List.of("data", "model", "train", "penalty", "measure")) {
            SpecYaml.Node node = root.get(section);
            if (node == null) continue;
            if (!node.isMap()) {
                throw new SpecException(section + " must be a mapping of keys to values, got " + node.show() + node.at()
                        + "; e.g. " + section + ": {" + example(section) + "}");
            }
            for (Map.Entry<String, SpecYaml.Node> e : node.map().entrySet()) {
                Setting s = find(section, e.getKey(), e.getValue());
                if (legacy && s == Setting.BATCH_SIZE && "0".equals(e.getValue().text())) continue;
                v.put(s, s.parse(e.getValue(), s.path()));
            }
        }
        if (root.has("loss")) v.put(Setting.LOSS, Setting.LOSS.parse(root.get("loss"), "loss"));
        List<Axis> grid = new ArrayList<>();
        SpecYaml.Node g = root.get("grid");
        if (g != null && g.kind() != SpecYaml.Kind.NULL) {
            if (!g.isMap()) {
                throw new SpecException("grid must be a mapping of axis name to values, got " + g.show() + g.at()
                        + "; e.g. grid: {lr: [0.05, 0.1]}");
            }
            List<Long> lengths = new ArrayList<>();
            List<String> axes = new ArrayList<>();
            for (Map.Entry<String, SpecYaml.Node> e : g.map().entrySet()) {
                lengths.add(axisLength(e.getKey(), e.getValue()));
                axes.add(e.getKey());
            }
            checkSize(lengths, axes);
            for (Map.Entry<String, SpecYaml.Node> e : g.map().entrySet()) {
                Axis a = parseAxis(e.getKey(), e.getValue());
                grid.add(legacy ? recoverRange(a) : a);
            }
        }
        SpecYaml.Node modelNode = root.get("model");
        Set<Setting> written = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (s.isConvSetting() && modelNode != null && modelNode.has(s.key)) written.add(s);
        checkConvApplies((Family) v.get(Setting.FAMILY), grid, written, s -> modelNode.get(s.key).at());
        SpecYaml.Node train = root.get("train");
        boolean steps = train != null && train.has("steps") || g != null && g.has("steps");
        boolean epochs = train != null && train.has("epochs") || g != null && g.has("epochs");
        if (steps && epochs) {
            throw new SpecException("train.steps and train.epochs are both given; give one (epochs sets steps to "
                    + "epochs x floor(n_train / batch_size))");
        }
        try {
            return new SweepSpec(nameNode.text(), seed, Setting.data(v), Setting.model(v), (Loss) v.get(Setting.LOSS),
                    Setting.train(v), Setting.penalty(v), Setting.measure(v), grid, seeds);
        } catch (SpecException e) {
            throw withLine(e, root);
        }
    }

    /**
     * A record's message ("data.input_dim must be >= 1, got 0") with the line of the key it
     * starts with, which the records cannot know.
     */
    private static SpecException withLine(SpecException e, SpecYaml.Node root) {
        String m = e.getMessage();
        for (Setting s : Setting.values()) {
            if (s.section == null || !m.startsWith(s.path() + " ")) continue;
            SpecYaml.Node section = root.get(s.section);
            SpecYaml.Node node = section == null ? null : section.get(s.key);
            if (node != null) return new SpecException(m + node.at());
        }
        return e;
    }

    /**
     * A kept spec of the previous release holds each range as the list of values it generated
     * (unrounded: {@code 0.10000000000000002}). A double list that is exactly what a range from
     * its first to its last value generated then (linear or log, {@link Axis.Range#legacyValues})
     * becomes that range again, so its values are rounded as now and {@link #idUpgrades} maps
     * each old id (of the unrounded value) to the id a fresh run of the range gives.
     */
    private static Axis recoverRange(Axis a) {
        Setting s = a.setting();
        List<Object> v = a.values();
        if (s == null || s.type != Double.class || a.range() != null || v.size() < 3) return a;
        double from = (Double) v.get(0);
        double to = (Double) v.get(v.size() - 1);
        for (boolean log : new boolean[]{false, true}) {
            if (log && !(from > 0 && to > 0)) continue;
            Axis.Range r = new Axis.Range(from, to, v.size(), log);
            if (r.legacyValues(s).equals(v)) return new Axis(a.name(), r.values(s), r);
        }
        return a;
    }

    private static String example(String section) {
        return switch (section) {
            case "data" -> "dataset: teacher, n_train: 200";
            case "model" -> "depth: 1, width: 50";
            case "train" -> "steps: 500, lr: 0.1";
            case "penalty" -> "kind: gradnorm, coef: 0.01";
            default -> "sharpness: true";
        };
    }

    private static Setting find(String section, String key, SpecYaml.Node value) {
        List<String> known = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (section.equals(s.section)) {
                if (s.key.equals(key)) return s;
                known.add(s.key);
            }
        }
        throw new SpecException("unknown key '" + section + "." + key + "'" + value.at() + "; known keys of " + section
                + " are " + known);
    }

    /** The number of values an axis will have, read without generating any. */
    private static long axisLength(String name, SpecYaml.Node node) {
        if (node.isList()) return node.list().size();
        if (!node.isMap()) return 1;
        if (Axis.SEED.equals(name)) return count(node.get("replicates"), "grid.seed.replicates");
        return count(node.get("num"), "grid." + name + ".num");
    }

    /** A count (num, replicates) >= 1, read wide; one over {@link #MAX_POINTS} is refused naming the limit. */
    private static long count(SpecYaml.Node n, String where) {
        if (n == null) return 1; // the axis parser says what is missing
        BigDecimal d = n.decimal();
        boolean integral = d != null && (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0);
        if (!integral || d.signum() <= 0) {
            throw new SpecException(where + " must be an integer >= 1, got " + n.show() + n.at());
        }
        if (d.compareTo(BigDecimal.valueOf(MAX_POINTS)) > 0) {
            throw new SpecException(where + " is " + n.text() + n.at() + ", more than the limit of " + MAX_POINTS
                    + " points per sweep; shorten the axis or split the sweep");
        }
        return d.longValueExact();
    }

    private static Axis parseAxis(String name, SpecYaml.Node node) {
        if (Axis.SEED.equals(name)) {
            if (node.isMap()) {
                SpecYaml.Node r = node.get("replicates");
                if (r == null || node.map().size() != 1) {
                    throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node.show() + node.at());
                }
                int k = (int) count(r, "grid.seed.replicates");
                List<Object> reps = new ArrayList<>(k);
                for (int i = 0; i < k; i++) reps.add(i);
                return new Axis(name, reps);
            }
            if (!node.isList()) throw new SpecException("grid.seed must be a list or {replicates: k}, got " + node.show() + node.at());
            List<Object> reps = new ArrayList<>();
            int i = 0;
            for (SpecYaml.Node e : node.list()) reps.add(Setting.integer(e, "grid.seed[" + i++ + "]", 0, " (a replicate label)"));
            return new Axis(name, reps);
        }
        Setting s = Setting.byShortName(name);
        if (s == null || !s.isAxis()) {
            throw new SpecException(Axis.notAnAxis(name, node.at()));
        }
        if (node.kind() == SpecYaml.Kind.NULL) {
            throw new SpecException("grid." + name + " is empty" + node.at() + ": give at least one value");
        }
        if (node.isList()) {
            List<Object> values = new ArrayList<>(node.list().size());
            int i = 0;
            for (SpecYaml.Node e : node.list()) values.add(s.parse(e, "grid." + name + "[" + i++ + "]"));
            return new Axis(name, values);
        }
        if (node.isMap()) {
            Axis.Range r = range(s, node);
            return new Axis(name, r.values(s), r);
        }
        return new Axis(name, List.of(s.parse(node, "grid." + name)));
    }

    private static Axis.Range range(Setting s, SpecYaml.Node node) {
        String where = "grid." + s.shortName;
        if (s.type != Double.class && s.type != Integer.class) {
            throw new SpecException(where + " is not numeric; give a list of values, not a range, got " + node.show() + node.at());
        }
        for (Map.Entry<String, SpecYaml.Node> e : node.map().entrySet()) {
            if (!List.of("from", "to", "num", "scale").contains(e.getKey())) {
                throw new SpecException("unknown key '" + where + "." + e.getKey() + "'" + e.getValue().at()
                        + "; a range has from, to, num, scale");
            }
        }
        for (String k : List.of("from", "to", "num")) {
            if (!node.has(k)) throw new SpecException(where + " is a range without '" + k + "'" + node.at()
                    + "; a range is {from: a, to: b, num: n} (scale: linear | log)");
        }
        double from = bound(s, node.get("from"), where + ".from");
        double to = bound(s, node.get("to"), where + ".to");
        int num = (int) count(node.get("num"), where + ".num");
        String scale = "linear";
        if (node.has("scale")) {
            SpecYaml.Node sc = node.get("scale");
            scale = sc.text();
            if (sc.kind() != SpecYaml.Kind.STRING || !scale.equals("linear") && !scale.equals("log")) {
                throw new SpecException(where + ".scale must be linear | log, got " + sc.show() + sc.at());
            }
        }
        if (scale.equals("log") && !(from > 0 && to > 0)) {
            throw new SpecException(where + " with scale log needs from > 0 and to > 0, got from " + node.get("from").text()
                    + ", to " + node.get("to").text() + node.at());
        }
        if (num == 1 && from != to) {
            throw new SpecException(where + " " + node.show() + node.at() + " has num 1 but from != to; give num >= 2 or a single value");
        }
        return new Axis.Range(from, to, num, scale.equals("log"));
    }

    /** A range end: an int for an integer setting (read wide, named as written), else a finite double. */
    private static double bound(Setting s, SpecYaml.Node n, String where) {
        if (s.type == Integer.class) return Setting.integer(n, where, Integer.MIN_VALUE, "");
        return Setting.finite(n, where);
    }

    /** This spec as YAML that {@link #parse} reads back to an equal spec. */
    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("seed", seed);
        if (seeds != null) root.put("seeds", seeds.specName());
        TreeMap<Setting, Object> v = Setting.flatten(data, model, loss, train, penalty, measure);
        boolean byEpochs = train.epochs() > 0 || grid.stream().anyMatch(a -> a.setting() == Setting.EPOCHS);
        for (Setting s : Setting.values()) {
            Object value = s.toPlain(v.get(s));
            if (value == null || (value instanceof List<?> l && l.isEmpty()) || s.omitted(v.get(s))) continue;
            // 0 marks "full batch" and "count steps": left out, as the user writes them
            if ((s == Setting.BATCH_SIZE || s == Setting.EPOCHS) && Integer.valueOf(0).equals(value)) continue;
            if (s == (byEpochs ? Setting.STEPS : Setting.EPOCHS)) continue; // one of the two, as parse wants
            if (s.section == null) {
                root.put(s.key, value);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> sec = (Map<String, Object>) root.computeIfAbsent(s.section, k -> new LinkedHashMap<>());
                sec.put(s.key, value);
            }
        }
        if (!grid.isEmpty()) {
            Map<String, Object> g = new LinkedHashMap<>();
            for (Axis a : grid) {
                Setting s = a.setting();
                if (a.range() != null) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    Axis.Range range = a.range();
                    boolean ints = s.type == Integer.class;
                    r.put("from", ints ? (Object) (int) range.from() : (Object) range.from());
                    r.put("to", ints ? (Object) (int) range.to() : (Object) range.to());
                    r.put("num", range.num());
                    if (range.log()) r.put("scale", "log");
                    g.put(a.name(), r);
                } else {
                    g.put(a.name(), a.values().stream().map(x -> s == null ? x : s.toPlain(x)).toList());
                }
            }
            root.put("grid", g);
        }
        try {
            return Writer.YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
