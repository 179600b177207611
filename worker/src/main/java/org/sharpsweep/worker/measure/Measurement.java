package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.measure.Measure;

/**
 * How one measure is computed: the other half of its declaration in
 * {@link org.sharpsweep.sweeps.measure.Measures}. The same code runs at the final parameters and
 * along training ({@link MeasureContext#along()}); it writes the measure's declared columns into
 * the context's row and, for a spectrum, rows of the spectra table. Implementations are
 * stateless: what one measurement hands to the next (a warm-start vector) lives in the context.
 * Register a new one in {@link Measurements}.
 */
public interface Measurement {
    /** The declaration this computes. */
    Measure declaration();

    /** Computes the measure at the context's parameters; called only when the point asks for it. */
    void measure(MeasureContext c);

    /**
     * What the measure records at the initial parameters, before the first step (the point's own
     * initialization, or the saved parameters it restarts from); called only when the point asks
     * for it. Nothing by default.
     */
    default void atStart(MeasureContext c) {
    }

    /** Whether {@link #atStart} records anything (so that a point that asks for none of them builds no operators for it). */
    default boolean measuresAtStart() {
        return false;
    }
}
