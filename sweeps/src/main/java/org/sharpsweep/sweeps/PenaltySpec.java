package org.sharpsweep.sweeps;

/**
 * An explicit penalty of the given kind with coefficient lambda (DESIGN.md section 3). A grid
 * point with coefficient 0 is the same computation whatever the kind, so {@link PointSpec}
 * normalises it to {@code none}: such points share one point id.
 */
public record PenaltySpec(PenaltyKind kind, double coef) implements java.io.Serializable {
    public PenaltySpec {
        if (kind == null) throw new SpecException("penalty.kind is required");
        if (!(coef >= 0) || Double.isInfinite(coef)) throw new SpecException("penalty.coef must be >= 0 and finite, got " + coef);
    }
}
