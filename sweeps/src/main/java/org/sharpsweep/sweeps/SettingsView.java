package org.sharpsweep.sweeps;

import java.util.Objects;

/**
 * One section of a {@link Settings} ({@code data}, {@code model}, {@code train},
 * {@code penalty}) read through typed accessors: a view, never a second copy of the values.
 * Two views are equal when their section's values are; the other sections do not count (a
 * data set is the same whatever trains on it).
 */
abstract class SettingsView implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The settings this view reads. */
    final Settings settings;
    private final String section;

    SettingsView(Settings settings, String section) {
        this.settings = Objects.requireNonNull(settings);
        this.section = section;
    }

    /** The settings this view reads, every section included. */
    public Settings settings() {
        return settings;
    }

    @Override
    public boolean equals(Object o) {
        if (o == null || o.getClass() != getClass()) return false;
        Settings other = ((SettingsView) o).settings;
        for (Setting s : Setting.values()) {
            if (section.equals(s.section) && !Objects.equals(settings.get(s), other.get(s))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Setting s : Setting.values()) if (section.equals(s.section)) h = 31 * h + Objects.hashCode(settings.get(s));
        return h;
    }

    /** E.g. {@code TrainSpec[steps=1000, lr=0.1, ...]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[');
        String sep = "";
        for (Setting s : Setting.values()) {
            if (!section.equals(s.section)) continue;
            sb.append(sep).append(s.key).append('=').append(s.toPlain(settings.get(s)));
            sep = ", ";
        }
        return sb.append(']').toString();
    }
}
