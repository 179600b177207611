package org.sharpsweep.sweeps;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every scalar setting of a point, with the YAML section and key it is written under and the
 * short name it has as a grid axis and as a results-table column. One table drives parsing,
 * grid overrides, point ids and the parameter columns, so they cannot disagree.
 */
public enum Setting {
    DATASET("data", "dataset", "dataset", Dataset.class),
    TARGET("data", "target", "target", Target.class),
    INPUT_DIM("data", "input_dim", "input_dim", Integer.class),
    PATH("data", "path", "data_path", String.class),
    N_TRAIN("data", "n_train", "n_train", Integer.class),
    N_TEST("data", "n_test", "n_test", Integer.class),
    CLASSES("data", "classes", "classes", List.class),
    LABEL_NOISE("data", "label_noise", "label_noise", Double.class),
    INPUT_SCALE("data", "scale", "input_scale", InputScale.class),
    DEPTH("model", "depth", "depth", Integer.class),
    WIDTH("model", "width", "width", Integer.class),
    ACTIVATION("model", "activation", "activation", Activation.class),
    INIT("model", "init", "init", Init.class),
    FAMILY("model", "family", "family", Family.class, true),
    CONV_BLOCKS("model", "conv_blocks", "conv_blocks", Integer.class, true),
    CHANNELS("model", "channels", "channels", Integer.class, true),
    KERNEL("model", "kernel", "kernel", Integer.class, true),
    POOL("model", "pool", "pool", Pool.class, true),
    LOSS(null, "loss", "loss", Loss.class),
    STEPS("train", "steps", "steps", Integer.class),
    EPOCHS("train", "epochs", "epochs", Integer.class),
    LR("train", "lr", "lr", Double.class),
    BATCH_SIZE("train", "batch_size", "batch_size", Integer.class),
    MOMENTUM("train", "momentum", "momentum", Double.class),
    DIVERGENCE_LOSS("train", "divergence_loss", "divergence_loss", Double.class),
    DTYPE("train", "dtype", "dtype", DType.class, true),
    FROM_SWEEP("train", "from_sweep", "from_sweep", String.class, true),
    FROM_POINT("train", "from_point", "from_point", String.class, true),
    PARALLEL("train", "parallel", "parallel", Parallel.class, true),
    WORKERS("train", "workers", "workers", Integer.class, true),
    LOCKSTEP("train", "lockstep", "lockstep_mode", Lockstep.class, true),
    PENALTY("penalty", "kind", "penalty", PenaltyKind.class),
    PENALTY_COEF("penalty", "coef", "penalty_coef", Double.class),
    PENALTY_MICROBATCH("penalty", "microbatch", "penalty_microbatch", Integer.class, true),
    PENALTY_SCALE_WITH_LR("penalty", "scale_with_lr", "penalty_scale_with_lr", Boolean.class, true),
    MEASURE_SHARPNESS("measure", "sharpness", "measure_sharpness", Boolean.class),
    MEASURE_NONUNIFORMITY("measure", "nonuniformity", "measure_nonuniformity", Boolean.class),
    TOL("measure", "tol", "tol", Double.class),
    MAX_ITERS("measure", "max_iters", "max_iters", Integer.class),
    NONUNIFORMITY_SAMPLES("measure", "nonuniformity_samples", "nonuniformity_samples", Integer.class),
    MEASURE_EVERY("measure", "every", "measure_every", Integer.class, true),
    MEASURE_WINDOW("measure", "window", "measure_window", Integer.class, true),
    MEASURE_TRACE("measure", "trace", "measure_trace", Boolean.class, true),
    TRACE_TOL("measure", "trace_tol", "trace_tol", Double.class, true),
    TOP_K("measure", "top_k", "top_k", Integer.class, true),
    MEASURE_DENSITY("measure", "density", "measure_density", Boolean.class, true),
    SAVE_PARAMS("measure", "save_params", "save_params", Boolean.class, true);

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

    Setting(String section, String key, String shortName, Class<?> type) {
        this(section, key, shortName, type, false);
    }

    Setting(String section, String key, String shortName, Class<?> type, boolean omittedAtDefault) {
        this.section = section;
        this.key = key;
        this.shortName = shortName;
        this.type = type;
        this.omittedAtDefault = omittedAtDefault;
    }

    /** Whether {@code value} is this setting's default and the setting is {@link #omittedAtDefault} there. */
    public boolean omitted(Object value) {
        return omittedAtDefault && java.util.Objects.equals(value, DEFAULTS.get(this));
    }

