package org.sharpsweep.worker.curvature;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The directions of negative curvature of a symmetric operator H, below a threshold: its
 * eigenvectors with eigenvalues under {@code -delta}, found one at a time, most negative first,
 * by Lanczos on -P H P (P projecting out those found so far), up to a cap. What the stability
 * criterion on the positive part of the spectrum leaves out (docs/science.md, "Linear stability").
 *
 * @param minEigenvalue lambda_min(H) from the first run (a Ritz value of -H, so never below the true lambda_min)
 * @param residual      that run's relative residual
 * @param directions    orthonormal unit vectors, one per eigenvalue below -delta found
 * @param capped        whether the search stopped at the cap with the last one still below -delta (there may be more)
 * @param products      operator products of every run together
 */
public record NegativeCurvature(double minEigenvalue, double residual, List<INDArray> directions, boolean capped, int products) {

    /**
     * @param h        the operator H
     * @param delta    eigenvalues at or above -delta count as zero (delta >= 0)
     * @param cap      at most this many directions
     * @param seed     seed of the first run's start; run i starts from a Gaussian of {@code seed + i}
     */
    public static NegativeCurvature find(SymmetricOperator h, int dim, double delta, int cap, double tol, int maxIters, long seed) {
        if (!(delta >= 0)) throw new IllegalArgumentException("delta must be >= 0, got " + delta);
        if (cap < 0) throw new IllegalArgumentException("cap must be >= 0, got " + cap);
        List<INDArray> found = new ArrayList<>();
        INDArray u = Nd4j.create(DataType.DOUBLE, dim);
        SymmetricOperator negDeflated = (v, out) -> {
            u.assign(v);
            project(found, u);
            h.apply(u, out);
            project(found, out);
            out.negi();
        };
        double min = Double.NaN;
        double residual = Double.NaN;
        int products = 0;
        boolean capped = false;
        for (int i = 0; i <= cap && found.size() < dim; i++) {
            EigenEstimate.WithVector e = Lanczos.topWithVector(negDeflated, dim, tol, maxIters, seed + i);
            products += e.estimate().iterations();
            double mu = -e.estimate().value();
            if (i == 0) {
                min = mu;
                residual = e.estimate().residual();
            }
            if (!(mu < -delta)) break;
            if (i == cap) {
                capped = true;
                break;
            }
            INDArray x = e.vector().dup();
            project(found, x); // orthogonal to the others to rounding, then unit
            x.divi(x.norm2Number().doubleValue());
            found.add(x);
        }
        return new NegativeCurvature(min, residual, List.copyOf(found), capped, products);
    }

    /** v := v minus its components along the orthonormal {@code q}, twice. */
    public static void project(List<INDArray> q, INDArray v) {
        for (int pass = 0; pass < 2 && !q.isEmpty(); pass++) {
            for (INDArray x : q) Nd4j.getBlasWrapper().axpy(-Nd4j.getBlasWrapper().dot(x, v), x, v);
        }
    }

    /** {@code a} restricted to the complement of the directions: v -> P A P v. */
    public SymmetricOperator complementOf(SymmetricOperator a, int dim) {
        INDArray u = Nd4j.create(DataType.DOUBLE, dim);
        return (v, out) -> {
            u.assign(v);
            project(directions, u);
            a.apply(u, out);
            project(directions, out);
        };
    }
}
