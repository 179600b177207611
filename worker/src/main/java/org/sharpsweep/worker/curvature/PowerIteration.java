package org.sharpsweep.worker.curvature;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Power iteration, kept for comparison with the original papers, which measured sharpness with
 * it (docs/science.md: about 10 iterations, tolerance 1e-2); {@link Lanczos} is the default.
 *
 * <p>Iterate v_{k+1} = A v_k / ||A v_k|| from the same Gaussian start vector as Lanczos (same
 * seed, same vector); lambda_k = v_k^T A v_k is the Rayleigh quotient. The returned residual is
 * always the true relative residual ||A v_k - lambda_k v_k|| / |lambda_k| of the last iterate,
 * whatever the stopping rule, and {@code converged} means that residual is <= tol.
 *
 * <p>Limitations, by construction: power iteration converges to the eigenvalue of largest
 * <em>magnitude</em>, which is not lambda_max when A has a negative eigenvalue larger in
 * magnitude; and its error falls like (lambda_2/lambda_1)^k, so a clustered top converges slowly.
 */
public final class PowerIteration {

    private PowerIteration() {
    }

    /**
     * The papers' rule: stop at the first k >= 2 with |lambda_k - lambda_{k-1}| <= tol |lambda_k|,
     * or after maxIters products. That rule can stop while the true residual is still far above
     * tol; the result then says {@code converged = false}.
     *
     * @throws IllegalArgumentException on a bad argument (same rules as {@link Lanczos#top})
     * @throws IllegalStateException    if the operator returns a non-finite product
     */
    public static EigenEstimate top(SymmetricOperator a, int dim, double tol, int maxIters, long seed) {
        return run(a, dim, tol, maxIters, seed, false).estimate();
    }

    /** As {@link #top}, also returning the last iterate (the unit vector the estimate belongs to). */
    public static EigenEstimate.WithVector topWithVector(SymmetricOperator a, int dim, double tol, int maxIters,
            long seed) {
        return run(a, dim, tol, maxIters, seed, false);
    }

    /**
     * Power iteration stopped on the true relative residual ||A v - lambda v|| / |lambda| <= tol
     * (the same criterion Lanczos uses), or after maxIters products: the fair comparison of
     * operator products.
     */
    public static EigenEstimate topByResidual(SymmetricOperator a, int dim, double tol, int maxIters, long seed) {
        return run(a, dim, tol, maxIters, seed, true).estimate();
    }

    private static EigenEstimate.WithVector run(SymmetricOperator a, int dim, double tol, int maxIters, long seed,
            boolean stopOnResidual) {
        Lanczos.validate(a, dim, tol, maxIters);
        INDArray v = Lanczos.gaussianUnit(dim, seed);
        INDArray w = Nd4j.create(DataType.DOUBLE, dim);
        INDArray r = Nd4j.create(DataType.DOUBLE, dim);
        double previous = Double.NaN;
        double lambda = 0;
        double residual = Double.NaN;
        int k = 0;
        while (k < maxIters) {
            a.apply(v, w);
            k++;
            double normAv = w.norm2Number().doubleValue();
            if (!Double.isFinite(normAv)) {
                throw new IllegalStateException("operator product " + k + " is not finite (||A v|| = " + normAv + ")");
            }
            lambda = Nd4j.getBlasWrapper().dot(v, w);
            r.assign(w);
            Nd4j.getBlasWrapper().level1().axpy(dim, -lambda, v, r);
            residual = Lanczos.relativeResidual(r.norm2Number().doubleValue(), lambda);
            boolean stop = stopOnResidual
                    ? residual <= tol
                    : k >= 2 && Math.abs(lambda - previous) <= tol * Math.abs(lambda);
            if (stop || normAv == 0 || k == maxIters) break;
            previous = lambda;
            v.assign(w).divi(normAv);
        }
        return new EigenEstimate.WithVector(new EigenEstimate(lambda, residual, k, residual <= tol), v);
    }
}