    /**
     * Whether {@code value} is this setting's documented default for point {@code p}, the rule of
     * {@link PointIds}: {@link Defaults}, except {@code batch_size}, whose default is full batch
     * (n_train of the point, which {@link PointSpec} has already put in).
     */
    public boolean isDefault(Object value, PointSpec p) {
        if (this == BATCH_SIZE) return value instanceof Integer b && (b == 0 || b == p.data().nTrain());
        return java.util.Objects.equals(value, DEFAULTS.get(this));
    }

    /** The documented default ({@link Defaults}) of this setting. */
    public Object defaultValue() {
        return DEFAULTS.get(this);
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
        return switch (this) {
            case TARGET, INPUT_DIM -> p.data().dataset() == Dataset.TEACHER;
            case LABEL_NOISE, INPUT_SCALE -> p.data().dataset() != Dataset.TEACHER;
            case CONV_BLOCKS, CHANNELS, KERNEL, POOL -> p.model().family() == Family.CNN;
            default -> true;
        };
    }

    /** Whether {@link #appliesTo} is true for every point (the setting's column is never null for not applying). */
    public boolean appliesToEveryPoint() {
        return switch (this) {
            case TARGET, INPUT_DIM, LABEL_NOISE, INPUT_SCALE, CONV_BLOCKS, CHANNELS, KERNEL, POOL -> false;
            default -> true;
        };
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
        return switch (this) {
            case DEPTH, WIDTH, ACTIVATION, INIT, LR, MOMENTUM, DIVERGENCE_LOSS, DTYPE, N_TEST, TOL, MAX_ITERS,
                 MEASURE_SHARPNESS, MEASURE_NONUNIFORMITY, MEASURE_TRACE, TRACE_TOL, TOP_K, MEASURE_DENSITY, SAVE_PARAMS -> true;
            default -> false;
        };
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
        for (Setting s : values()) {
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
        return switch (this) {
            case BATCH_SIZE, EPOCHS -> 1;
            default -> Integer.MIN_VALUE;
        };
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
    public static EnumMap<Setting, Object> flatten(DataSpec d, ModelSpec m, Loss loss, TrainSpec t, PenaltySpec p,
                                                  MeasureSpec ms) {
        EnumMap<Setting, Object> v = new EnumMap<>(Setting.class);
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
        v.put(MEASURE_SHARPNESS, ms.sharpness());
        v.put(MEASURE_NONUNIFORMITY, ms.nonuniformity());
        v.put(TOL, ms.tol());
        v.put(MAX_ITERS, ms.maxIters());
        v.put(NONUNIFORMITY_SAMPLES, ms.nonuniformitySamples());
        v.put(MEASURE_EVERY, ms.every());
        v.put(MEASURE_WINDOW, ms.window());
        v.put(MEASURE_TRACE, ms.trace());
        v.put(TRACE_TOL, ms.traceTol());
        v.put(TOP_K, ms.topK());
        v.put(MEASURE_DENSITY, ms.density());
        v.put(SAVE_PARAMS, ms.saveParams());
        return v;
    }

    public static EnumMap<Setting, Object> flatten(PointSpec p) {
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
        return new MeasureSpec((Boolean) v.get(MEASURE_SHARPNESS), (Boolean) v.get(MEASURE_NONUNIFORMITY),
                (Double) v.get(TOL), (Integer) v.get(MAX_ITERS), (Integer) v.get(NONUNIFORMITY_SAMPLES),
                (Integer) v.get(MEASURE_EVERY), (Integer) v.get(MEASURE_WINDOW), (Boolean) v.get(MEASURE_TRACE),
                (Double) v.get(TRACE_TOL), (Integer) v.get(TOP_K), (Boolean) v.get(MEASURE_DENSITY),
                (Boolean) v.get(SAVE_PARAMS));
    }

    /** The settings of the cnn family alone: they do not apply to an mlp ({@link #appliesTo}). */
    public boolean isConvSetting() {
        return this == CONV_BLOCKS || this == CHANNELS || this == KERNEL || this == POOL;
    }

    /** Builds and cross-checks a point from one value per setting. */
    public static PointSpec point(Map<Setting, Object> v) {
        return new PointSpec(data(v), model(v), (Loss) v.get(LOSS), train(v), penalty(v), measure(v));
    }

    private static final Map<Setting, Object> DEFAULTS = java.util.Collections.unmodifiableMap(defaults());

    /** The default of every setting, from {@link Defaults}. */
    public static EnumMap<Setting, Object> defaults() {
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
                new MeasureSpec(Defaults.SHARPNESS, Defaults.NONUNIFORMITY, Defaults.TOL, Defaults.MAX_ITERS,
                        Defaults.NONUNIFORMITY_SAMPLES, Defaults.EVERY, Defaults.WINDOW, Defaults.TRACE, Defaults.TRACE_TOL,
                        Defaults.TOP_K, Defaults.DENSITY, Defaults.SAVE_PARAMS));
    }
}
