package org.sharpsweep.worker.curvature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The directions of negative curvature of a symmetric operator H, below a threshold: its
 * eigenvectors with eigenvalues under {@code -delta}, most negative first, up to a cap. What the
 * stability criterion on the positive part of the spectrum leaves out (docs/science.md, "Linear
 * stability").
 *
 * <p>One Lanczos run on -H ({@link LanczosProcess}, full re-orthogonalization) finds them all: the
 * top Ritz values theta_0 >= theta_1 >= ... of its tridiagonal are -H's largest eigenvalues, so
 * -theta_j are H's most negative ones. After each step the top min(cap + 1, n) Ritz pairs are
 * formed (bisection and inverse iteration, as {@link Lanczos#top}); the run stops when theta_0
 * has converged to its relative residual tol, and every other Ritz pair up to and including the
 * first one at or below delta (which shows that there are no more) has converged to the absolute
 * residual tol |theta_0|: each eigenvalue then known to tol |lambda_min|, the scale of H's
 * negative part, which is all the count below -delta can use (a residual relative to each small
 * eigenvalue near 0 would hold every run to its cap). At a breakdown (an invariant subspace, for
 * example a tiny network run to its dimension) the run restarts from a Gaussian orthogonal to the
 * basis as {@link Lanczos#topK} does, so multiple eigenvalues are found with their multiplicity.
 * The directions are the Ritz vectors of the tridiagonal's full eigendecomposition (Commons Math,
 * orthonormal even within a cluster), orthonormalized once more against each other. Earlier
 * versions ran Lanczos once per direction on -P H P, up to cap + 1 runs; one run is about that
 * many times cheaper on the quickstart's points (about 20 directions each).
 *
 * @param minEigenvalue lambda_min(H): -theta_0 (a Ritz value of -H, so never below the true lambda_min)
 * @param residual      its relative residual
 * @param directions    orthonormal unit vectors, one per eigenvalue below -delta found
 * @param capped        whether more than {@code cap} eigenvalues were found below -delta (there may be more still)
 * @param products      operator products of the run
 */
public record NegativeCurvature(double minEigenvalue, double residual, List<INDArray> directions, boolean capped, int products) {

    /**
     * @param h        the operator H
     * @param delta    eigenvalues at or above -delta count as zero (delta >= 0)
     * @param cap      at most this many directions
     * @param tol      the residual targets above, in (0, 1)
     * @param maxIters cap on operator products
     * @param seed     seed of the run's Gaussian start (and, {@code ~seed}, of its restarts)
     */
    public static NegativeCurvature find(SymmetricOperator h, int dim, double delta, int cap, double tol, int maxIters, long seed) {
        if (!(delta >= 0)) throw new IllegalArgumentException("delta must be >= 0, got " + delta);
        if (cap < 0) throw new IllegalArgumentException("cap must be >= 0, got " + cap);
        Lanczos.validate(h, dim, tol, maxIters);
        SymmetricOperator negative = (v, out) -> {
            h.apply(v, out);
            out.negi();
        };
        int wanted = Math.min(cap + 1, dim);
        LanczosProcess.Rule rule = (alpha, beta, n, breakdown, blockStart) -> {
            if (breakdown) return LanczosProcess.Decision.CONTINUE; // restart: an invariant subspace may hide more
            if (blockStart > 0) {
                // after a restart the new block's top Ritz value still rises: wait until it has converged
                double[] a = Arrays.copyOfRange(alpha, blockStart, n);
                double[] b = Arrays.copyOfRange(beta, blockStart, n);
                int m = n - blockStart;
                double top = Lanczos.topEigenvalue(a, b, m);
                double[] y = Lanczos.topEigenvector(a, b, m, top);
                if (Math.abs(b[m - 1] * y[m - 1]) > tol * Math.abs(top)) return LanczosProcess.Decision.CONTINUE;
            }
            return converged(alpha, beta, n, Math.min(wanted, n), delta, tol) ? LanczosProcess.Decision.STOP
                    : LanczosProcess.Decision.CONTINUE;
        };
        LanczosProcess.Result r = LanczosProcess.run(negative, dim, Lanczos.gaussianUnit(dim, seed), Math.min(maxIters, dim),
                new SplittableRandom(~seed), rule);
        try {
            int n = r.n();
            double[] alpha = r.alpha();
            double[] beta = r.beta();
            double theta0 = Lanczos.topEigenvalue(alpha, beta, n);
            double[] y0 = Lanczos.topEigenvector(alpha, beta, n, theta0);
            double residual = Lanczos.relativeResidual(Math.abs(beta[n - 1] * y0[n - 1]), theta0);
            List<INDArray> found = new ArrayList<>();
            boolean capped = false;
            if (theta0 > delta) {
                LanczosProcess.TridiagonalEigen pairs = LanczosProcess.TridiagonalEigen.of(alpha, beta, n);
                for (int j = 0; j < n && pairs.values()[j] > delta; j++) {
                    if (found.size() == cap) {
                        capped = true;
                        break;
                    }
                    INDArray x = r.ritzVector(pairs.vectors()[j]);
                    project(found, x); // orthogonal to the others to rounding, then unit
                    x.divi(x.norm2Number().doubleValue());
                    found.add(x);
                }
            }
            return new NegativeCurvature(-theta0, residual, List.copyOf(found), capped, n);
        } finally {
            r.free();
        }
    }

    /** Whether the Ritz pairs of T(alpha, beta, n) that decide the outcome have converged (see the class comment). */
    private static boolean converged(double[] alpha, double[] beta, int n, int count, double delta, double tol) {
        double theta0 = Lanczos.topEigenvalue(alpha, beta, n);
        double scale = Math.abs(theta0);
        double[] four = null; // theta_j for j in [block, block + 4), four bisections at a time
        for (int j = 0; j < count; j++) {
            if (j > 0 && (four == null || (j - 1) % 4 == 0)) four = Lanczos.fourFromTop(alpha, beta, n, j);
            double theta = j == 0 ? theta0 : four[(j - 1) % 4];
            double[] y = Lanczos.topEigenvector(alpha, beta, n, theta);
            if (Math.abs(beta[n - 1] * y[n - 1]) > tol * scale) return false;
            if (!(theta > delta)) return true; // the first at or below delta has converged: no more below -delta
        }
        return true;
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
