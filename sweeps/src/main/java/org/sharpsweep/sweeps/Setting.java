package org.sharpsweep.sweeps;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every scalar setting of a point, with the YAML section and key it is written under and the
 * short name it has as a grid axis and as a results-table column. One registry drives parsing,
 * grid overrides, point ids and the parameter columns, so they cannot disagree.
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

    public static final Setting DATASET = new Setting("DATASET", "data", "dataset", "dataset", Dataset.class, false, null, null);
    public static final Setting TARGET = new Setting("TARGET", "data", "target", "target", Target.class, false, null, null);
    public static final Setting INPUT_DIM = new Setting("INPUT_DIM", "data", "input_dim", "input_dim", Integer.class, false, null, null);
    public static final Setting PATH = new Setting("PATH", "data", "path", "data_path", String.class, false, null, null);
    public static final Setting N_TRAIN = new Setting("N_TRAIN", "data", "n_train", "n_train", Integer.class, false, null, null);
    public static final Setting N_TEST = new Setting("N_TEST", "data", "n_test", "n_test", Integer.class, false, null, null);
    public static final Setting CLASSES = new Setting("CLASSES", "data", "classes", "classes", List.class, false, null, null);
    public static final Setting LABEL_NOISE = new Setting("LABEL_NOISE", "data", "label_noise", "label_noise", Double.class, false, null, null);
    public static final Setting INPUT_SCALE = new Setting("INPUT_SCALE", "data", "scale", "input_scale", InputScale.class, false, null, null);
    public static final Setting DEPTH = new Setting("DEPTH", "model", "depth", "depth", Integer.class, false, null, null);
    public static final Setting WIDTH = new Setting("WIDTH", "model", "width", "width", Integer.class, false, null, null);
    public static final Setting ACTIVATION = new Setting("ACTIVATION", "model", "activation", "activation", Activation.class, false, null, null);
    public static final Setting INIT = new Setting("INIT", "model", "init", "init", Init.class, false, null, null);
    public static final Setting FAMILY = new Setting("FAMILY", "model", "family", "family", Family.class, true, null, null);
    public static final Setting CONV_BLOCKS = new Setting("CONV_BLOCKS", "model", "conv_blocks", "conv_blocks", Integer.class, true, null, null);
    public static final Setting CHANNELS = new Setting("CHANNELS", "model", "channels", "channels", Integer.class, true, null, null);
    public static final Setting KERNEL = new Setting("KERNEL", "model", "kernel", "kernel", Integer.class, true, null, null);
    public static final Setting POOL = new Setting("POOL", "model", "pool", "pool", Pool.class, true, null, null);
    public static final Setting LOSS = new Setting("LOSS", null, "loss", "loss", Loss.class, false, null, null);
    public static final Setting STEPS = new Setting("STEPS", "train", "steps", "steps", Integer.class, false, null, null);
    public static final Setting EPOCHS = new Setting("EPOCHS", "train", "epochs", "epochs", Integer.class, false, null, null);
    public static final Setting LR = new Setting("LR", "train", "lr", "lr", Double.class, false, null, null);
    public static final Setting BATCH_SIZE = new Setting("BATCH_SIZE", "train", "batch_size", "batch_size", Integer.class, false, null, null);
    public static final Setting MOMENTUM = new Setting("MOMENTUM", "train", "momentum", "momentum", Double.class, false, null, null);
    public static final Setting DIVERGENCE_LOSS = new Setting("DIVERGENCE_LOSS", "train", "divergence_loss", "divergence_loss", Double.class, false, null, null);
    public static final Setting DTYPE = new Setting("DTYPE", "train", "dtype", "dtype", DType.class, true, null, null);
    public static final Setting FROM_SWEEP = new Setting("FROM_SWEEP", "train", "from_sweep", "from_sweep", String.class, true, null, null);
    public static final Setting FROM_POINT = new Setting("FROM_POINT", "train", "from_point", "from_point", String.class, true, null, null);
    public static final Setting PARALLEL = new Setting("PARALLEL", "train", "parallel", "parallel", Parallel.class, true, null, null);
    public static final Setting WORKERS = new Setting("WORKERS", "train", "workers", "workers", Integer.class, true, null, null);
    public static final Setting LOCKSTEP = new Setting("LOCKSTEP", "train", "lockstep", "lockstep_mode", Lockstep.class, true, null, null);
    public static final Setting PENALTY = new Setting("PENALTY", "penalty", "kind", "penalty", PenaltyKind.class, false, null, null);
    public static final Setting PENALTY_COEF = new Setting("PENALTY_COEF", "penalty", "coef", "penalty_coef", Double.class, false, null, null);
    public static final Setting PENALTY_MICROBATCH = new Setting("PENALTY_MICROBATCH", "penalty", "microbatch", "penalty_microbatch", Integer.class, true, null, null);
    public static final Setting PENALTY_SCALE_WITH_LR = new Setting("PENALTY_SCALE_WITH_LR", "penalty", "scale_with_lr", "penalty_scale_with_lr", Boolean.class, true, null, null);

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
    /** A measure setting's default (the others' come from the records built of {@link Defaults}). */
    private final transient Object declaredDefault;
    /** A measure setting's range check, or null. */
    private final transient Check check;

    /** A range check of one value: null when it is fine, else what it must be (e.g. {@code must be >= 1}). */
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

    /** Every setting, in declaration order (the measures' own settings last). */
    public static Setting[] values() {
        org.sharpsweep.sweeps.measure.Measures.all(); // the measures register their settings when first loaded
        return REGISTRY.toArray(new Setting[0]);
    }

    /** A measure setting's declared default; null for the others. */
    Object declaredDefault() {
        return declaredDefault;
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
        return p == null ? null : path() + " " + p + ", got " + value;
    }

    /** Whether {@code value} is this setting's default and the setting is {@link #omittedAtDefault} there. */
    public boolean omitted(Object value) {
        return omittedAtDefault && java.util.Objects.equals(value, DefaultsHolder.DEFAULTS.get(this));
    }

    /**
     * Whether {@code value} is this setting's documented default for point {@code p}, the rule of
     * {@link PointIds}: {@link Defaults}, except {@code batch_size}, whose default is full batch
     * (n_train of the point, which {@link PointSpec} has already put in).
     */
    public boolean isDefault(Object value, PointSpec p) {
        if (this == BATCH_SIZE) return value instanceof Integer b && (b == 0 || b == p.data().nTrain());
        return java.util.Objects.equals(value, DefaultsHolder.DEFAULTS.get(this));
    }

    /** The documented default ({@link Defaults}) of this setting. */
    public Object defaultValue() {
        return DefaultsHolder.DEFAULTS.get(this);
    }

    /** {@code section.key} as a user writes it in a spec, e.g. {@code train.lr}. */
    public String path() {
        return section == null ? key : section + "." + key;
    }

    /**
     * Whether the setting means anything for this point: {@code target} and {@code input_dim}
     * describe the teacher data set only (a file data set's inputs are what the files hold), and
     * {@code label_noise} and {@code input_scale} the image data sets only ({@link DataSpec}
     * rejects them for teacher); {@code conv_blocks}, {@code channels}, {@code kernel} and
     * {@code pool} describe the cnn family only ({@link PointSpec} resets them to their defaults
     * for an mlp). The results table leaves a setting that does not apply null.
     */
    public boolean appliesTo(PointSpec p) {
        if (appliesToEveryPoint()) return true;
        if (this == TARGET || this == INPUT_DIM) return p.data().dataset() == Dataset.TEACHER;
        if (this == LABEL_NOISE || this == INPUT_SCALE) return p.data().dataset() != Dataset.TEACHER;
        return p.model().family() == Family.CNN; // the conv settings
    }

    /** Whether {@link #appliesTo} is true for every point (the setting's column is never null for not applying). */
    public boolean appliesToEveryPoint() {
        return this != TARGET && this != INPUT_DIM && this != LABEL_NOISE && this != INPUT_SCALE && !isConvSetting();
    }

    /**
     * The value a results row written before this setting existed stands for: the default, for
     * a setting added later ({@link #omittedAtDefault}: its default is what every earlier point
     * did, which is why specs and point ids leave it out there) that applies to every point and
     * has one; else null (the row's null is the truth).
     */
    public Object defaultForOlderRows() {
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
        return this == DEPTH || this == WIDTH || this == ACTIVATION || this == INIT || this == LR || this == MOMENTUM
                || this == DIVERGENCE_LOSS || this == DTYPE || this == N_TEST;
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
     * The smallest value a spec may write for an integer setting, where the record alone would
     * accept a smaller one that means something else: {@code batch_size: 0} and {@code epochs: 0}
     * are internal markers ("full batch", "count steps") that a user writes by leaving the key
     * out, so writing them is an error. {@link Integer#MIN_VALUE} where the record decides.
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

    /** Flattens the record tree into one value per setting. */
    public static TreeMap<Setting, Object> flatten(DataSpec d, ModelSpec m, Loss loss, TrainSpec t, PenaltySpec p,
                                                  MeasureSpec ms) {
        TreeMap<Setting, Object> v = new TreeMap<>();
        v.put(DATASET, d.dataset());
        v.put(TARGET, d.target());
        v.put(INPUT_DIM, d.inputDim());
        v.put(PATH, d.path());
        v.put(N_TRAIN, d.nTrain());
        v.put(N_TEST, d.nTest());
        v.put(CLASSES, d.classes());
        v.put(LABEL_NOISE, d.labelNoise());
        v.put(INPUT_SCALE, d.scale());
        v.put(DEPTH, m.depth());
        v.put(WIDTH, m.width());
        v.put(ACTIVATION, m.activation());
        v.put(INIT, m.init());
        v.put(FAMILY, m.family());
        v.put(CONV_BLOCKS, m.convBlocks());
        v.put(CHANNELS, m.channels());
        v.put(KERNEL, m.kernel());
        v.put(POOL, m.pool());
        v.put(LOSS, loss);
        v.put(STEPS, t.steps());
        v.put(EPOCHS, t.epochs());
        v.put(LR, t.lr());
        v.put(BATCH_SIZE, t.batchSize());
        v.put(MOMENTUM, t.momentum());
        v.put(DIVERGENCE_LOSS, t.divergenceLoss());
        v.put(DTYPE, t.dtype());
        v.put(FROM_SWEEP, t.fromSweep());
        v.put(FROM_POINT, t.fromPoint());
        v.put(PARALLEL, t.parallel());
        v.put(WORKERS, t.workers());
        v.put(LOCKSTEP, t.lockstep());
        v.put(PENALTY, p.kind());
        v.put(PENALTY_COEF, p.coef());
        v.put(PENALTY_MICROBATCH, p.microbatch());
        v.put(PENALTY_SCALE_WITH_LR, p.scaleWithLr());
        v.putAll(ms.values());
        return v;
    }

    public static TreeMap<Setting, Object> flatten(PointSpec p) {
        return flatten(p.data(), p.model(), p.loss(), p.train(), p.penalty(), p.measure());
    }

    @SuppressWarnings("unchecked")
    static DataSpec data(Map<Setting, Object> v) {
        return new DataSpec((Dataset) v.get(DATASET), (Target) v.get(TARGET), (Integer) v.get(INPUT_DIM),
                (String) v.get(PATH), (Integer) v.get(N_TRAIN), (Integer) v.get(N_TEST),
                (List<Integer>) v.get(CLASSES), (Double) v.get(LABEL_NOISE), (InputScale) v.get(INPUT_SCALE));
    }

    static ModelSpec model(Map<Setting, Object> v) {
        return new ModelSpec((Integer) v.get(DEPTH), (Integer) v.get(WIDTH), (Activation) v.get(ACTIVATION),
                (Init) v.get(INIT), (Family) v.get(FAMILY), (Integer) v.get(CONV_BLOCKS), (Integer) v.get(CHANNELS),
                (Integer) v.get(KERNEL), (Pool) v.get(POOL));
    }

    static TrainSpec train(Map<Setting, Object> v) {
        return new TrainSpec((Integer) v.get(STEPS), (Double) v.get(LR), (Integer) v.get(BATCH_SIZE),
                (Double) v.get(MOMENTUM), (Double) v.get(DIVERGENCE_LOSS), (Integer) v.get(EPOCHS), (DType) v.get(DTYPE),
                (String) v.get(FROM_SWEEP), (String) v.get(FROM_POINT), (Parallel) v.get(PARALLEL), (Integer) v.get(WORKERS),
                (Lockstep) v.get(LOCKSTEP));
    }

    static PenaltySpec penalty(Map<Setting, Object> v) {
        return new PenaltySpec((PenaltyKind) v.get(PENALTY), (Double) v.get(PENALTY_COEF), (Integer) v.get(PENALTY_MICROBATCH),
                (Boolean) v.get(PENALTY_SCALE_WITH_LR));
    }

    static MeasureSpec measure(Map<Setting, Object> v) {
        return MeasureSpec.of(v);
    }

    /** The settings of the cnn family alone: they do not apply to an mlp ({@link #appliesTo}). */
    public boolean isConvSetting() {
        return this == CONV_BLOCKS || this == CHANNELS || this == KERNEL || this == POOL;
    }

    /** Builds and cross-checks a point from one value per setting. */
    public static PointSpec point(Map<Setting, Object> v) {
        return new PointSpec(data(v), model(v), (Loss) v.get(LOSS), train(v), penalty(v), measure(v));
    }

    /** The defaults, built on first use (the measures' settings must have registered first). */
    private static final class DefaultsHolder {
        static final Map<Setting, Object> DEFAULTS = java.util.Collections.unmodifiableMap(defaults());
    }

    /** The default of every setting, from {@link Defaults}. */
    public static TreeMap<Setting, Object> defaults() {
        return flatten(
                new DataSpec(Defaults.DATASET, Defaults.TARGET, Defaults.INPUT_DIM, Defaults.PATH, Defaults.N_TRAIN,
                        Defaults.N_TEST, Defaults.CLASSES, Defaults.LABEL_NOISE, Defaults.INPUT_SCALE),
                new ModelSpec(Defaults.DEPTH, Defaults.WIDTH, Defaults.ACTIVATION, Defaults.INIT, Defaults.FAMILY,
                        Defaults.CONV_BLOCKS, Defaults.CHANNELS, Defaults.KERNEL, Defaults.POOL),
                Defaults.LOSS,
                new TrainSpec(Defaults.STEPS, Defaults.LR, Defaults.BATCH_SIZE, Defaults.MOMENTUM, Defaults.DIVERGENCE_LOSS,
                        Defaults.EPOCHS, Defaults.DTYPE, Defaults.FROM_SWEEP, Defaults.FROM_POINT, Defaults.PARALLEL,
                        Defaults.WORKERS, Defaults.LOCKSTEP),
                new PenaltySpec(Defaults.PENALTY, Defaults.PENALTY_COEF, Defaults.PENALTY_MICROBATCH, Defaults.PENALTY_SCALE_WITH_LR),
                MeasureSpec.defaults());
    }
}
