package org.sharpsweep.worker.measure;

import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.NegativeCurvature;
import org.sharpsweep.worker.curvature.SymmetricOperator;

/**
 * The top eigenvalue of the SGD linear-stability operator (I - lr H)^2 + lr^2 (n-B)/(B(n-1)) Sigma
 * (Wu, Ma &amp; E 2018; docs/science.md): SGD is linearly stable at the minimum iff it is at most 1.
 * Asked with the sharpness; computed where it is defined with what was asked: with the
 * non-uniformity (Sigma's samples as chosen), or for full-batch GD (B = n), where Sigma does not
 * enter. Otherwise left null.
 *
 * <p>Where training stopped short of a minimum, H has small negative eigenvalues mu, and each
 * gives (1 - lr mu)^2 = (1 + lr |mu|)^2 > 1: the criterion then says "unstable" for a reason that
 * is no instability of the step size. So beside it: lambda_min(H) ({@code hessian_min_eig}), the
 * directions of H's eigenvalues below -tol / (2 lr) (those raise the criterion by more than its
 * own tolerance; at most {@link #NEGATIVE_CAP}, {@code stability_neg_dirs}), and the criterion on
 * the complement of those directions ({@code stability_max_eig_pos}: lambda_max of P A P, P
 * projecting them out; the criterion itself when there are none; null beyond the cap).
 */
final class Stability implements Measurement {
    /** The most directions of negative curvature taken out of the criterion on the positive part. */
    static final int NEGATIVE_CAP = 20;

    @Override
    public Measure declaration() {
        return Measures.STABILITY;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        // eigenvalues of H above -delta raise the criterion above 1 by at most 2 lr delta = tol: they count as zero
        double delta = c.spec().tol() / (2 * c.lr());
        NegativeCurvature neg = NegativeCurvature.find(k.hessian(), k.dim(), delta, NEGATIVE_CAP, c.spec().tol(), c.spec().maxIters(),
                c.stream("lanczos-negative"));
        c.put(Measures.HESSIAN_MIN_EIG, neg.minEigenvalue());
        c.put(Measures.HESSIAN_MIN_EIG_RESIDUAL, neg.residual());
        c.put(Measures.STABILITY_NEG_DIRS, neg.directions().size() + (neg.capped() ? 1 : 0));
        if (!c.spec().on(Measures.NONUNIFORMITY) && c.batchSize() < k.rows()) return;
        SymmetricOperator a = k.stability(c.lr(), c.batchSize());
        EigenEstimate e = Lanczos.top(a, k.dim(), c.spec().tol(), c.spec().maxIters(), c.stream("lanczos-stability"));
        c.put(ResultSchema.STABILITY_MAX_EIG, e.value());
        c.put(ResultSchema.STABILITY_RESIDUAL, e.residual());
        c.put(ResultSchema.STABILITY_ITERS, e.iterations());
        if (neg.capped()) return; // more negative directions than the cap: the positive part is not known
        double positive = neg.directions().isEmpty() ? e.value()
                : Lanczos.top(neg.complementOf(a, k.dim()), k.dim(), c.spec().tol(), c.spec().maxIters(),
                        c.stream("lanczos-stability-positive")).value();
        c.put(Measures.STABILITY_MAX_EIG_POS, positive);
    }
}
