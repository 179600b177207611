package org.sharpsweep.sweeps;

/**
 * How a sweep's points draw their initial parameters and minibatch order ({@code seeds:} in the
 * spec; docs/lockstep.md, "Common random numbers").
 *
 * <ul>
 *   <li>{@code shared}: points of one replicate that differ only in how they are optimized (lr,
 *       momentum, penalty kind and coefficient, dtype, steps, divergence bound) start from the same
 *       initial parameters, drawn from the sweep seed, the replicate and the settings that shape
 *       and draw them, and see the same minibatches, drawn from the sweep seed, the replicate, n
 *       and B ({@link GridPoint#initSeed}, {@link GridPoint#orderSeed}): every difference between
 *       two cells of a learning-rate heatmap is the learning rate's, as in the researchers' own
 *       scripts. The default of a sweep's first run.</li>
 *   <li>{@code per-point}: both derive from the point's own seed (its id): every point its own
 *       draw. Sweeps written before the scheme existed are per-point, and keep it.</li>
 * </ul>
 * A sweep keeps the scheme it was first computed with; the kept spec names it and each row records it.
 */
public enum SeedScheme implements Named {
    SHARED, PER_POINT;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
