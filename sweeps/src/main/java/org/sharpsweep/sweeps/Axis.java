package org.sharpsweep.sweeps;

import java.util.List;

/**
 * One grid axis: a setting's short name (or {@code seed}, the replicate axis) and its values,
 * ranges already expanded. Values have the setting's Java type ({@link Setting#type}).
 */
public record Axis(String name, List<Object> values) implements java.io.Serializable {
    /** Name of the replicate axis: its values are replicate labels, not settings. */
    public static final String SEED = "seed";

    public Axis {
        if (name == null || (!SEED.equals(name) && Setting.byShortName(name) == null)
                || (Setting.byShortName(name) != null && !Setting.byShortName(name).isAxis())) {
            throw new SpecException("grid." + name + " is not a grid axis; axes are " + Setting.axisNames());
        }
        if (values == null || values.isEmpty()) throw new SpecException("grid." + name + " is empty: give at least one value");
        values = List.copyOf(values);
        if (values.size() != values.stream().distinct().count()) {
            throw new SpecException("grid." + name + " repeats a value: " + values);
        }
    }

    /** The setting this axis varies, or null for the replicate axis {@code seed}. */
    public Setting setting() {
        return Setting.byShortName(name);
    }
}
