package org.sharpsweep.sweeps;

import java.util.Map;

/**
 * One point of an expanded grid.
 *
 * @param index     position in the expansion order (the last axis varies fastest)
 * @param pointId   stable hash of the settings that apply and are not at their default, the
 *                  sweep seed and the replicate ({@link PointIds}, the one definition)
 * @param sweepSeed the sweep's seed; data sets (teacher samples, label noise) derive from it
 *                  alone so that every point of a sweep sees the same data
 * @param replicate the value of the {@code seed} axis (0 when there is none)
 * @param seed      this point's seed, derived from sweepSeed and pointId: initialisation and
 *                  minibatch order derive from it
 * @param axes      the value of every grid axis at this point, in axis order
 */
public record GridPoint(int index, String pointId, long sweepSeed, int replicate, long seed, PointSpec spec,
                        Map<String, Object> axes) implements java.io.Serializable {
    public GridPoint {
        axes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(axes));
    }

    /**
     * This point trained in one task by the engine alone ({@code train.parallel: none}): the same
     * point, id and seeds; itself when it is not data-parallel.
     */
    public GridPoint alone() {
        if (!spec.train().dataParallel()) return this;
        PointSpec one = new PointSpec(spec.data(), spec.model(), spec.loss(), spec.train().alone(), spec.penalty(), spec.measure());
        return new GridPoint(index, pointId, sweepSeed, replicate, seed, one, axes);
    }
}
