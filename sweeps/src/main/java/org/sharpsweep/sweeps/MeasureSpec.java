package org.sharpsweep.sweeps;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * What is measured of a trained point (docs/science.md): the value of every setting of the
 * {@code measure} section, at the final parameters and, with {@code every > 0}, also along
 * training (the trajectories table). The settings are those of {@link Setting} shared by every
 * measure ({@code tol}, {@code max_iters}, {@code every}, {@code window}, {@code save_params})
 * and those each measure declares ({@link Measures}); a measure reads its own with
 * {@link #get}. The measure section of a {@link Settings} ({@link Settings#measure()}), or of
 * the options of {@code sharpsweep measure}; immutable; checked together where it is built (a
 * window needs {@code every}, each measure's own rule).
 */
public final class MeasureSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final TreeMap<Setting, Object> values;

    private MeasureSpec(TreeMap<Setting, Object> values) {
        this.values = values;
        for (Map.Entry<Setting, Object> e : values.entrySet()) {
            Setting s = e.getKey();
            if (!s.type.isInstance(e.getValue())) {
                throw new SpecException(s.path() + " must be a " + s.type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ", got " + e.getValue());
            }
            String p = s.problem(e.getValue());
            if (p != null) throw new SpecException(p);
        }
        if (window() > 0 && every() == 0) {
            throw new SpecException("measure.window " + window() + " needs measurements during training: set measure.every "
                    + "(e.g. every: " + Math.max(1, window() / 10) + ")");
        }
        if (window() > 0 && !alongCurvature()) {
            throw new SpecException("measure.window " + window() + " summarises the sharpness along training, but"
                    + " measure.along_curvature is false");
        }
        if (window() > 0 && !on(Measures.SHARPNESS)) {
            throw new SpecException("measure.window " + window() + " summarises the sharpness, but measure.sharpness is false");
        }
        String p = Measures.problem(this);
        if (p != null) throw new SpecException(p);
    }

    /** The measure settings of {@code v} (setting to value); a measure setting missing there is at its default. */
    public static MeasureSpec of(Map<Setting, Object> v) {
        TreeMap<Setting, Object> m = new TreeMap<>();
        for (Setting s : Measures.settings()) m.put(s, v.containsKey(s) ? v.get(s) : s.defaultValue());
        return new MeasureSpec(m);
    }

    /** Every measure setting at its default. */
    public static MeasureSpec defaults() {
        return of(Map.of());
    }

    /** This with one measure setting changed (validated again). */
    public MeasureSpec with(Setting s, Object value) {
        if (!values.containsKey(s)) throw new IllegalArgumentException(s.path() + " is not a measure setting");
        TreeMap<Setting, Object> m = new TreeMap<>(values);
        m.put(s, value);
        return new MeasureSpec(m);
    }

    /** Every measure setting to its value, in registry order. */
    public Map<Setting, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The value of a measure setting. */
    public Object get(Setting s) {
        if (!values.containsKey(s)) throw new IllegalArgumentException(s.path() + " is not a measure setting");
        return values.get(s);
    }

    public int intValue(Setting s) {
        return (Integer) get(s);
    }

    public double doubleValue(Setting s) {
        return (Double) get(s);
    }

    /** Whether the measure is asked for ({@link Measure#isAsked}). */
    public boolean on(Measure m) {
        return m.isAsked(this);
    }

    /** Lanczos stops at relative residual |beta_k e_k^T y| / |theta| <= tol. */
    public double tol() {
        return doubleValue(Setting.TOL);
    }

    /** The Lanczos iteration cap. */
    public int maxIters() {
        return intValue(Setting.MAX_ITERS);
    }

    /** 0: only at the end; K > 0: also at step 0, every K steps and the last step. */
    public int every() {
        return intValue(Setting.MEASURE_EVERY);
    }

    /** 0: none; W > 0: sharpness_window_mean/min/max over the measurements at steps >= steps_done - W. */
    public int window() {
        return intValue(Setting.MEASURE_WINDOW);
    }

    /** Whether the curvature measures that can run along training do ({@link Setting#MEASURE_ALONG_CURVATURE}). */
    public boolean alongCurvature() {
        return (Boolean) get(Setting.MEASURE_ALONG_CURVATURE);
    }

    /** Keep the final parameters in the params table. */
    public boolean saveParams() {
        return (Boolean) get(Setting.SAVE_PARAMS);
    }

    /** Whether any measure along training is asked for (with {@code every > 0}, the losses are recorded anyway). */
    public boolean anyAlongTraining() {
        return alongCurvature() && Measures.all().stream().anyMatch(m -> m.alongTraining() && on(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeasureSpec m && values.equals(m.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MeasureSpec[");
        values.forEach((s, v) -> sb.append(sb.length() > 12 ? ", " : "").append(s.key).append('=').append(v));
        return sb.append(']').toString();
    }
}
