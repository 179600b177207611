package org.sharpsweep.worker.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/**
 * The computation of every declared measure ({@link Measures}), one {@link Measurement} each, and
 * the one loop that runs those a point asks for, in the declarations' order: at the final
 * parameters every asked measure, along training those declared with trajectory columns. Each
 * measure draws from a random stream of its own, so the order changes no number.
 */
public final class Measurements {
    private Measurements() {
    }

    private static final Map<Measure, Measurement> BY_DECLARATION = register(new Sharpness(), new Nonuniformity(), new Stability(),
            new Trace(), new Adaptive(), new TopEigenvalues(), new Density(), new MSharpness(),
            new PacBayes(), new BatchSharpness());

    private static Map<Measure, Measurement> register(Measurement... ms) {
        Map<Measure, Measurement> m = new LinkedHashMap<>();
        for (Measurement x : ms) {
            if (m.put(x.declaration(), x) != null) throw new IllegalStateException("two computations of " + x.declaration().name());
        }
        for (Measure d : Measures.all()) {
            if (!m.containsKey(d)) throw new IllegalStateException("measure " + d.name() + " is declared but has no computation");
        }
        return m;
    }

    /** The computation of a declared measure. */
    public static Measurement of(Measure declaration) {
        return BY_DECLARATION.get(declaration);
    }

    /** Every measure the context's point asks for, at the final parameters. */
    public static void atEnd(MeasureContext c) {
        for (Measure d : Measures.all()) if (c.spec().on(d)) of(d).measure(c);
    }

    /** What every measure the context's point asks for records at its initial parameters ({@link Measurement#atStart}). */
    public static void atStart(MeasureContext c) {
        atStart(c, java.util.Set.of());
    }

    /** As {@link #atStart(MeasureContext)}, leaving out the measures in {@code done} (already recorded). */
    public static void atStart(MeasureContext c, java.util.Set<Measure> done) {
        for (Measure d : Measures.all()) if (c.spec().on(d) && !done.contains(d)) of(d).atStart(c);
    }

    /** Whether a point with these settings asks for a measure that records something at its initial parameters. */
    public static boolean anyAtStart(org.sharpsweep.sweeps.MeasureSpec spec) {
        return Measures.all().stream().anyMatch(d -> spec.on(d) && of(d).measuresAtStart());
    }

    /** The measures along training ({@link Measure#alongTraining}) the context's point asks for. */
    public static void along(MeasureContext c) {
        for (Measure d : alongTraining(c.spec())) of(d).measure(c);
    }

    /** The measures along training a point with these settings asks for. */
    public static List<Measure> alongTraining(org.sharpsweep.sweeps.MeasureSpec spec) {
        if (!spec.alongCurvature()) return List.of();
        return Measures.all().stream().filter(d -> d.alongTraining() && spec.on(d)).toList();
    }
}
