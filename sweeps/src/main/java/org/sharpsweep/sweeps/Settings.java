package org.sharpsweep.sweeps;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value of every setting of the registry ({@link Setting#values()}): the one form a point's
 * settings take (docs/architecture.md). The parser fills one from the YAML, a grid point is the
 * sweep's with its axis values put in ({@link #with}), and {@link PointSpec#of} resolves and
 * cross-checks one into a point; {@link #data()}, {@link #model()}, {@link #train()},
 * {@link #penalty()} and {@link #measure()} read it by section with typed accessors.
 *
 * <p>Immutable and serializable. Each value is checked when it is put in: its type, and the
 * range check its setting declares ({@link Setting#problem}); a check that reads two settings
 * waits for {@link PointChecks}, so that {@code with} may pass through combinations that are
 * not points yet (a data set before its path).
 */
public final class Settings implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Every setting of the registry to its value, in registry order. */
    private final TreeMap<Setting, Object> values;
    /** {@link #measure()}, built on first use and kept by {@link #with} of a setting of another section. */
    private transient volatile MeasureSpec measure;

    private Settings(TreeMap<Setting, Object> values, MeasureSpec measure) {
        this.values = values;
        this.measure = measure;
    }

    private static final class DefaultsHolder {
        static final Settings DEFAULTS = build();

        private static Settings build() {
            TreeMap<Setting, Object> v = new TreeMap<>();
            for (Setting s : Setting.values()) v.put(s, s.defaultValue());
            return new Settings(v, null);
        }
    }

    /** Every setting at its default ({@link Defaults}, and each measure's own declaration). */
    public static Settings defaults() {
        return DefaultsHolder.DEFAULTS;
    }

    /** The defaults with the values of {@code v} (setting to value) put in, each checked as {@link #with} does. */
    public static Settings of(Map<Setting, Object> v) {
        return defaults().with(v);
    }

    /** This with {@code s} at {@code value}, checked alone (its type and its range check); an int stands for a double. */
    public Settings with(Setting s, Object value) {
        return with(Collections.singletonMap(s, value));
    }

    /** This with every value of {@code changes} put in, each checked alone, in registry order. */
    public Settings with(Map<Setting, Object> changes) {
        TreeMap<Setting, Object> v = new TreeMap<>(values);
        boolean measureKept = true;
        for (Map.Entry<Setting, Object> e : new TreeMap<>(changes).entrySet()) {
            Setting s = e.getKey();
            v.put(s, checked(s, e.getValue()));
            measureKept &= !s.isMeasurement();
        }
        return new Settings(v, measureKept ? measure : null);
    }

    /** {@code value} as the value of {@code s}, else a SpecException naming the setting and the value. */
    private static Object checked(Setting s, Object value) {
        if (value == null) {
            if (s.nullable()) return null;
            throw new SpecException(s.path() + " is required");
        }
        if (s.type == Double.class && value instanceof Integer i) value = i.doubleValue();
        if (!s.type.isInstance(value)) {
            String type = s.type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
            throw new SpecException(s.path() + " must be " + ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type
                    + ", got " + value);
        }
        if (value instanceof List<?> l) value = List.copyOf(l);
        String p = s.problem(value);
        if (p != null) throw new SpecException(p);
        return value;
    }

    /** The value of {@code s} (null where that means "none": {@link Setting#nullable}). */
    public Object get(Setting s) {
        return values.get(s);
    }

    /** The value of an integer, a double or a boolean setting ({@link Setting#type}). */
    public int intValue(Setting s) {
        return typed(s, Integer.class);
    }

    public double doubleValue(Setting s) {
        return typed(s, Double.class);
    }

    public boolean booleanValue(Setting s) {
        return typed(s, Boolean.class);
    }

    private <T> T typed(Setting s, Class<T> type) {
        if (s.type != type) throw new IllegalArgumentException(s.path() + " is a " + s.type.getSimpleName() + ", not a " + type.getSimpleName());
        return type.cast(values.get(s));
    }

    /** Every setting to its value, in registry order (the column order of the results table). */
    public Map<Setting, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The data settings, read through {@link DataSpec}'s accessors. */
    public DataSpec data() {
        return new DataSpec(this);
    }

    public ModelSpec model() {
        return new ModelSpec(this);
    }

    public Loss loss() {
        return (Loss) values.get(Setting.LOSS);
    }

    public TrainSpec train() {
        return new TrainSpec(this);
    }

    public PenaltySpec penalty() {
        return new PenaltySpec(this);
    }

    /** The measure settings as a {@link MeasureSpec}, which checks them together (a window needs {@code every}, ...). */
    public MeasureSpec measure() {
        MeasureSpec m = measure;
        if (m == null) measure = m = MeasureSpec.of(values);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The settings that are not at their default, as {@code section.key=value}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Settings[");
        String sep = "";
        for (Map.Entry<Setting, Object> e : values.entrySet()) {
            if (java.util.Objects.equals(e.getValue(), e.getKey().defaultValue())) continue;
            sb.append(sep).append(e.getKey().path()).append('=').append(e.getKey().toPlain(e.getValue()));
            sep = ", ";
        }
        return sb.append(']').toString();
    }
}
