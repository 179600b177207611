package org.sharpsweep.sweeps.measure;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;

/**
 * One measure, declared once ({@link Measures}): everything the engine needs to know about it
 * except how it is computed (one class in the worker's {@code measure} package, under the same
 * {@link #name}). The settings registry, the results and trajectories schemas, the labels of
 * pictures and the report, {@code correlate}'s default measures, the options of
 * {@code sharpsweep measure} and the trajectory recorder all read these declarations
 * (docs/architecture.md, "Kinds of change").
 *
 * @param name     the measure's name, e.g. {@code trace}; its computation is registered under it
 * @param summary  one line for help texts: what it computes
 * @param on       the boolean setting that asks for it ({@code measure.trace}); null for a measure
 *                 that follows others ({@link #asked})
 * @param options  its own further settings ({@code measure.trace_tol}), declared with
 *                 {@link Setting#measure}; the shared {@code measure.tol} and {@code max_iters} are
 *                 not listed here but read when {@code lanczos} is true
 * @param lanczos  whether it runs Lanczos, and so reads {@code measure.tol} and {@code measure.max_iters}
 * @param columns  its columns of the results table (null where it was not computed)
 * @param along    its columns of the trajectories table: empty unless it is also measured along
 *                 training ({@code measure.every})
 * @param ranked   the columns {@code sharpsweep correlate} ranks against the generalization gap by default
 * @param spectrum the spectra table's {@code kind} of the rows it writes, or null if it writes none
 * @param asked    whether a point with these measure settings asks for it
 * @param problem  a check across its settings (null when they agree, else what is wrong), run
 *                 where the measure settings are built
 * @param rows     whether it evaluates the network at other parameters on the training rows
 *                 ({@code Curvature.trainingRows} in the worker), which needs the rows in one JVM:
 *                 a data-parallel point, whose rows are on its workers, refuses it
 *                 ({@link Measures#dataParallelProblem})
 */
public record Measure(String name, String summary, Setting on, List<Setting> options, boolean lanczos,
                      List<ResultSchema.Column> columns, List<ResultSchema.Column> along, List<String> ranked, String spectrum,
                      Predicate<MeasureSpec> asked, Function<MeasureSpec, String> problem, boolean rows) {
    /** A measure made of the curvature operators' sums only (any execution can compute it). */
    public Measure(String name, String summary, Setting on, List<Setting> options, boolean lanczos,
                   List<ResultSchema.Column> columns, List<ResultSchema.Column> along, List<String> ranked, String spectrum,
                   Predicate<MeasureSpec> asked, Function<MeasureSpec, String> problem) {
        this(name, summary, on, options, lanczos, columns, along, ranked, spectrum, asked, problem, false);
    }

    public Measure {
        options = List.copyOf(options);
        columns = List.copyOf(columns);
        along = List.copyOf(along);
        ranked = List.copyOf(ranked);
        if (on == null && asked == null) throw new IllegalArgumentException("measure " + name + " needs a setting or a rule that asks for it");
        if (asked == null) asked = m -> Boolean.TRUE.equals(m.get(on));
        if (problem == null) problem = m -> null;
        for (String r : ranked) {
            if (columns.stream().noneMatch(c -> c.name().equals(r))) throw new IllegalArgumentException(name + ": ranked column " + r + " is not its column");
        }
    }

    /** Whether a point with measure settings {@code m} asks for this measure. */
    public boolean isAsked(MeasureSpec m) {
        return asked.test(m);
    }

    /**
     * The options that may also be written as a map under its switch's key: those whose key is the
     * switch's key, an underscore and a name ({@code m_sharpness: {rho: 0.05}} is
     * {@code m_sharpness: true, m_sharpness_rho: 0.05}); empty for a measure without a switch.
     */
    public List<Setting> nestedOptions() {
        if (on == null) return List.of();
        return options.stream().filter(o -> o.key.startsWith(on.key + "_")).toList();
    }

    /** An option's name inside the map under the switch ({@code rho} for {@code m_sharpness_rho}). */
    public String nestedKey(Setting option) {
        return option.key.substring(on.key.length() + 1);
    }

    /** Whether it is also measured along training (it has trajectory columns). */
    public boolean alongTraining() {
        return !along.isEmpty();
    }

    /**
     * The settings whose values its results depend on: its switch, its options and, for a Lanczos
     * measure, {@code measure.tol} and {@code measure.max_iters} ({@code sharpsweep measure} sets
     * these columns on a row it measures).
     */
    public List<Setting> settings() {
        List<Setting> s = new java.util.ArrayList<>();
        if (on != null) s.add(on);
        s.addAll(options);
        if (lanczos) s.addAll(List.of(Setting.TOL, Setting.MAX_ITERS));
        return s;
    }
}
