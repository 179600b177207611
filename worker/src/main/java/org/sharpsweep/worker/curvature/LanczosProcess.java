package org.sharpsweep.worker.curvature;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Lanczos recurrence with full re-orthogonalization from a given unit start vector, producing
 * the tridiagonal T = tridiag(beta, alpha, beta) for {@link Lanczos#top}, {@link Lanczos#topK} and
 * {@link StochasticLanczosQuadrature}: classical Gram-Schmidt
 * twice against the stored basis by two gemv-style {@link Nd4j#gemm} products per pass,
 * alpha_k = v_k^T A v_k, beta_k = ||w||, and the breakdown test beta_k at most
 * {@link Lanczos#BREAKDOWN_RTOL} max_j ||A v_j||.
 *
 * <p>After each step a {@link Rule} sees alpha[0..n), beta[0..n) (beta[n-1] the norm of the new
 * residual vector) and decides. At a breakdown the run either stops or, if the rule asks for it
 * and fewer than dim vectors are stored, restarts: a Gaussian vector from {@code restartRng} is
 * orthogonalized twice against the basis, normalized, and the recurrence goes on from it with
 * beta[n-1] set to 0, so T becomes block diagonal, each block the tridiagonal of one invariant
 * Krylov subspace. Not thread-safe per call; no state is shared between calls.
 */
final class LanczosProcess {

    private static final int INITIAL_ROWS = 32;
    /** A restart vector keeping less than this fraction of its norm lies in the basis' span. */
    private static final double RESTART_MIN_NORM = 1e-8;

    enum Decision { STOP, CONTINUE }

    /** Decides after each step; {@code breakdown} says beta[n-1] is at rounding level. */
    interface Rule {
        Decision after(double[] alpha, double[] beta, int n, boolean breakdown, int blockStart);
    }

    /**
     * @param alpha      diagonal of T, length n
     * @param beta       beta[0..n-2] the off-diagonal of T (0 where a restart joined two blocks),
     *                   beta[n-1] the norm of the last residual vector (0 when the run ended by a
     *                   breakdown set to it, else the value reached)
     * @param n          steps done = operator products
     * @param breakdown  the run ended at a breakdown (an invariant subspace) rather than by the rule or the cap
     */
    record Result(double[] alpha, double[] beta, int n, boolean breakdown, INDArray basis) {
        /** The Ritz vector sum_i y_i v_i of the coefficients {@code y} (length n) in the stored basis. */
        INDArray ritzVector(double[] y) {
            int dim = (int) basis.columns();
            INDArray ritz = Nd4j.create(DataType.DOUBLE, dim);
            Nd4j.gemm(basis.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()), Nd4j.createFromArray(y).reshape(n, 1),
                    ritz.reshape(dim, 1), true, false, 1.0, 0.0);
            return ritz;
        }

        /**
         * Frees the basis' native memory now: up to limit x dim doubles that the garbage collector,
         * seeing only a small Java object, would leave allocated for long (every measurement runs
         * Lanczos several times). The basis must not be used after.
         */
        void free() {
            LanczosProcess.free(basis);
        }
    }

    private LanczosProcess() {
    }

    /**
     * The full eigendecomposition of the tridiagonal T(alpha, beta[0..n-1), n) (Commons Math's
     * QL on the tridiagonal; orthonormal eigenvectors even within clusters), largest eigenvalue
     * first: {@code values[j]} and its unit eigenvector {@code vectors[j]} (length n).
     */
    record TridiagonalEigen(double[] values, double[][] vectors) {
        static TridiagonalEigen of(double[] alpha, double[] beta, int n) {
            if (n == 1) return new TridiagonalEigen(new double[] {alpha[0]}, new double[][] {{1.0}});
            org.apache.commons.math3.linear.EigenDecomposition ed = new org.apache.commons.math3.linear.EigenDecomposition(
                    java.util.Arrays.copyOf(alpha, n), java.util.Arrays.copyOf(beta, n - 1));
            double[] raw = ed.getRealEigenvalues();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[y], raw[x]));
            org.apache.commons.math3.linear.RealMatrix v = ed.getV();
            double[] values = new double[n];
            double[][] vectors = new double[n][];
            for (int j = 0; j < n; j++) {
                values[j] = raw[order[j]];
                vectors[j] = v.getColumn(order[j]);
            }
            return new TridiagonalEigen(values, vectors);
        }
    }

    static Result run(SymmetricOperator a, int dim, INDArray start, int limit, SplittableRandom restartRng, Rule rule) {
        INDArray basis = Nd4j.create(DataType.DOUBLE, Math.min(limit, INITIAL_ROWS), dim);
        INDArray v = start.dup();
        INDArray w = Nd4j.create(DataType.DOUBLE, dim);
        INDArray wCol = w.reshape(dim, 1);
        INDArray coef = Nd4j.create(DataType.DOUBLE, limit, 1);
        double[] alpha = new double[limit];
        double[] beta = new double[limit];
        double normBound = 0;
        int n = 0;
        int blockStart = 0;
        boolean brokeDown = false;
        while (true) {
            final int k = n;
            if (k == basis.rows()) basis = grow(basis, Math.min(limit, 2 * k));
            basis.getRow(k).assign(v);
            a.apply(v, w);
            double normAv = w.norm2Number().doubleValue();
            if (!Double.isFinite(normAv)) {
                throw new IllegalStateException("operator product " + (k + 1) + " is not finite (||A v|| = " + normAv + ")");
            }
            normBound = Math.max(normBound, normAv);
            INDArray vk = basis.get(NDArrayIndex.interval(0, k + 1), NDArrayIndex.all());
            INDArray c = coef.get(NDArrayIndex.interval(0, k + 1), NDArrayIndex.all());
            double ak = 0;
            for (int pass = 0; pass < 2; pass++) {
                Nd4j.gemm(vk, wCol, c, false, false, 1.0, 0.0);
                Nd4j.gemm(vk, c, wCol, true, false, -1.0, 1.0);
                ak += c.getDouble(k, 0);
            }
            alpha[k] = ak;
            double bk = w.norm2Number().doubleValue();
            beta[k] = bk;
            n = k + 1;
            boolean breakdown = bk <= Lanczos.BREAKDOWN_RTOL * normBound;
            Decision decision = rule.after(alpha, beta, n, breakdown, blockStart);
            if (decision == Decision.STOP || n == limit || n == dim) {
                brokeDown = breakdown;
                break;
            }
            if (breakdown) {
                if (restartRng == null) {
                    brokeDown = true;
                    break;
                }
                double norm = orthogonalRestart(restartRng, dim, basis.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()),
                        w, wCol, coef.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
                if (!(norm > RESTART_MIN_NORM)) {
                    brokeDown = true;
                    break;
                }
                beta[k] = 0;
                blockStart = n;
                v.assign(w).divi(norm);
            } else {
                v.assign(w).divi(bk);
            }
        }
        free(v);
        free(w);
        free(coef);
        return new Result(java.util.Arrays.copyOf(alpha, n), java.util.Arrays.copyOf(beta, n), n, brokeDown, basis);
    }

    /** w := a unit Gaussian vector minus its projection on the basis (twice); returns ||w||. */
    private static double orthogonalRestart(SplittableRandom rng, int dim, INDArray basis, INDArray w, INDArray wCol,
            INDArray c) {
        double[] g = new double[dim];
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            g[i] = rng.nextGaussian();
            sq += g[i] * g[i];
        }
        w.assign(Nd4j.createFromArray(g)).divi(Math.sqrt(sq));
        for (int pass = 0; pass < 2; pass++) {
            Nd4j.gemm(basis, wCol, c, false, false, 1.0, 0.0);
            Nd4j.gemm(basis, c, wCol, true, false, -1.0, 1.0);
        }
        return w.norm2Number().doubleValue();
    }

    private static INDArray grow(INDArray basis, int rows) {
        INDArray bigger = Nd4j.create(DataType.DOUBLE, rows, basis.columns());
        bigger.get(NDArrayIndex.interval(0, basis.rows()), NDArrayIndex.all()).assign(basis);
        free(basis);
        return bigger;
    }

    /** Releases an array's native memory now, where ND4J allows it (not a view, not in a workspace). */
    static void free(INDArray a) {
        if (a != null && a.closeable()) a.close();
    }
}
