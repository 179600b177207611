package org.sharpsweep.sweeps;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every scalar setting of a point, with the YAML section and key it is written under, the
 * short name it has as a grid axis and as a results-table column, its type, its default and its
 * range check. One registry drives parsing, grid overrides, point ids, the parameter columns and
 * {@link Settings} (the one form a point's settings take), so they cannot disagree.
 *
 * <p>The settings of data, model, loss, training and penalty are the constants below; the
 * {@code measure} section's are the few every measure shares (below) and those each measure
 * declares with itself ({@link org.sharpsweep.sweeps.measure.Measures}): adding a measure adds its
 * settings here without editing this class. {@link #values()} lists them all, in the order they
 * were declared (which is the column order of the results table). Instances are unique: a
 * deserialized one resolves to the registered one, so settings compare with {@code ==}.
 */
public final class Setting implements Comparable<Setting>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<Setting> REGISTRY = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static final Setting DATASET = of("DATASET", "data", "dataset", "dataset", Dataset.class, false, Defaults.DATASET, null);
    public static final Setting TARGET = of("TARGET", "data", "target", "target", Target.class, false, Defaults.TARGET, null);
    public static final Setting INPUT_DIM = of("INPUT_DIM", "data", "input_dim", "input_dim", Integer.class, false, Defaults.INPUT_DIM,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting PATH = of("PATH", "data", "path", "data_path", String.class, false, Defaults.PATH, null);
    public static final Setting N_TRAIN = of("N_TRAIN", "data", "n_train", "n_train", Integer.class, false, Defaults.N_TRAIN,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting N_TEST = of("N_TEST", "data", "n_test", "n_test", Integer.class, false, Defaults.N_TEST,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting CLASSES = of("CLASSES", "data", "classes", "classes", List.class, false, Defaults.CLASSES, null);
    public static final Setting LABEL_NOISE = of("LABEL_NOISE", "data", "label_noise", "label_noise", Double.class, false,
            Defaults.LABEL_NOISE, v -> (Double) v >= 0 && (Double) v <= 1 ? null : "must be in [0, 1]");
    public static final Setting INPUT_SCALE = of("INPUT_SCALE", "data", "scale", "input_scale", InputScale.class, false,
            Defaults.INPUT_SCALE, null);
    public static final Setting DEPTH = of("DEPTH", "model", "depth", "depth", Integer.class, false, Defaults.DEPTH,
            v -> (Integer) v >= 0 && (Integer) v <= 16 ? null : "must be in [0, 16]");
    public static final Setting WIDTH = of("WIDTH", "model", "width", "width", Integer.class, false, Defaults.WIDTH,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting ACTIVATION = of("ACTIVATION", "model", "activation", "activation", Activation.class, false,
            Defaults.ACTIVATION, null);
    public static final Setting INIT = of("INIT", "model", "init", "init", Init.class, false, Defaults.INIT, null);
    public static final Setting FAMILY = of("FAMILY", "model", "family", "family", Family.class, true, Defaults.FAMILY, null);
    public static final Setting CONV_BLOCKS = of("CONV_BLOCKS", "model", "conv_blocks", "conv_blocks", Integer.class, true,
            Defaults.CONV_BLOCKS, v -> (Integer) v >= 1 && (Integer) v <= ModelSpec.MAX_CONV_BLOCKS ? null
                    : "must be in [1, " + ModelSpec.MAX_CONV_BLOCKS + "]");
    public static final Setting CHANNELS = of("CHANNELS", "model", "channels", "channels", Integer.class, true, Defaults.CHANNELS,
            v -> (Integer) v >= 1 && (Integer) v <= ModelSpec.MAX_CHANNELS ? null : "must be in [1, " + ModelSpec.MAX_CHANNELS + "]");
    public static final Setting KERNEL = of("KERNEL", "model", "kernel", "kernel", Integer.class, true, Defaults.KERNEL, v -> {
        int k = (Integer) v;
        if (k < 1 || k > ModelSpec.MAX_KERNEL) return "must be an odd number in [1, " + ModelSpec.MAX_KERNEL + "]";
        return k % 2 == 0 ? "must be odd, got " + k + ": 'same' padding kernel/2 keeps the size only for odd kernels" : null;
    });
    public static final Setting POOL = of("POOL", "model", "pool", "pool", Pool.class, true, Defaults.POOL, null);
    public static final Setting LOSS = of("LOSS", null, "loss", "loss", Loss.class, false, Defaults.LOSS, null);
    public static final Setting STEPS = of("STEPS", "train", "steps", "steps", Integer.class, false, Defaults.STEPS,
            v -> (Integer) v >= 0 ? null : "must be >= 0");
    public static final Setting EPOCHS = of("EPOCHS", "train", "epochs", "epochs", Integer.class, false, Defaults.EPOCHS,
            v -> (Integer) v >= 0 ? null : "must be >= 0");
    public static final Setting LR = of("LR", "train", "lr", "lr", Double.class, false, Defaults.LR,
            v -> (Double) v > 0 && !Double.isInfinite((Double) v) ? null : "must be > 0 and finite");
    /**
     * The learning rate as a multiple of 2/lambda_0, lambda_0 the point's own sharpness at its
     * initial parameters (Cohen et al. 2021, Lewkowycz et al. 2020): the point measures lambda_0
     * before its first step and trains with lr = this x 2/lambda_0. Given instead of {@code lr}.
     */
    public static final Setting LR_IN_2_OVER_LAMBDA0 = of("LR_IN_2_OVER_LAMBDA0", "train", "lr_in_2_over_lambda0",
            "lr_in_2_over_lambda0", Double.class, true, Defaults.LR_IN_2_OVER_LAMBDA0,
            v -> (Double) v > 0 && !Double.isInfinite((Double) v) ? null : "must be > 0 and finite");
    /** 0 is full batch (the default, n_train of the point); a spec cannot write it ({@link #minimum}). */
    public static final Setting BATCH_SIZE = of("BATCH_SIZE", "train", "batch_size", "batch_size", Integer.class, false,
            Defaults.BATCH_SIZE, v -> (Integer) v >= 0 ? null : "must be >= 1");
    public static final Setting MOMENTUM = of("MOMENTUM", "train", "momentum", "momentum", Double.class, false, Defaults.MOMENTUM,
            v -> (Double) v >= 0 && (Double) v < 1 ? null : "must be in [0, 1)");
    /** {@code sgd} (the default) or {@code sam}; the SAM settings below apply to {@code sam} only ({@link #appliesTo}). */
    public static final Setting OPTIMIZER = of("OPTIMIZER", "train", "optimizer", "optimizer", Optimizer.class, true,
            Defaults.OPTIMIZER, null);
    /** SAM's radius rho; optimizer sam only ({@link PointChecks} resets it to its default for sgd). */
    public static final Setting SAM_RHO = of("SAM_RHO", "train", "sam_rho", "sam_rho", Double.class, true, Defaults.SAM_RHO,
            v -> (Double) v > 0 && !Double.isInfinite((Double) v) ? null : "must be > 0 and finite");
    /** ASAM's |theta| scaling of SAM's ball; optimizer sam only ({@link PointChecks} resets it to its default for sgd). */
    public static final Setting SAM_ADAPTIVE = of("SAM_ADAPTIVE", "train", "sam_adaptive", "sam_adaptive", Boolean.class, true,
            Defaults.SAM_ADAPTIVE, null);
    public static final Setting DIVERGENCE_LOSS = of("DIVERGENCE_LOSS", "train", "divergence_loss", "divergence_loss", Double.class,
            false, Defaults.DIVERGENCE_LOSS, v -> (Double) v > 0 ? null : "must be > 0");
    /**
     * Ends training early: after the first epoch (floor(n_train / B) steps; one step for full-batch
     * GD) whose minibatch losses have a mean below it ({@link TrainSpec#stopAtLoss}); steps is then
     * the most a point takes.
     */
    public static final Setting STOP_AT_LOSS = of("STOP_AT_LOSS", "train", "stop_at_loss", "stop_at_loss", Double.class, true,
            Defaults.STOP_AT_LOSS, v -> (Double) v > 0 && !Double.isInfinite((Double) v) ? null : "must be > 0 and finite");
    public static final Setting DTYPE = of("DTYPE", "train", "dtype", "dtype", DType.class, true, Defaults.DTYPE, null);
    public static final Setting FROM_SWEEP = of("FROM_SWEEP", "train", "from_sweep", "from_sweep", String.class, true,
            Defaults.FROM_SWEEP, null);
    public static final Setting FROM_POINT = of("FROM_POINT", "train", "from_point", "from_point", String.class, true,
            Defaults.FROM_POINT, null);
    public static final Setting PARALLEL = of("PARALLEL", "train", "parallel", "parallel", Parallel.class, true, Defaults.PARALLEL, null);
    public static final Setting WORKERS = of("WORKERS", "train", "workers", "workers", Integer.class, true, Defaults.WORKERS,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    public static final Setting LOCKSTEP = of("LOCKSTEP", "train", "lockstep", "lockstep_mode", Lockstep.class, true,
            Defaults.LOCKSTEP, null);
    public static final Setting PENALTY = of("PENALTY", "penalty", "kind", "penalty", PenaltyKind.class, false, Defaults.PENALTY, null);
    public static final Setting PENALTY_COEF = of("PENALTY_COEF", "penalty", "coef", "penalty_coef", Double.class, false,
            Defaults.PENALTY_COEF, v -> (Double) v >= 0 && !Double.isInfinite((Double) v) ? null : "must be >= 0 and finite");
    public static final Setting PENALTY_MICROBATCH = of("PENALTY_MICROBATCH", "penalty", "microbatch", "penalty_microbatch",
            Integer.class, true, Defaults.PENALTY_MICROBATCH, v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = the whole batch)");
    public static final Setting PENALTY_SCALE_WITH_LR = of("PENALTY_SCALE_WITH_LR", "penalty", "scale_with_lr",
            "penalty_scale_with_lr", Boolean.class, true, Defaults.PENALTY_SCALE_WITH_LR, null);

    // the measure settings every measure shares; each measure's own settings are declared with it (Measures)
    /** Lanczos stops at relative residual |beta_k e_k^T y| / |theta| <= tol. */
    public static final Setting TOL = measure("TOL", "tol", "tol", Double.class, false, Defaults.TOL,
            v -> (Double) v > 0 && (Double) v < 1 ? null : "must be in (0, 1)");
    /** The Lanczos iteration cap. */
    public static final Setting MAX_ITERS = measure("MAX_ITERS", "max_iters", "max_iters", Integer.class, false, Defaults.MAX_ITERS,
            v -> (Integer) v >= 1 ? null : "must be >= 1");
    /** 0: only at the end; K > 0: also at step 0, every K steps and the last step (the trajectories table). */
    public static final Setting MEASURE_EVERY = measure("MEASURE_EVERY", "every", "measure_every", Integer.class, true, Defaults.EVERY,
            v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = only at the end)");
    /** 0: none; W > 0: the window statistics of the sharpness over the measurements of the last W steps. */
    public static final Setting MEASURE_WINDOW = measure("MEASURE_WINDOW", "window", "measure_window", Integer.class, true, Defaults.WINDOW,
            v -> (Integer) v >= 0 ? null : "must be >= 0 (0 = none)");
    /**
     * Whether the curvature measures that can run along training do so at each of
     * {@link #MEASURE_EVERY}'s steps (true), or the trajectories keep the losses, accuracies and
     * norms only and the curvature is measured at the end (false: a per-step loss curve at the
     * cost of a forward pass, not of a Lanczos run).
     */
    public static final Setting MEASURE_ALONG_CURVATURE = measure("MEASURE_ALONG_CURVATURE", "along_curvature", "measure_along_curvature",
            Boolean.class, true, Defaults.ALONG_CURVATURE, null);
    /** Keep the final parameters in the params table. */
    public static final Setting SAVE_PARAMS = measure("SAVE_PARAMS", "save_params", "save_params", Boolean.class, true, Defaults.SAVE_PARAMS,
            null);

    /** The constant's name, e.g. {@code LR}. */
    private final String name;
    private final int ordinal;
    /** YAML section ({@code data}, {@code model}, ...), or null for a top-level key. */
    public final String section;
    /** Key inside the section. */
    public final String key;
    /** Name as a grid axis and as a results-table column. */
    public final String shortName;
    /** Java type of the value: Integer, Double, Boolean, String, List (of Integer), or a {@link Named} enum. */
    public final Class<?> type;
    /**
     * Whether the spec's YAML ({@link SweepSpec#toYaml}) leaves this setting out while it is at
     * its default, so that specs written before the setting existed read the same. Point ids
     * leave every setting out at its default ({@link PointIds}); this flag concerns the YAML only.
     */
    public final boolean omittedAtDefault;
    /** The default ({@link Defaults}; a measure's own settings declare theirs with the measure); null only where "none" is a value. */
    private final transient Object declaredDefault;
    /** The range check of one value alone, or null; checks that read two settings are {@link PointChecks}'. */
    private final transient Check check;

    /**
     * A range check of one value: null when it is fine, else what it must be (e.g.
     * {@code must be >= 1}), which {@link #problem} completes to {@code section.key must be >= 1, got 0}.
     * A text that names the value itself ({@code must be odd, got 4: ...}) is used as it is.
     */
    @FunctionalInterface
    public interface Check {
        String problem(Object value);
    }

    private Setting(String name, String section, String key, String shortName, Class<?> type, boolean omittedAtDefault,
                    Object declaredDefault, Check check) {
        if (byShortNameOrNull(shortName) != null) throw new IllegalStateException("setting " + shortName + " declared twice");
        this.name = name;
        this.section = section;
        this.key = key;
        this.shortName = shortName;
        this.type = type;
        this.omittedAtDefault = omittedAtDefault;
        this.declaredDefault = declaredDefault;
        this.check = check;
        synchronized (REGISTRY) {
            this.ordinal = REGISTRY.size();
            REGISTRY.add(this);
        }
    }

    /** Declares a setting of data, model, loss, train or penalty (the constants above). */
    private static Setting of(String name, String section, String key, String shortName, Class<?> type, boolean omittedAtDefault,
                              Object defaultValue, Check check) {
        return new Setting(name, section, key, shortName, type, omittedAtDefault, defaultValue, check);
    }

    /**
     * Declares a setting of the {@code measure} section: what is measured and kept, never how a
     * point trains, so it is never a grid axis and never enters a point id. The measures declare
     * theirs with this ({@link org.sharpsweep.sweeps.measure.Measures}).
     *
     * @param omittedAtDefault whether the spec's YAML leaves it out at its default (true for every
     *                         setting added after the first release, so older specs read the same)
     * @param check            its range check, or null
     */
    public static Setting measure(String name, String key, String shortName, Class<?> type, boolean omittedAtDefault,
                                  Object defaultValue, Check check) {
        if (defaultValue == null || !type.isInstance(defaultValue)) {
            throw new IllegalArgumentException("measure." + key + ": default " + defaultValue + " is not a " + type.getSimpleName());
        }
        return new Setting(name, "measure", key, shortName, type, omittedAtDefault, defaultValue, check);
    }

    /** What rows written before this setting existed did, where that is not its default (set once, at declaration). */
    private transient volatile Object olderRows;

    /**
     * Declares what points computed before this setting existed did, where its default is not
     * that (a new default for a new method): their rows read as this value
     * ({@link #defaultForOlderRows}). Returns this setting.
     */
    public Setting olderRows(Object value) {
        if (!type.isInstance(value)) throw new IllegalArgumentException(path() + ": older rows' value " + value + " is not a " + type.getSimpleName());
        this.olderRows = value;
        return this;
    }

    /** Every setting, in declaration order (the measures' own settings last). */
    public static Setting[] values() {
        org.sharpsweep.sweeps.measure.Measures.all(); // the measures register their settings when first loaded
        return REGISTRY.toArray(new Setting[0]);
    }

    /** The constant's name, e.g. {@code LR}. */
    public String name() {
        return name;
    }

    /** Position in {@link #values()}. */
    public int ordinal() {
        return ordinal;
    }

    @Override
    public int compareTo(Setting o) {
        return Integer.compare(ordinal, o.ordinal);
    }

    @Override
    public String toString() {
        return name;
    }

    /** A deserialized setting is the registered one. */
    private Object readResolve() throws java.io.ObjectStreamException {
        values();
        Setting s = byShortNameOrNull(shortName);
        if (s == null) throw new java.io.InvalidObjectException("no setting " + shortName);
        return s;
    }

    /**
     * The problem with {@code value} for this setting ({@code measure.tol must be in (0, 1), got 2.0}),
     * or null when there is none or the setting has no check of its own.
     */
    public String problem(Object value) {
        if (check == null || value == null) return null;
        String p = check.problem(value);
        if (p == null) return null;
        return p.contains(", got ") ? path() + " " + p : path() + " " + p + ", got " + value;
    }

    /** Whether {@code value} is this setting's default and the setting is {@link #omittedAtDefault} there. */
    public boolean omitted(Object value) {
        return omittedAtDefault && java.util.Objects.equals(value, declaredDefault);
    }

    /**
     * Whether {@code value} is this setting's documented default for point {@code p}, the rule of
     * {@link PointIds}: {@link Defaults}, except {@code batch_size}, whose default is full batch
     * (n_train of the point, which {@link PointSpec} has already put in).
     */
    public boolean isDefault(Object value, PointSpec p) {
        if (this == BATCH_SIZE) return value instanceof Integer b && (b == 0 || b == p.data().nTrain());
        return java.util.Objects.equals(value, declaredDefault);
    }

    /** The documented default ({@link Defaults}) of this setting. */
    public Object defaultValue() {
        return declaredDefault;
    }

    /** Whether null is a value of this setting ("none": the data path, the point a point starts from). */
    public boolean nullable() {
        return declaredDefault == null;
    }

    /** {@code section.key} as a user writes it in a spec, e.g. {@code train.lr}. */
    public String path() {
        return section == null ? key : section + "." + key;
    }

    /**
     * Whether the setting means anything for this point: {@code target} and {@code input_dim}
     * describe the teacher data set only (a file data set's inputs are what the files hold), and
     * {@code label_noise} and {@code input_scale} the image data sets only ({@link PointChecks}
     * rejects them for teacher); {@code conv_blocks}, {@code channels}, {@code kernel} and
     * {@code pool} describe the cnn family only ({@link PointChecks} resets them to their defaults
     * for an mlp); {@code sam_rho} and {@code sam_adaptive} describe {@code optimizer: sam} only
     * ({@link PointChecks} resets them to their defaults for sgd). The results table leaves a
     * setting that does not apply null.
     */
    public boolean appliesTo(PointSpec p) {
        if (appliesToEveryPoint()) return true;
        if (this == TARGET || this == INPUT_DIM) return p.data().dataset() == Dataset.TEACHER;
        if (this == LABEL_NOISE || this == INPUT_SCALE) return p.data().dataset() != Dataset.TEACHER;
        if (isSamSetting()) return p.train().optimizer() == Optimizer.SAM;
        return p.model().family() == Family.CNN; // the conv settings
    }

    /** Whether {@link #appliesTo} is true for every point (the setting's column is never null for not applying). */
    public boolean appliesToEveryPoint() {
        return this != TARGET && this != INPUT_DIM && this != LABEL_NOISE && this != INPUT_SCALE && !isConvSetting()
                && !isSamSetting();
    }

    /** The settings of optimizer sam alone: they do not apply to sgd ({@link #appliesTo}). */
    public boolean isSamSetting() {
        return this == SAM_RHO || this == SAM_ADAPTIVE;
    }

    /**
     * The value a results row written before this setting existed stands for: the default, for
     * a setting added later ({@link #omittedAtDefault}: its default is what every earlier point
     * did, which is why specs and point ids leave it out there) that applies to every point and
     * has one; else null (the row's null is the truth). A setting whose default is not what
     * earlier points did declares what they did instead ({@link #olderRows(Object)}).
     */
    public Object defaultForOlderRows() {
        if (olderRows != null) return toColumn(olderRows);
        return omittedAtDefault && appliesToEveryPoint() && defaultValue() != null ? toColumn(defaultValue()) : null;
    }

    /**
     * Whether every check of this setting reads it alone (a range such as width >= 1) and
     * resolving a point never changes or drops it, so that validating each of its values once
     * is as good as validating every point it is in, and two of its values never give one id.
     * {@link SweepSpec} validates the product of the other axes only, which is what makes a
     * 100,000-point grid fast. A check that reads two settings (like batch_size &lt;= n_train)
     * or a resolution that drops one (penalty kind at coef 0, target on a file data set) must
     * leave its settings out of this list; {@code SweepSpecTest} compares with validating every point.
     */
    public boolean checkedAlone() {
        if (isMeasurement()) return false; // never a grid axis: the question does not arise
        return this == DEPTH || this == WIDTH || this == ACTIVATION || this == INIT || this == LR || this == LR_IN_2_OVER_LAMBDA0 || this == MOMENTUM
                || this == DIVERGENCE_LOSS || this == STOP_AT_LOSS || this == DTYPE || this == N_TEST;
    }

    /**
     * Settings that can be grid axes: every scalar except the data path, the class list and the
     * measure settings ({@link #isMeasurement}: points that differ only in them would be one
     * trained point, one id).
     */
    public boolean isAxis() {
        return this != PATH && this != CLASSES && !isMeasurement() && !isExecution();
    }

    /**
     * A setting of how a point is computed, not of what: {@code train.parallel} and
     * {@code train.workers} spread one point's training over several Spark workers, and the
     * point, its id and (to rounding) its numbers are the same either way.
     */
    public boolean isExecution() {
        return this == PARALLEL || this == WORKERS || this == LOCKSTEP;
    }

    /**
     * A setting of the {@code measure} section: what is measured and kept of a trained point,
     * never how it trains (measuring along training reads the parameters and changes nothing).
     */
    public boolean isMeasurement() {
        return "measure".equals(section);
    }

    /**
     * Whether the setting changes the trained point, and so enters its id: all but the data path
     * (where the files are), how the training is spread ({@link #isExecution}) and the measure settings (measuring is not training: a spec that
     * only measures differently names the same points, and {@code sharpsweep measure} adds the
     * new measurements to them from their saved parameters).
     */
    public boolean inPointId() {
        return this != PATH && !isMeasurement() && !isExecution();
    }

    /**
     * The setting this one is resolved from when the point runs, where that one is given (not
     * null): {@code lr} is {@code lr_in_2_over_lambda0} x 2/lambda_0, so a row's {@code lr} is the
     * learning rate it resolved to, not the spec's placeholder, and is no grid axis of its own.
     * Null for every other setting.
     */
    public Setting resolvedFrom() {
        return this == LR ? LR_IN_2_OVER_LAMBDA0 : null;
    }

    public static Setting byShortName(String name) {
        values();
        return byShortNameOrNull(name);
    }

    private static Setting byShortNameOrNull(String name) {
        for (Setting s : REGISTRY) {
            if (s.shortName.equals(name)) return s;
        }
        return null;
    }

    /** Names valid as grid axes, for error messages. */
    public static String axisNames() {
        return Arrays.stream(values()).filter(Setting::isAxis).map(s -> s.shortName)
                .collect(Collectors.joining(", ")) + ", seed";
    }

    /**
     * Converts a YAML value to this setting's Java type. Numbers are read exactly as written
     * (wide), so a value outside the type's range is refused as the user wrote it
     * ({@code 4294967297}, {@code 1e10}), never wrapped; NaN and infinities are refused; a
     * value of {@code -0.0} becomes {@code 0.0}. Integer settings whose 0 would be a silent
     * alias ({@link #minimum()}) are refused below their minimum here.
     *
     * @param where what to name in an error, e.g. {@code train.lr} or {@code grid.lr[2]}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object parse(SpecYaml.Node node, String where) {
        if (node == null || node.kind() == SpecYaml.Kind.NULL) {
            throw new SpecException(where + " must not be empty" + (node == null ? "" : node.at()));
        }
        if (type == Integer.class) return integer(node, where, minimum(), "");
        if (type == Double.class) {
            double x = finite(node, where);
            return x + 0.0;
        }
        if (type == Boolean.class) {
            if (node.kind() == SpecYaml.Kind.BOOL) return Boolean.parseBoolean(normalBool(node.text()));
            throw new SpecException(where + " must be true or false, got " + node.show() + node.at());
        }
        if (type == String.class) {
            if (node.kind() == SpecYaml.Kind.STRING) return node.text();
            // a point id of hex digits may read as a number (1234567890123456, 12e4...): the text as written
            if (this == FROM_POINT && (node.kind() == SpecYaml.Kind.INT || node.kind() == SpecYaml.Kind.FLOAT)) return node.text();
            throw new SpecException(where + " must be a string, got " + node.show() + node.at());
        }
        if (type == List.class) {
            if (!node.isList()) throw new SpecException(where + " must be a list of class indices, got " + node.show() + node.at());
            List<Integer> out = new ArrayList<>();
            int i = 0;
            for (SpecYaml.Node e : node.list()) out.add(integer(e, where + "[" + i++ + "]", 0, " (a class index)"));
            return List.copyOf(out);
        }
        // YAML 1.1 reads a bare off / on / yes / no as a boolean; a value of that spelling is meant (train.lockstep: off)
        boolean named = node.kind() == SpecYaml.Kind.STRING || (node.kind() == SpecYaml.Kind.BOOL
                && Arrays.stream(type.getEnumConstants()).anyMatch(c -> ((Named) c).specName().equals(node.text())));
        if (!named) {
            throw new SpecException(where + " must be one of " + Named.names((Class) type) + ", got " + node.show() + node.at());
        }
        try {
            return Named.parse((Class) type, where, node.text());
        } catch (SpecException e) {
            throw new SpecException(e.getMessage() + node.at());
        }
    }

    /**
     * The smallest value a spec may write for an integer setting, where the range check alone
     * would accept a smaller one that means something else: {@code batch_size: 0} and
     * {@code epochs: 0} are internal markers ("full batch", "count steps") that a user writes by
     * leaving the key out, so writing them is an error. {@link Integer#MIN_VALUE} where the range
     * check decides.
     */
    int minimum() {
        return this == BATCH_SIZE || this == EPOCHS ? 1 : Integer.MIN_VALUE;
    }

    /** An int read wide: an integral number within [min, 2^31-1], else an error naming the text as written. */
    static int integer(SpecYaml.Node node, String where, int min, String what) {
        BigDecimal d = node.decimal();
        String range = min == Integer.MIN_VALUE ? "" : " >= " + min;
        if (d == null) {
            boolean octal = node.kind() == SpecYaml.Kind.INT && node.text().replaceFirst("^[-+]", "").matches("0[0-9_]+");
            throw new SpecException(where + " must be an integer" + what + range + ", got " + node.show() + node.at()
                    + (octal ? ": YAML reads a leading 0 as octal; write the number without it" : ""));
        }
        boolean integral = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
        if (!integral) throw new SpecException(where + " must be an integer" + what + range + ", got " + node.show() + node.at());
        if (d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new SpecException(where + " must be an integer" + what + " at most " + Integer.MAX_VALUE + ", got "
                    + node.show() + node.at());
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw new SpecException(where + " must be an integer" + what + " >= " + min + ", got " + node.show() + node.at()
                    + (min == 1 && d.signum() == 0 ? zeroHint(where) : ""));
        }
        return d.intValueExact();
    }

    private static String zeroHint(String where) {
        if (where.contains("batch_size")) return ": full batch is batch_size = n_train, or leave batch_size out";
        if (where.contains("epochs")) return ": give train.steps: 0 for no training, or leave epochs out to count steps";
        return "";
    }

    /** A finite double, else an error naming the text as written. */
    static double finite(SpecYaml.Node node, String where) {
        if (!node.isNumber()) {
            String t = node.text().trim().toLowerCase(Locale.ROOT);
            if (t.equals("nan") || t.equals("inf") || t.equals("-inf") || t.equals("infinity")) {
                throw new SpecException(where + " must be a finite number, got " + node.show() + node.at()
                        + ": NaN and infinite values are not allowed");
            }
            throw new SpecException(where + " must be a number, got " + node.show() + node.at());
        }
        BigDecimal d = node.decimal();
        if (d == null && node.kind() == SpecYaml.Kind.INT) {
            throw new SpecException(where + " must be a number, got " + node.show() + node.at()
                    + ": YAML reads a leading 0 as octal; write the number without it");
        }
        double x = d == null ? Double.NaN : d.doubleValue();
        if (!Double.isFinite(x)) {
            throw new SpecException(where + " must be a finite number, got " + node.text() + node.at()
                    + ": NaN and infinite values are not allowed");
        }
        return x;
    }

    private static String normalBool(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.equals("yes") || t.equals("on") || t.equals("y") ? "true" : t;
    }

    /** The value as a YAML/JSON scalar: enum constants by spec name, class lists as lists. */
    public Object toPlain(Object value) {
        return value instanceof Named n ? n.specName() : value;
    }

    /** The value as written into a point id and a results-table cell. */
    public Object toColumn(Object value) {
        if (value instanceof Named n) return n.specName();
        if (value instanceof List<?> l) {
            return l.isEmpty() ? null : l.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value;
    }

    /** Column type of {@link #toColumn}: INT, DOUBLE, BOOLEAN or STRING. */
    public ResultSchema.Type columnType() {
        if (type == Integer.class) return ResultSchema.Type.INT;
        if (type == Double.class) return ResultSchema.Type.DOUBLE;
        if (type == Boolean.class) return ResultSchema.Type.BOOLEAN;
        return ResultSchema.Type.STRING;
    }

    /** The settings of the cnn family alone: they do not apply to an mlp ({@link #appliesTo}). */
    public boolean isConvSetting() {
        return this == CONV_BLOCKS || this == CHANNELS || this == KERNEL || this == POOL;
    }
}
