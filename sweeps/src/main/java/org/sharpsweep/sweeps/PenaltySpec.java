package org.sharpsweep.sweeps;

/**
 * An explicit penalty of the given kind with coefficient lambda (DESIGN.md section 3). A grid
 * point with coefficient 0 is the same computation whatever the kind, so {@link PointSpec}
 * normalises it to {@code none}: such points share one point id.
 *
 * @param microbatch gradnorm only: 0 takes ||grad C||^2 on the whole minibatch; b > 0 takes the
 *                   mean of ||grad C_k||^2 over the minibatch's micro-batches of b samples
 *                   (Smith, Dherin, Barrett &amp; De 2021), b dividing the batch size
 */
public record PenaltySpec(PenaltyKind kind, double coef, int microbatch) implements java.io.Serializable {
    public PenaltySpec {
        if (kind == null) throw new SpecException("penalty.kind is required");
        if (!(coef >= 0) || Double.isInfinite(coef)) throw new SpecException("penalty.coef must be >= 0 and finite, got " + coef);
        if (microbatch < 0) throw new SpecException("penalty.microbatch must be >= 0 (0 = the whole batch), got " + microbatch);
        if (microbatch > 0 && kind != PenaltyKind.GRADNORM && kind != PenaltyKind.NONE) {
            throw new SpecException("penalty.microbatch " + microbatch + " applies to penalty.kind gradnorm only, got kind "
                    + kind.specName());
        }
    }

    /** On the whole minibatch. */
    public PenaltySpec(PenaltyKind kind, double coef) {
        this(kind, coef, 0);
    }
}
