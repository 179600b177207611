package org.sharpsweep.sweeps;

/**
 * An explicit penalty of the given kind with coefficient lambda (docs/science.md). A grid
 * point with coefficient 0 is the same computation whatever the kind, so {@link PointSpec}
 * normalises it to {@code none}: such points share one point id.
 *
 * @param microbatch gradnorm only: 0 takes ||grad C||^2 on the whole minibatch; b > 0 takes the
 *                   mean of ||grad C_k||^2 over the minibatch's micro-batches of b samples
 *                   (Smith, Dherin, Barrett &amp; De 2021), b dividing the batch size
 * @param scaleWithLr false: lambda = coef; true: lambda = coef x train.lr, so that one coef
 *                    follows a grid over lr (SGD's implicit regularizer (lr/4m) sum_k ||grad C_k||^2
 *                    is gradnorm with coef 1, scale_with_lr and micro-batches of the SGD batch size)
 */
public record PenaltySpec(PenaltyKind kind, double coef, int microbatch, boolean scaleWithLr) implements java.io.Serializable {
    public PenaltySpec {
        if (kind == null) throw new SpecException("penalty.kind is required");
        if (!(coef >= 0) || Double.isInfinite(coef)) throw new SpecException("penalty.coef must be >= 0 and finite, got " + coef);
        if (microbatch < 0) throw new SpecException("penalty.microbatch must be >= 0 (0 = the whole batch), got " + microbatch);
        if (microbatch > 0 && kind != PenaltyKind.GRADNORM && kind != PenaltyKind.NONE) {
            throw new SpecException("penalty.microbatch " + microbatch + " applies to penalty.kind gradnorm only, got kind "
                    + kind.specName());
        }
    }

    /** On the whole minibatch, lambda = coef. */
    public PenaltySpec(PenaltyKind kind, double coef) {
        this(kind, coef, 0, false);
    }

    /** The penalty's lambda at learning rate {@code lr}. */
    public double lambda(double lr) {
        return scaleWithLr ? coef * lr : coef;
    }

    /** This penalty at learning rate {@code lr} with lambda as its coef (scaleWithLr false). */
    public PenaltySpec at(double lr) {
        return scaleWithLr ? new PenaltySpec(kind, lambda(lr), microbatch, false) : this;
    }
}
