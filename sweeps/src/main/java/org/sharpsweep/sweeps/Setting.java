package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

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
    LOSS(null, "loss", "loss", Loss.class),
    STEPS("train", "steps", "steps", Integer.class),
    EPOCHS("train", "epochs", "epochs", Integer.class),
    LR("train", "lr", "lr", Double.class),
    BATCH_SIZE("train", "batch_size", "batch_size", Integer.class),
    MOMENTUM("train", "momentum", "momentum", Double.class),
    DIVERGENCE_LOSS("train", "divergence_loss", "divergence_loss", Double.class),
    DTYPE("train", "dtype", "dtype", DType.class, true),
    PENALTY("penalty", "kind", "penalty", PenaltyKind.class),
    PENALTY_COEF("penalty", "coef", "penalty_coef", Double.class),
    MEASURE_SHARPNESS("measure", "sharpness", "measure_sharpness", Boolean.class),
    MEASURE_NONUNIFORMITY("measure", "nonuniformity", "measure_nonuniformity", Boolean.class),
    TOL("measure", "tol", "tol", Double.class),
    MAX_ITERS("measure", "max_iters", "max_iters", Integer.class),
    NONUNIFORMITY_SAMPLES("measure", "nonuniformity_samples", "nonuniformity_samples", Integer.class);

    /** YAML section ({@code data}, {@code model}, ...), or null for a top-level key. */
    public final String section;
    /** Key inside the section. */
    public final String key;
    /** Name as a grid axis and as a results-table column. */
    public final String shortName;
    /** Java type of the value: Integer, Double, Boolean, String, List (of Integer), or a {@link Named} enum. */
    public final Class<?> type;
    /**
     * Whether the point id and the spec's YAML leave this setting out while it is at its default
     * ({@link #defaults()}). Identity is a contract (DESIGN.md section 6): point ids hash every
     * setting that existed when ids were first pinned, so a setting added since then must
     * declare {@code true} here, or every existing point would get a new id and seed. Every
     * setting added from {@code train.dtype} on does; {@code PointIdPinTest} holds the old ids.
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

    /** {@code section.key} as a user writes it in a spec, e.g. {@code train.lr}. */
    public String path() {
        return section == null ? key : section + "." + key;
    }

    /**
     * Whether the setting means anything for this point: {@code target} and {@code input_dim}
     * describe the teacher data set only (a file data set's inputs are what the files hold), and
     * {@code label_noise} and {@code input_scale} the image data sets only ({@link DataSpec}
     * rejects them for teacher). The results table leaves a setting that does not apply null.
     */
    public boolean appliesTo(PointSpec p) {
        return switch (this) {
            case TARGET, INPUT_DIM -> p.data().dataset() == Dataset.TEACHER;
            case LABEL_NOISE, INPUT_SCALE -> p.data().dataset() != Dataset.TEACHER;
            default -> true;
        };
    }

    /** Settings that can be grid axes: every scalar except the data path and the class list. */
    public boolean isAxis() {
        return this != PATH && this != CLASSES;
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
     * Converts a YAML value to this setting's Java type.
     *
     * @param where what to name in an error, e.g. {@code train.lr} or {@code grid.lr[2]}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object parse(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            if (this == PATH) return null;
            throw new SpecException(where + " must not be empty");
        }
        if (type == Integer.class) {
            if (node.isIntegralNumber() && node.canConvertToInt()) return node.intValue();
            if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                    && Math.abs(node.doubleValue()) < Integer.MAX_VALUE) {
                return (int) node.doubleValue();
            }
            throw new SpecException(where + " must be an integer, got " + show(node));
        }
        if (type == Double.class) {
            if (node.isNumber()) return node.doubleValue();
            if (node.isTextual()) {
                String t = node.textValue().trim().toLowerCase(Locale.ROOT);
                if (t.equals(".nan") || t.equals("nan")) throw new SpecException(where + " must be a number, got NaN");
            }
            throw new SpecException(where + " must be a number, got " + show(node));
        }
        if (type == Boolean.class) {
            if (node.isBoolean()) return node.booleanValue();
            throw new SpecException(where + " must be true or false, got " + show(node));
        }
        if (type == String.class) {
            if (node.isTextual()) return node.textValue();
            throw new SpecException(where + " must be a string, got " + show(node));
        }
        if (type == List.class) {
            if (!node.isArray()) throw new SpecException(where + " must be a list of class indices, got " + show(node));
            List<Integer> out = new ArrayList<>();
            for (JsonNode e : node) {
                if (!e.isIntegralNumber()) throw new SpecException(where + " entries must be integers, got " + show(e));
                out.add(e.intValue());
            }
            return List.copyOf(out);
        }
        if (!node.isTextual()) throw new SpecException(where + " must be a name, got " + show(node));
        return Named.parse((Class) type, where, node.textValue());
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

    private static String show(JsonNode node) {
        return node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
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
        v.put(LOSS, loss);
        v.put(STEPS, t.steps());
        v.put(EPOCHS, t.epochs());
        v.put(LR, t.lr());
        v.put(BATCH_SIZE, t.batchSize());
        v.put(MOMENTUM, t.momentum());
        v.put(DIVERGENCE_LOSS, t.divergenceLoss());
        v.put(DTYPE, t.dtype());
        v.put(PENALTY, p.kind());
        v.put(PENALTY_COEF, p.coef());
        v.put(MEASURE_SHARPNESS, ms.sharpness());
        v.put(MEASURE_NONUNIFORMITY, ms.nonuniformity());
        v.put(TOL, ms.tol());
        v.put(MAX_ITERS, ms.maxIters());
        v.put(NONUNIFORMITY_SAMPLES, ms.nonuniformitySamples());
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
                (Init) v.get(INIT));
    }

    static TrainSpec train(Map<Setting, Object> v) {
        return new TrainSpec((Integer) v.get(STEPS), (Double) v.get(LR), (Integer) v.get(BATCH_SIZE),
                (Double) v.get(MOMENTUM), (Double) v.get(DIVERGENCE_LOSS), (Integer) v.get(EPOCHS), (DType) v.get(DTYPE));
    }

    static PenaltySpec penalty(Map<Setting, Object> v) {
        return new PenaltySpec((PenaltyKind) v.get(PENALTY), (Double) v.get(PENALTY_COEF));
    }

    static MeasureSpec measure(Map<Setting, Object> v) {
        return new MeasureSpec((Boolean) v.get(MEASURE_SHARPNESS), (Boolean) v.get(MEASURE_NONUNIFORMITY),
                (Double) v.get(TOL), (Integer) v.get(MAX_ITERS), (Integer) v.get(NONUNIFORMITY_SAMPLES));
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
                new ModelSpec(Defaults.DEPTH, Defaults.WIDTH, Defaults.ACTIVATION, Defaults.INIT),
                Defaults.LOSS,
                new TrainSpec(Defaults.STEPS, Defaults.LR, Defaults.BATCH_SIZE, Defaults.MOMENTUM, Defaults.DIVERGENCE_LOSS,
                        Defaults.EPOCHS, Defaults.DTYPE),
                new PenaltySpec(Defaults.PENALTY, Defaults.PENALTY_COEF),
                new MeasureSpec(Defaults.SHARPNESS, Defaults.NONUNIFORMITY, Defaults.TOL, Defaults.MAX_ITERS,
                        Defaults.NONUNIFORMITY_SAMPLES));
    }
}
