package org.sharpsweep.worker.curvature;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature (Ubaru, Chen &amp;
 * Saad 2017, "Fast estimation of tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix
 * Anal. Appl. 38(4); Golub &amp; Meurant, <i>Matrices, Moments and Quadrature</i>; as PyHessian's
 * {@code hessian.density}, Yao et al. 2020, and Ghorbani, Krishnan &amp; Xiao 2019).
 *
 * <p>For a unit probe v, the spectral measure mu_v = sum_i (u_i^T v)^2 delta(lambda_i) (u_i the
 * eigenvectors of A) is approximated by the m-point Gauss quadrature given by m Lanczos steps from
 * v: with T_m = Q diag(theta) Q^T, nodes theta_j and weights tau_j = (e_1^T q_j)^2, which sum to
 * ||v||^2 = 1. Averaging over probes with E[v v^T] = I / dim gives the density
 * phi(t) = (1/dim) sum_i delta(t - lambda_i). For display the deltas are replaced by Gaussians,
 * phi_sigma(t) = (1/n_v) sum_probes sum_j tau_j N(t; theta_j, sigma^2): that is done where the
 * stored nodes and weights are read ({@code org.sharpsweep.analysis.SpectralDensity}, PyHessian's
 * {@code density_generate}), not here.
 *
 * <p>Probes: Rademacher (+-1 entries, normalized to 1/sqrt(dim)), PyHessian's choice, or
 * Gaussian (normalized), from {@code new SplittableRandom(seed)}, consecutive probes from the
 * same generator. Lanczos: the recurrence of {@link Lanczos} with full re-orthogonalization
 * ({@link LanczosProcess}); PyHessian's default is m = {@link #DEFAULT_STEPS} = 100 steps and
 * n_v = 1 probe. The run from a probe stops early, with fewer nodes, after dim steps (m &gt; dim:
 * the Krylov space is the whole space and the quadrature is exact) or at a breakdown (beta_k at
 * rounding level of ||A||: the Krylov space of v is invariant, its n nodes are exact eigenvalues
 * of A and the n-point quadrature is exact for mu_v, so stopping there loses nothing). The
 * extreme nodes converge first: the top node approaches lambda_max (the sharpness) from below.
 *
 * <p>Cost: m operator products per probe plus O(m dim) re-orthogonalization flops per step and
 * one O(m^3) eigen-decomposition of T (commons-math3's implicit QL for a symmetric tridiagonal)
 * per probe; memory m vectors of length dim. Thread-safe as far as the operator is.
 */
public final class StochasticLanczosQuadrature {

    /** PyHessian's default number of Lanczos steps ({@code iter}). */
    public static final int DEFAULT_STEPS = 100;

    /** Probe distribution; both have E[v v^T] proportional to I before normalization. */
    public enum Probe { RADEMACHER, GAUSSIAN }

    /**
     * The quadrature of one probe.
     *
     * @param nodes     eigenvalues of T, descending (Ritz values)
     * @param weights   squared first components of T's unit eigenvectors, in the order of nodes; sum 1
     * @param steps     Lanczos steps done = operator products = nodes.length
     * @param breakdown the run ended at an invariant subspace before m steps (and before dim)
     */
    public record Quadrature(double[] nodes, double[] weights, int steps, boolean breakdown) {
        public Quadrature {
            if (nodes.length != weights.length || nodes.length != steps) {
                throw new IllegalArgumentException("nodes, weights and steps disagree: " + nodes.length + ", "
                        + weights.length + ", " + steps);
            }
        }
    }

    private StochasticLanczosQuadrature() {
    }

    /**
     * Runs {@code probes} Lanczos processes of up to {@code steps} steps each.
     *
     * @param a      the operator
     * @param dim    dimension, >= 1
     * @param steps  Lanczos steps per probe m, >= 1 (capped at dim)
     * @param probes number of probes n_v, >= 1
     * @param kind   probe distribution
     * @param seed   seed of the probes
     * @throws IllegalArgumentException on a bad argument
     * @throws IllegalStateException    if the operator returns a non-finite product
     */
    public static List<Quadrature> run(SymmetricOperator a, int dim, int steps, int probes, Probe kind, long seed) {
        if (a == null) throw new IllegalArgumentException("operator must not be null");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (probes < 1) throw new IllegalArgumentException("probes must be >= 1, got " + probes);
        if (kind == null) throw new IllegalArgumentException("probe kind must not be null");
        SplittableRandom rng = new SplittableRandom(seed);
        List<Quadrature> out = new ArrayList<>(probes);
        LanczosProcess.Rule untilBreakdown = (alpha, beta, n, breakdown, blockStart) ->
                breakdown ? LanczosProcess.Decision.STOP : LanczosProcess.Decision.CONTINUE;
        for (int p = 0; p < probes; p++) {
            INDArray v = probe(rng, dim, kind);
            LanczosProcess.Result r = LanczosProcess.run(a, dim, v, Math.min(steps, dim), null, untilBreakdown);
            r.free();
            LanczosProcess.free(v);
            out.add(quadrature(r.alpha(), r.beta(), r.n(), r.breakdown() && r.n() < Math.min(steps, dim)));
        }
        return out;
    }

    /** Gauss quadrature of T(alpha, beta[0..n-1), n): its eigenvalues and squared first eigenvector components. */
    static Quadrature quadrature(double[] alpha, double[] beta, int n, boolean breakdown) {
        double[] nodes = new double[n];
        double[] weights = new double[n];
        if (n == 1) {
            nodes[0] = alpha[0];
            weights[0] = 1.0;
            return new Quadrature(nodes, weights, 1, breakdown);
        }
        LanczosProcess.TridiagonalEigen eig = LanczosProcess.TridiagonalEigen.of(alpha, beta, n);
        for (int i = 0; i < n; i++) {
            nodes[i] = eig.values()[i];
            double first = eig.vectors()[i][0];
            weights[i] = first * first;
        }
        return new Quadrature(nodes, weights, n, breakdown);
    }

    private static INDArray probe(SplittableRandom rng, int dim, Probe kind) {
        double[] g = new double[dim];
        if (kind == Probe.RADEMACHER) {
            HutchinsonTrace.rademacher(rng, g);
            return Nd4j.createFromArray(g).divi(Math.sqrt(dim));
        }
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            g[i] = rng.nextGaussian();
            sq += g[i] * g[i];
        }
        if (!(sq > 0)) throw new IllegalStateException("Gaussian probe is zero");
        return Nd4j.createFromArray(g).divi(Math.sqrt(sq));
    }
}
