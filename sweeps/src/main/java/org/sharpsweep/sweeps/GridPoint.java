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
 * @param seeds     how the initial parameters and the minibatch order are drawn ({@link SeedScheme}):
 *                  see {@link #initSeed} and {@link #orderSeed}
 */
public record GridPoint(int index, String pointId, long sweepSeed, int replicate, long seed, PointSpec spec,
                        Map<String, Object> axes, SeedScheme seeds) implements java.io.Serializable {
    public GridPoint {
        axes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(axes));
        if (seeds == null) throw new IllegalArgumentException("seeds must be shared or per-point, got null");
    }

    /** A point whose draws derive from its own seed ({@code seeds: per-point}). */
    public GridPoint(int index, String pointId, long sweepSeed, int replicate, long seed, PointSpec spec, Map<String, Object> axes) {
        this(index, pointId, sweepSeed, replicate, seed, spec, axes, SeedScheme.PER_POINT);
    }

    /**
     * The seed the initial parameters are drawn from (the model draws them from its
     * {@code init} stream): per-point, {@link #seed}; shared, a hash of the sweep seed, the
     * replicate and what shapes and draws the parameters (inputs, outputs, family, depth,
     * width, init, the cnn's blocks, channels and kernel), so that points differing in anything
     * else (lr, momentum, optimizer, penalty, activation, loss, dtype, steps, batch size) start alike.
     */
    public long initSeed() {
        if (seeds == SeedScheme.PER_POINT) return seed;
        ModelSpec m = spec.model();
        String shape = "inputs=" + MemoryEstimate.inputDim(spec) + ",outputs=" + spec.outputs() + ",family=" + m.family().specName()
                + ",depth=" + m.depth() + ",width=" + m.width() + ",init=" + m.init().specName()
                + (m.family() == Family.CNN ? ",conv_blocks=" + m.convBlocks() + ",channels=" + m.channels() + ",kernel=" + m.kernel() : "");
        return Seeds.derive(sweepSeed, "shared-init/replicate=" + replicate + "/" + shape);
    }

    /**
     * The seed the minibatch order is drawn from ({@code BatchOrder}): per-point, {@link #seed};
     * shared, a hash of the sweep seed, the replicate, n and B, so that points differing in
     * anything else see the same batches at every step.
     */
    public long orderSeed() {
        if (seeds == SeedScheme.PER_POINT) return seed;
        return Seeds.derive(sweepSeed, "shared-order/replicate=" + replicate + "/n=" + spec.data().nTrain()
                + "/batch=" + spec.train().batchSize());
    }

    /**
     * This point with its learning rate resolved to {@code lr} (as {@code train.lr_in_2_over_lambda0}
     * x 2/lambda_0 once lambda_0 is measured): the same index, id, seeds and axes, so that its row
     * is the point the user wrote.
     */
    public GridPoint withLr(double lr) {
        return new GridPoint(index, pointId, sweepSeed, replicate, seed, PointSpec.of(spec.settings().with(Setting.LR, lr)), axes, seeds);
    }

    /**
     * This point trained in one task by the engine alone ({@code train.parallel: none}): the same
     * point, id and seeds; itself when it is not data-parallel.
     */
    public GridPoint alone() {
        if (!spec.train().dataParallel()) return this;
        return new GridPoint(index, pointId, sweepSeed, replicate, seed, spec.alone(), axes, seeds);
    }
}
