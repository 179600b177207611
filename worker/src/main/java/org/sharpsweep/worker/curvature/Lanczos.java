package org.sharpsweep.worker.curvature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The algebraically largest eigenvalue of a symmetric operator by the Lanczos method with full
 * re-orthogonalization (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., chapter 10;
 * Parlett, <i>The Symmetric Eigenvalue Problem</i>).
 *
 * <p>Step k (0-based) computes w = A v_k, orthogonalizes w against every stored Lanczos vector
 * by classical Gram-Schmidt applied twice (Kahan's "twice is enough"; Giraud, Langou &amp;
 * Rozloznik 2005), as two gemv-style {@link Nd4j#gemm} products per pass against the basis
 * matrix, and sets alpha_k = v_k^T A v_k (both passes' coefficients), beta_k = ||w||,
 * v_{k+1} = w / beta_k. The
 * top eigenpair (theta, y) of the (k+1)x(k+1) tridiagonal T = tridiag(beta, alpha, beta) is
 * recomputed every step (bisection on Sturm counts for theta, inverse iteration for y: O(k)), and
 * the iteration stops as soon as the top Ritz pair's relative residual
 * |beta_k e_k^T y| / |theta| = ||A x - theta x|| / |theta|, x = V y, is at most tol.
 *
 * <p>Edge cases: when beta_k falls to rounding level relative to ||A|| (breakdown: the Krylov
 * space is an invariant subspace, for example a low-rank operator or dim products done) the Ritz
 * values are eigenvalues of A and the reported residual is the rounding-level one actually
 * reached. An eigenvalue of multiplicity m is found once (the Krylov space of one start vector
 * meets its eigenspace in one direction); its value is still right. With a Gaussian start vector
 * the start has a nonzero component along the top eigenvector with probability one.
 *
 * <p>Cost: k+1 operator products and O(k dim) flops for re-orthogonalization at step k; memory
 * holds up to min(maxIters, dim) Lanczos vectors of length dim (the basis grows by doubling).
 * Deterministic: the same arguments give bit-identical results on the same backend with the
 * same BLAS thread count (a threaded gemv may sum in a different order). Thread-safe as far as
 * the operator is: no state is shared between calls.
 */
public final class Lanczos {

    private static final double EPS = Math.ulp(1.0);
    /** beta_k at or below this multiple of max_j ||A v_j|| (a lower bound on ||A||) is a breakdown. */
    static final double BREAKDOWN_RTOL = 1e-12;
    /** Inverse-iteration solves for the tridiagonal eigenvector (theta is accurate to rounding). */
    private static final int INVERSE_ITERATION_SOLVES = 3;

    private Lanczos() {
    }

    /**
     * Top (algebraically largest) eigenvalue of {@code a}.
     *
     * @param a        the operator; called at most min(maxIters, dim) times
     * @param dim      dimension of the space, >= 1
     * @param tol      relative residual target in (0, 1); the documented default (docs/science.md) is 1e-4
     * @param maxIters cap on operator products, >= 1
     * @param seed     seed of the Gaussian start vector ({@link SplittableRandom})
     * @return the top Ritz value, its relative residual, the products used and whether
     *         residual <= tol; {@code converged = false} means the cap was hit (or a breakdown
     *         with theta at rounding level of ||A||) and the residual is the one reached
     * @throws IllegalArgumentException on a bad argument
     * @throws IllegalStateException    if the operator returns a non-finite product
     */
    public static EigenEstimate top(SymmetricOperator a, int dim, double tol, int maxIters, long seed) {
        validate(a, dim, tol, maxIters);
        return run(a, dim, tol, maxIters, gaussianUnit(dim, seed), false).estimate();
    }

    /**
     * As {@link #top}, also returning the unit Ritz vector x = V y of the top Ritz pair (one more
     * gemv over the basis), so that ||A x - theta x|| can be checked by the caller.
     */
    public static EigenEstimate.WithVector topWithVector(SymmetricOperator a, int dim, double tol, int maxIters,
            long seed) {
        validate(a, dim, tol, maxIters);
        Outcome outcome = run(a, dim, tol, maxIters, gaussianUnit(dim, seed), true);
        return new EigenEstimate.WithVector(outcome.estimate(), outcome.ritzVector());
    }

    /**
     * As {@link #topWithVector}, started from {@code start} instead of a random vector: a warm
     * start from the top eigenvector of a nearby operator (the previous measurement along a
     * training run) needs fewer products when the top eigenvector moved little. Any start with a
     * nonzero component along the top eigenvector converges to the top eigenvalue.
     *
     * @param start nonzero vector of length dim; not modified
     */
    public static EigenEstimate.WithVector topWithVector(SymmetricOperator a, int dim, double tol, int maxIters,
            INDArray start) {
        validate(a, dim, tol, maxIters);
        if (start == null || start.length() != dim) throw new IllegalArgumentException("start must have length dim = " + dim);
        double norm = start.norm2Number().doubleValue();
        if (!(norm > 0) || !Double.isFinite(norm)) throw new IllegalArgumentException("start must be nonzero and finite, norm " + norm);
        Outcome outcome = run(a, dim, tol, maxIters, start.div(norm), true);
        return new EigenEstimate.WithVector(outcome.estimate(), outcome.ritzVector());
    }

    /**
     * The top eigenvalue with its evidence that no larger one was missed.
     *
     * @param estimate the top Ritz value, its residual, and the products of every run together
     * @param vector   its unit Ritz vector
     * @param next     the top of the operator with that vector projected out: the next eigenvalue
     *                 down (to the same tolerance when the check converged), so that
     *                 (value - next) / |value| is the relative gap at the top of the spectrum
     * @param rounds   the runs that found a larger eigenvalue than the one before (0: the first run's was the top)
     */
    public record Checked(EigenEstimate estimate, INDArray vector, double next, int rounds) {
    }

    /** Corrections after which {@link #topChecked} stops checking (each costs two runs). */
    static final int MAX_CORRECTIONS = 2;

    /**
     * As {@link #topWithVector}, then checked: the residual test cannot tell a converged Ritz pair
     * of the top eigenvalue from one of the second when the two are close and the start vector
     * holds little of the top one's direction (the Ritz value then stops on the second, more than
     * tol below the top, with nothing to show it). So a second run, from a Gaussian of its own
     * stream, finds the top of P A P, P = I - x x^T projecting out the Ritz vector x found. Its
     * top Ritz value never exceeds lambda_max(P A P), so one above the first value (by more than
     * tol) proves a larger eigenvalue was missed: Lanczos on A then restarts from the check's Ritz
     * vector, which holds that direction, and the result is checked again (at most
     * {@link #MAX_CORRECTIONS} times). Otherwise the check's value is the next eigenvalue down,
     * {@link Checked#next}. Costs about twice the products of {@link #top}.
     *
     * @param seed seed of the first start vector; the checks start from Gaussians of {@code ~seed}, {@code ~seed + 1}, ...
     */
    public static Checked topChecked(SymmetricOperator a, int dim, double tol, int maxIters, long seed) {
        EigenEstimate.WithVector top = topWithVector(a, dim, tol, maxIters, seed);
        int products = top.estimate().iterations();
        if (dim == 1) return new Checked(top.estimate(), top.vector(), Double.NaN, 0);
        int rounds = 0;
        while (true) {
            INDArray x = top.vector();
            INDArray u = Nd4j.create(DataType.DOUBLE, dim);
            SymmetricOperator deflated = (v, out) -> { // P A P v, P = I - x x^T, in place
                u.assign(v);
                Nd4j.getBlasWrapper().axpy(-Nd4j.getBlasWrapper().dot(x, v), x, u);
                a.apply(u, out);
                Nd4j.getBlasWrapper().axpy(-Nd4j.getBlasWrapper().dot(x, out), x, out);
            };
            EigenEstimate.WithVector check = topWithVector(deflated, dim, tol, maxIters, ~seed + rounds);
            LanczosProcess.free(u);
            products += check.estimate().iterations();
            double value = top.estimate().value();
            boolean missed = check.estimate().value() > value + tol * Math.abs(value);
            if (!missed || rounds == MAX_CORRECTIONS) {
                EigenEstimate e = top.estimate();
                return new Checked(new EigenEstimate(e.value(), e.residual(), products, e.converged()), x,
                        check.estimate().value(), rounds);
            }
            rounds++;
            top = topWithVector(a, dim, tol, maxIters, check.vector());
            products += top.estimate().iterations();
        }
    }

    /**
     * The k algebraically largest eigenvalues of {@code a}, descending, each with its own relative
     * residual |beta_n e_n^T y_j| / |theta_j| = ||A x_j - theta_j x_j|| / |theta_j| (x_j = V y_j).
     *
     * <p>The same start vector and recurrence as {@link #top} ({@link LanczosProcess}); after every
     * step with n >= k the top k Ritz values of T are found by bisection on Sturm counts and their
     * tridiagonal eigenvectors by inverse iteration (O(k n) per step), and the run stops when all k
     * residuals are at most tol, or after min(maxIters, dim) products. With k = 1 it takes the
     * same steps as {@link #top} and gives the same value and residual, unless a breakdown occurs
     * first (then it restarts, below).
     *
     * <p>Multiplicity: one start vector's Krylov space meets an eigenspace in one direction, so
     * before any breakdown an eigenvalue of multiplicity m appears once among the Ritz values (a
     * second copy may emerge late from rounding). At a breakdown (an invariant subspace) the run
     * restarts from a Gaussian vector (drawn from {@code new SplittableRandom(~seed)}) orthogonal
     * to the basis, T becoming block diagonal; it stops at a later breakdown whose block added no
     * Ritz value among the top k, or once the new block's top Ritz pair and the top k have all
     * converged. So on small problems run to dim (a tiny network, a diagonal
     * operator) repeated eigenvalues are listed with their multiplicity; on large ones read the
     * list as the top k distinct eigenvalues unless the residuals say otherwise. A theta_j near 0
     * has a large relative residual by definition (see {@link EigenEstimate}) and may hold the run
     * to its cap.
     *
     * @param k        how many eigenvalues, in [1, dim]
     * @param maxIters cap on operator products, >= k
     * @return k estimates, largest first, all with {@code iterations} = the products of the run
     * @throws IllegalArgumentException on a bad argument (as {@link #top}, and k)
     * @throws IllegalStateException    if the operator returns a non-finite product
     */
    public static List<EigenEstimate> topK(SymmetricOperator a, int dim, int k, double tol, int maxIters, long seed) {
        validate(a, dim, tol, maxIters);
        if (k < 1 || k > dim) throw new IllegalArgumentException("k must be in [1, dim = " + dim + "], got " + k);
        if (maxIters < k) throw new IllegalArgumentException("maxIters must be >= k = " + k + ", got " + maxIters);
        LanczosProcess.Rule rule = (alpha, beta, n, breakdown, blockStart) -> {
            if (n < k) return LanczosProcess.Decision.CONTINUE;
            if (breakdown) {
                if (blockStart == 0) return LanczosProcess.Decision.CONTINUE;
                double blockTop = eigenvalueFromTop(Arrays.copyOfRange(alpha, blockStart, n),
                        Arrays.copyOfRange(beta, blockStart, n), n - blockStart, 0);
                double kth = eigenvalueFromTop(alpha, beta, n, k - 1);
                return blockTop < kth ? LanczosProcess.Decision.STOP : LanczosProcess.Decision.CONTINUE;
            }
            if (blockStart > 0) {
                // after a restart the new block's top Ritz value still rises: wait until it has converged
                double[] blockAlpha = Arrays.copyOfRange(alpha, blockStart, n);
                double[] blockBeta = Arrays.copyOfRange(beta, blockStart, n);
                if (!ritzPairs(blockAlpha, blockBeta, n - blockStart, 1, tol).get(0).converged()) {
                    return LanczosProcess.Decision.CONTINUE;
                }
            }
            for (EigenEstimate e : ritzPairs(alpha, beta, n, k, tol)) {
                if (!e.converged()) return LanczosProcess.Decision.CONTINUE;
            }
            return LanczosProcess.Decision.STOP;
        };
        LanczosProcess.Result r = LanczosProcess.run(a, dim, gaussianUnit(dim, seed), Math.min(maxIters, dim),
                new SplittableRandom(~seed), rule);
        r.free();
        List<EigenEstimate> top = ritzPairs(r.alpha(), r.beta(), r.n(), Math.min(k, r.n()), tol);
        if (top.size() < k) {
            // the whole space was exhausted by invariant subspaces of fewer than k steps: cannot
            // happen (n reaches dim >= k before the restart vector vanishes), guarded all the same
            throw new IllegalStateException("Lanczos produced " + top.size() + " Ritz values for k = " + k);
        }
        return top;
    }

    /** The top {@code count} Ritz values of T(alpha, beta, n) with residuals from beta[n-1]. */
    private static List<EigenEstimate> ritzPairs(double[] alpha, double[] beta, int n, int count, double tol) {
        List<EigenEstimate> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            double theta = eigenvalueFromTop(alpha, beta, n, j);
            double[] y = topEigenvector(alpha, beta, n, theta);
            double residual = relativeResidual(Math.abs(beta[n - 1] * y[n - 1]), theta);
            out.add(new EigenEstimate(theta, residual, n, residual <= tol));
        }
        return out;
    }

    /**
     * The (j+1)-th largest eigenvalue (j = 0 the largest) of the symmetric tridiagonal (alpha,
     * beta[0..n-1), n), by bisection on Sturm counts (LAPACK dlaebz's recurrence with its pivmin
     * safeguard) inside the Gershgorin interval: the smallest x with at least n - j eigenvalues
     * below it, to full double resolution or relative width 2 eps.
     */
    static double eigenvalueFromTop(double[] alpha, double[] beta, int n, int j) {
        if (n == 1) return alpha[0];
        double[] start = bisectionStart(alpha, beta, n);
        double lo = start[0], hi = start[1], pivmin = start[2];
        while (hi - lo > 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) + pivmin) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (countBelow(alpha, beta, n, mid, pivmin) >= n - j) hi = mid;
            else lo = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** The Gershgorin interval of T widened by its slack, and dlaebz's pivmin: {lo, hi, pivmin}. */
    private static double[] bisectionStart(double[] alpha, double[] beta, int n) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double maxBeta2 = 0;
        for (int i = 0; i < n; i++) {
            double left = i > 0 ? Math.abs(beta[i - 1]) : 0;
            double right = i < n - 1 ? Math.abs(beta[i]) : 0;
            lo = Math.min(lo, alpha[i] - left - right);
            hi = Math.max(hi, alpha[i] + left + right);
            if (i < n - 1) maxBeta2 = Math.max(maxBeta2, beta[i] * beta[i]);
        }
        double pivmin = Double.MIN_NORMAL * Math.max(1.0, maxBeta2);
        double slack = 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) + pivmin;
        return new double[] {lo - slack, hi + slack, pivmin};
    }

    /**
     * {@link #eigenvalueFromTop} for j = from, ..., from + 3 (those below n), the same bits: four
     * bisections side by side, each with its own interval and exactly its own arithmetic, their
     * Sturm recurrences interleaved so that the four chains of divisions overlap (a single
     * chain waits on each division). Entries for j >= n are NaN.
     */
    static double[] fourFromTop(double[] alpha, double[] beta, int n, int from) {
        double[] out = new double[4];
        if (n == 1) {
            java.util.Arrays.fill(out, Double.NaN);
            if (from == 0) out[0] = alpha[0];
            return out;
        }
        double[] start = bisectionStart(alpha, beta, n);
        double lo0 = start[0], hi0 = start[1], pivmin = start[2];
        double[] lo = {lo0, lo0, lo0, lo0}, hi = {hi0, hi0, hi0, hi0}, mid = new double[4];
        boolean[] active = new boolean[4];
        for (int c = 0; c < 4; c++) active[c] = from + c < n;
        int[] count = new int[4];
        while (true) {
            boolean any = false;
            for (int c = 0; c < 4; c++) {
                if (!active[c]) continue;
                if (!(hi[c] - lo[c] > 2 * EPS * Math.max(Math.abs(lo[c]), Math.abs(hi[c])) + pivmin)) {
                    active[c] = false;
                    continue;
                }
                mid[c] = 0.5 * (lo[c] + hi[c]);
                if (mid[c] <= lo[c] || mid[c] >= hi[c]) {
                    active[c] = false;
                    continue;
                }
                any = true;
            }
            if (!any) break;
            countBelow4(alpha, beta, n, mid, pivmin, count); // inactive chains' counts are not read
            for (int c = 0; c < 4; c++) {
                if (!active[c]) continue;
                if (count[c] >= n - (from + c)) hi[c] = mid[c];
                else lo[c] = mid[c];
            }
        }
        for (int c = 0; c < 4; c++) out[c] = from + c < n ? 0.5 * (lo[c] + hi[c]) : Double.NaN;
        return out;
    }

    /** {@link #countBelow} at four points x[0..3] into count[0..3], the four recurrences interleaved. */
    private static void countBelow4(double[] alpha, double[] beta, int n, double[] x, double pivmin, int[] count) {
        double x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        int c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        double q0 = alpha[0] - x0, q1 = alpha[0] - x1, q2 = alpha[0] - x2, q3 = alpha[0] - x3;
        if (Math.abs(q0) <= pivmin) q0 = -pivmin;
        if (Math.abs(q1) <= pivmin) q1 = -pivmin;
        if (Math.abs(q2) <= pivmin) q2 = -pivmin;
        if (Math.abs(q3) <= pivmin) q3 = -pivmin;
        if (q0 < 0) c0++;
        if (q1 < 0) c1++;
        if (q2 < 0) c2++;
        if (q3 < 0) c3++;
        for (int i = 1; i < n; i++) {
            double a = alpha[i], b = beta[i - 1];
            q0 = a - x0 - b * b / q0;
            q1 = a - x1 - b * b / q1;
            q2 = a - x2 - b * b / q2;
            q3 = a - x3 - b * b / q3;
            if (Math.abs(q0) <= pivmin) q0 = -pivmin;
            if (Math.abs(q1) <= pivmin) q1 = -pivmin;
            if (Math.abs(q2) <= pivmin) q2 = -pivmin;
            if (Math.abs(q3) <= pivmin) q3 = -pivmin;
            if (q0 < 0) c0++;
            if (q1 < 0) c1++;
            if (q2 < 0) c2++;
            if (q3 < 0) c3++;
        }
        count[0] = c0;
        count[1] = c1;
        count[2] = c2;
        count[3] = c3;
    }

    /** ritzVector is null unless asked for. */
    private record Outcome(EigenEstimate estimate, INDArray ritzVector) {
    }

    private static Outcome run(SymmetricOperator a, int dim, double tol, int maxIters, INDArray start,
            boolean wantVector) {
        validate(a, dim, tol, maxIters);
        // after each step: the top Ritz pair of T and its residual; stop at tol (a breakdown or the cap stop anyway)
        double[] theta = new double[1];
        double[][] y = new double[1][];
        double[] residual = {Double.NaN};
        LanczosProcess.Rule rule = (alpha, beta, n, breakdown, blockStart) -> {
            theta[0] = topEigenvalue(alpha, beta, n);
            y[0] = topEigenvector(alpha, beta, n, theta[0]);
            residual[0] = relativeResidual(beta[n - 1] * Math.abs(y[0][n - 1]), theta[0]);
            return residual[0] <= tol ? LanczosProcess.Decision.STOP : LanczosProcess.Decision.CONTINUE;
        };
        LanczosProcess.Result r = LanczosProcess.run(a, dim, start, Math.min(maxIters, dim), null, rule);
        EigenEstimate estimate = new EigenEstimate(theta[0], residual[0], r.n(), residual[0] <= tol);
        INDArray ritz = wantVector ? r.ritzVector(y[0]) : null;
        r.free();
        return new Outcome(estimate, ritz);
    }

    /** Argument checks shared with {@link PowerIteration}. */
    static void validate(SymmetricOperator a, int dim, double tol, int maxIters) {
        if (a == null) throw new IllegalArgumentException("operator must not be null");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (!(tol > 0 && tol < 1)) throw new IllegalArgumentException("tol must be in (0, 1), got " + tol);
        if (maxIters < 1) throw new IllegalArgumentException("maxIters must be >= 1, got " + maxIters);
    }

    /** A unit vector with i.i.d. standard normal direction drawn from {@code new SplittableRandom(seed)}. */
    static INDArray gaussianUnit(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[dim];
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            g[i] = rng.nextGaussian();
            sq += g[i] * g[i];
        }
        if (!(sq > 0)) throw new IllegalStateException("Gaussian start vector is zero for seed " + seed);
        INDArray v = Nd4j.createFromArray(g);
        return v.divi(Math.sqrt(sq));
    }

    /** numerator / |theta|, with 0/0 = 0 (A x = 0 exactly) and x/0 = +Infinity for x > 0. */
    static double relativeResidual(double numerator, double theta) {
        if (numerator == 0) return 0;
        return numerator / Math.abs(theta);
    }

    /**
     * Largest eigenvalue of the symmetric tridiagonal matrix with diagonal {@code alpha[0..n)} and
     * off-diagonal {@code beta[0..n-1)}, by bisection on Sturm counts (LAPACK dlaebz's recurrence
     * with its pivmin safeguard) inside the Gershgorin interval, to full double resolution or
     * relative width 2 eps. Backward stable: exact for a tridiagonal within a few ulps of the input.
     */
    static double topEigenvalue(double[] alpha, double[] beta, int n) {
        return eigenvalueFromTop(alpha, beta, n, 0);
    }

    /** Number of eigenvalues below x (the negative pivots of the LDL^T factorization of T - x I). */
    private static int countBelow(double[] alpha, double[] beta, int n, double x, double pivmin) {
        int count = 0;
        double q = alpha[0] - x;
        if (Math.abs(q) <= pivmin) q = -pivmin;
        if (q < 0) count++;
        for (int i = 1; i < n; i++) {
            q = alpha[i] - x - beta[i - 1] * beta[i - 1] / q;
            if (Math.abs(q) <= pivmin) q = -pivmin;
            if (q < 0) count++;
        }
        return count;
    }

    /**
     * Unit eigenvector of the tridiagonal (alpha, beta, n) for its eigenvalue theta, by inverse
     * iteration with the LU factorization with partial pivoting of (T - theta I) / ||T|| (LAPACK
     * dgttrf/dgttrs; an exactly zero pivot becomes eps, as dstein does) from a fixed pseudo-random
     * start. For an eigenvalue closer than about eps ||T|| to another the result lies in their
     * joint eigenspace, which is all the residual estimate needs.
     */
    static double[] topEigenvector(double[] alpha, double[] beta, int n, double theta) {
        if (n == 1) return new double[] {1.0};
        double scale = 0;
        for (int i = 0; i < n; i++) scale = Math.max(scale, Math.abs(alpha[i] - theta));
        for (int i = 0; i < n - 1; i++) scale = Math.max(scale, Math.abs(beta[i]));
        if (scale == 0) scale = 1;
        double[] d = new double[n];
        double[] du = new double[n - 1];
        double[] dl = new double[n - 1];
        double[] du2 = new double[Math.max(0, n - 2)];
        boolean[] swapped = new boolean[n - 1];
        for (int i = 0; i < n; i++) d[i] = (alpha[i] - theta) / scale;
        for (int i = 0; i < n - 1; i++) {
            du[i] = beta[i] / scale;
            dl[i] = beta[i] / scale;
        }
        for (int i = 0; i < n - 1; i++) {
            if (Math.abs(d[i]) >= Math.abs(dl[i])) {
                if (d[i] == 0) d[i] = EPS;
                double fact = dl[i] / d[i];
                dl[i] = fact;
                d[i + 1] -= fact * du[i];
            } else {
                double fact = d[i] / dl[i];
                d[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = d[i + 1];
                d[i + 1] = temp - fact * d[i + 1];
                if (i < n - 2) {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }
                swapped[i] = true;
            }
        }
        if (d[n - 1] == 0) d[n - 1] = EPS;

        SplittableRandom rng = new SplittableRandom(0x5EEDL);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) z[i] = rng.nextDouble(-1.0, 1.0);
        for (int solve = 0; solve < INVERSE_ITERATION_SOLVES; solve++) {
            for (int i = 0; i < n - 1; i++) {
                if (swapped[i]) {
                    double temp = z[i];
                    z[i] = z[i + 1];
                    z[i + 1] = temp - dl[i] * z[i];
                } else {
                    z[i + 1] -= dl[i] * z[i];
                }
            }
            z[n - 1] /= d[n - 1];
            z[n - 2] = (z[n - 2] - du[n - 2] * z[n - 1]) / d[n - 2];
            for (int i = n - 3; i >= 0; i--) z[i] = (z[i] - du[i] * z[i + 1] - du2[i] * z[i + 2]) / d[i];
            normalize(z);
        }
        return z;
    }

    private static void normalize(double[] z) {
        double max = 0;
        for (double x : z) max = Math.max(max, Math.abs(x));
        double sq = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] /= max;
            sq += z[i] * z[i];
        }
        double norm = Math.sqrt(sq);
        for (int i = 0; i < z.length; i++) z[i] /= norm;
    }
}
