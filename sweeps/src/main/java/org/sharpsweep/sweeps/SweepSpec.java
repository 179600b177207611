package org.sharpsweep.sweeps;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * A sweep: base settings and the grid axes that vary them (docs/spec.md). Immutable;
 * validated where it is built, so a spec that exists can be expanded without errors.
 *
 * @param name the sweep_id; 1-128 ASCII letters, digits, '.', '_' and '-', starting with a letter or digit (it names a
 *             Parquet partition and files beside the table; {@link #nameProblem})
 * @param seed the sweep seed; data derive from it, each point's seed from it and the point id
 * @param settings the base settings, before any grid value is put in; each section's settings
 *                 hold together ({@link PointChecks#sections})
 * @param grid the axes in the order written; the last varies fastest in {@link #points()}
 * @param seeds how points draw their initial parameters and minibatches ({@link SeedScheme}); null
 *              when the spec does not say, which {@link #points()} reads as {@code shared} and
 *              {@code sharpsweep run} resolves against the sweep's kept spec ({@link #withSeeds})
 */
public record SweepSpec(String name, long seed, Settings settings, List<Axis> grid, SeedScheme seeds)
        implements java.io.Serializable {

    /** A spec that does not say how its points draw their seeds (null {@link #seeds}). */
    public SweepSpec(String name, long seed, Settings settings, List<Axis> grid) {
        this(name, seed, settings, grid, null);
    }

    /** The base data settings, before the grid. */
    public DataSpec data() {
        return settings.data();
    }

    public ModelSpec model() {
        return settings.model();
    }

    public Loss loss() {
        return settings.loss();
    }

    public TrainSpec train() {
        return settings.train();
    }

    public PenaltySpec penalty() {
        return settings.penalty();
    }

    public MeasureSpec measure() {
        return settings.measure();
    }

    /** The scheme the points use: {@link #seeds}, or {@code shared} where the spec does not say. */
    public SeedScheme seedScheme() {
        return seeds == null ? SeedScheme.SHARED : seeds;
    }

    /** This spec with the seed scheme {@code scheme}. */
    public SweepSpec withSeeds(SeedScheme scheme) {
        return new SweepSpec(name, seed, settings, grid, scheme);
    }

    /** Largest grid accepted: a typo such as {@code num: 10000} is an error, not a week of work. */
    public static final int MAX_POINTS = 1_000_000;

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * Why {@code name} cannot name a sweep ({@link #NAME}), or null: the message says which rule
     * it breaks and, for the first character, why the rule is there.
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) return "name must be 1-128 characters, got '" + (name == null ? "" : name) + "'";
        if (NAME.matcher(name).matches()) return null;
        if (name.length() > 128) return "name must be 1-128 characters, got " + name.length() + ": '" + name + "'";
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int c = name.codePointAt(i);
            boolean ascii = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            if (!ascii) {
                return "name must be ASCII letters (A-Z, a-z), digits, '.', '_' and '-' only (it names the sweep_id partition and the "
                        + "sweep's files beside the table), got '" + name + "': '" + new String(Character.toChars(c)) + "'"
                        + (c >= 128 ? String.format(" (U+%04X)", c) : "") + " at character " + (name.codePointCount(0, i) + 1) + " is not one";
            }
        }
        return "name must start with an ASCII letter or digit, got '" + name + "': a leading '.' or '_' makes the sweep's files "
                + "hidden from Hadoop and Spark, '.' and '..' name a directory itself or its parent (the table's _specs and "
                + "_journal paths), and a leading '-' reads as a command-line option";
    }
    static final List<String> TOP_KEYS =
            List.of("name", "seed", "seeds", "data", "model", "loss", "train", "penalty", "measure", "grid");
    public SweepSpec {
        if (settings == null) throw new SpecException("data, model, train, penalty and measure are required");
        PointChecks.sections(settings); // the base settings, each section together, before any grid value is put in
        String nameProblem = nameProblem(name);
        if (nameProblem != null) throw new SpecException(nameProblem);
        grid = List.copyOf(grid);
        Set<String> names = new HashSet<>();
        for (Axis a : grid) {
            if (!names.add(a.name())) throw new SpecException("grid names the axis '" + a.name() + "' twice: "
                    + grid.stream().map(Axis::name).toList());
        }
        checkSize(grid.stream().map(a -> (long) a.values().size()).toList(), grid.stream().map(Axis::name).toList());
        Set<Setting> written = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (s.isConvSetting() && !java.util.Objects.equals(settings.get(s), s.defaultValue())) written.add(s);
        checkConvApplies(settings.model().family(), grid, written, s -> "");
        Set<Setting> writtenSam = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if (s.isSamSetting() && !java.util.Objects.equals(settings.get(s), s.defaultValue())) writtenSam.add(s);
        checkSamApplies(settings.train().optimizer(), grid, writtenSam, s -> "");
        // Cross-checks (batch_size > n_train, ...) of every point and distinct ids, before any work starts.
        new GridExpander(seed, seeds == null ? SeedScheme.SHARED : seeds, settings, grid).validate();
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
        checkApplies(Setting.FAMILY, family, Family.CNN, Setting::isConvSetting, grid, written, at, "model.family: cnn",
                "every point of this spec is an mlp, which has no convolution blocks");
    }

    /**
     * As {@link #checkConvApplies}, for {@code train.sam_rho} and {@code train.sam_adaptive}
     * ({@link Setting#isSamSetting}) where no point of the spec is trained with
     * {@code optimizer: sam}: refused, naming the setting; where some are (an {@code optimizer}
     * axis with sam), they apply to those and the sgd points drop them.
     */
    static void checkSamApplies(Optimizer optimizer, List<Axis> grid, Set<Setting> written,
                                java.util.function.Function<Setting, String> at) {
        checkApplies(Setting.OPTIMIZER, optimizer, Optimizer.SAM, Setting::isSamSetting, grid, written, at, "train.optimizer: sam",
                "every point of this spec trains with optimizer sgd, which takes no SAM perturbation");
    }

    /**
     * The rule of {@link #checkConvApplies} for settings that apply only where {@code selector}
     * is {@code needed}: unless the base value or an axis of {@code selector} gives it, a
     * dependent setting written or varied is refused, naming it and the fix.
     */
    private static void checkApplies(Setting selector, Object base, Object needed, java.util.function.Predicate<Setting> dependent,
                                     List<Axis> grid, Set<Setting> written, java.util.function.Function<Setting, String> at,
                                     String fix, String why) {
        boolean anyApplies = needed.equals(base);
        for (Axis a : grid) {
            if (a.setting() == selector) anyApplies = a.values().contains(needed);
        }
        if (anyApplies) return;
        String only = " only; add " + fix;
        for (Setting s : Setting.values()) {
            if (!dependent.test(s)) continue;
            if (written.contains(s)) {
                throw new SpecException(s.path() + " applies to " + selector.key + " " + Named.class.cast(needed).specName() + only
                        + at.apply(s) + " (" + why + ")");
            }
            for (Axis a : grid) {
                if (a.setting() == s) {
                    throw new SpecException("grid." + a.name() + " varies " + s.path() + ", which applies to " + selector.key + " "
                            + Named.class.cast(needed).specName() + only + " (" + why + ")");
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
     * Every grid point, the last axis varying fastest; deterministic. The list computes its
     * points when they are read, {@link GridPoints#CHUNK} at a time (on every core), and keeps
     * the last chunks it computed only: a sweep's points are never all in memory at once, so a
     * grid of {@link #MAX_POINTS} points costs the driver a bounded amount whichever way it is
     * walked (in order: each point computed once; a point far from the last read: its chunk
     * again). Equal specs share one list while one of them is reachable.
     */
    public List<GridPoint> points() {
        return POINTS.computeIfAbsent(this, s -> new GridPoints(s.expander(), s.size()));
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
        GridExpander now = expander();
        GridExpander before = new GridExpander(seed, seedScheme(), settings, legacyGrid);
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
        GridExpander ex = expander();
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
     * The estimated time of the sweep's points ({@link CostEstimate}): each combination of the
     * settings the estimate reads once, weighted by the points that share it.
     */
    public CostEstimate.Sweep cost() {
        GridExpander ex = expander();
        java.util.List<Integer> combos = ex.indicesVarying(CostEstimate.INPUTS);
        double weight = (double) size() / combos.size();
        double total = 0;
        CostEstimate longest = null;
        int at = 0;
        for (int i : combos) {
            CostEstimate c = CostEstimate.of(ex.spec(i));
            total += c.seconds() * weight;
            if (longest == null || c.seconds() > longest.seconds()) {
                longest = c;
                at = i;
            }
        }
        return new CostEstimate.Sweep(total / size(), total, longest, at, grid.isEmpty() ? "" : ex.axes(at).toString());
    }

    /**
     * The distinct data sets the points read, in grid order, found from the combinations of the
     * data axes alone (fast for any grid): what a check of the data files before any work needs.
     */
    public Set<DataSpec> dataSpecs() {
        Set<Setting> data = new java.util.HashSet<>();
        for (Setting s : Setting.values()) if ("data".equals(s.section)) data.add(s);
        GridExpander ex = expander();
        Set<DataSpec> out = new LinkedHashSet<>();
        for (int i : ex.indicesVarying(data)) out.add(ex.spec(i).data());
        return Collections.unmodifiableSet(out);
    }

    /** Validates by building every point (slow; for tests that compare with the constructor's validation). */
    void validateEveryPoint() {
        expander().validateEveryPoint();
    }

    private GridExpander expander() {
        return new GridExpander(seed, seedScheme(), settings, grid);
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
        return SpecParser.parse(yaml, false);
    }

    /**
     * Parses a spec kept by a release before {@link PointIds}, whose YAML may hold
     * {@code train.batch_size: 0} (full batch, written out then): such a key is read as absent;
     * and whose ranges were written as the lists of values they generated: such a list becomes
     * its range again (see {@link #recoverRange}). Otherwise as {@link #parse}. For the
     * {@code upgrade} command with {@link #idUpgrades}; the spec it returns is the one to keep.
     */
    public static SweepSpec parseLegacy(String yaml) {
        return SpecParser.parse(yaml, true);
    }

    /** This spec as YAML that {@link #parse} reads back to an equal spec ({@link SpecWriter}). */
    public String toYaml() {
        return SpecWriter.toYaml(this);
    }
}
