package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.model.Mlp;

/**
 * The curvature operators against dense matrices of a tiny network: every per-sample Hessian
 * H_i assembled column by column from single-sample products H_i e_j, then H = mean H_i,
 * Sigma = mean H_i^2 - H^2 and the stability matrix (I - lr H)^2 + lr^2 (n-B)/(B(n-1)) Sigma,
 * eigen-decomposed by commons-math3 (docs/science.md's oracle).
 */
class CurvatureTest {
    /** Operator products against dense products: rounding of a few hundred flops. */
    static final double PRODUCT_TOL = 1e-10;
    /** Lanczos to 1e-10 on a 26..60-dimensional operator: eigenvalues to ~1e-9 relative. */
    static final double EIGEN_TOL = 1e-8;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "{0} {1} depth {2}, sigma on {3} of 7 samples")
    @CsvSource({"TANH, MSE, 1, 7", "RELU, XENT, 1, 7", "TANH, HALF_SSE, 2, 4", "TANH, XENT, 0, 7"})
    void operatorsAndEigenvaluesMatchDenseMatrices(Activation act, Loss loss, int depth, int samples) {
        long seed = 20261122L + depth;
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 7, d = 3, k = 2;
        Mlp model = new Mlp(d, depth, 4, k, act, Init.DEFAULT, loss);
        INDArray theta = model.initParams(seed);
        INDArray x = gaussian(rng, n, d);
        INDArray y = loss == Loss.XENT ? oneHot(rng, n, k) : gaussian(rng, n, k);
        int p = model.numParams();

        RealMatrix[] hi = new RealMatrix[n];
        for (int i = 0; i < n; i++) {
            INDArray xi = row(x, i);
            INDArray yi = row(y, i);
            hi[i] = dense(p, (v, out) -> model.hvp(theta, xi, yi, v, out));
        }
        RealMatrix h = mean(hi, n);
        RealMatrix hs = mean(hi, samples);
        RealMatrix sigma = MatrixUtils.createRealMatrix(p, p);
        for (int i = 0; i < samples; i++) sigma = sigma.add(hi[i].multiply(hi[i]));
        sigma = sigma.scalarMultiply(1.0 / samples).subtract(hs.multiply(hs));

        Curvature c = new Curvature(model, theta, x, y, samples);
        assertClose(h, dense(p, c.hessian()), PRODUCT_TOL, "H", seed);
        assertClose(sigma, dense(p, c.sigma()), PRODUCT_TOL, "Sigma", seed);

        double lr = 0.3;
        int b = 2;
        double cB = (double) (n - b) / (b * (n - 1));
        RealMatrix iMinus = MatrixUtils.createRealIdentityMatrix(p).subtract(h.scalarMultiply(lr));
        RealMatrix stab = iMinus.multiply(iMinus).add(sigma.scalarMultiply(lr * lr * cB));
        assertClose(stab, dense(p, c.stability(lr, b)), PRODUCT_TOL, "stability", seed);

        // Sigma is symmetric positive semi-definite; so is the stability matrix
        double[] sigmaEig = eigenvalues(sigma);
        assertTrue(sigmaEig[0] > -1e-10 * Math.abs(sigmaEig[p - 1]), "Sigma PSD, smallest " + sigmaEig[0] + ", seed " + seed);

        EigenEstimate a = Lanczos.top(c.hessian(), p, 1e-10, p, 1);
        assertEquals(max(eigenvalues(h)), a.value(), EIGEN_TOL * Math.abs(a.value()), "sharpness, seed " + seed);
        EigenEstimate s = Lanczos.top(c.sigma(), p, 1e-10, p, 2);
        assertEquals(max(sigmaEig), s.value(), EIGEN_TOL * Math.abs(s.value()), "lambda_max(Sigma), seed " + seed);
        EigenEstimate st = Lanczos.top(c.stability(lr, b), p, 1e-10, p, 3);
        assertEquals(max(eigenvalues(stab)), st.value(), EIGEN_TOL * st.value(), "stability, seed " + seed);
    }

    @ParameterizedTest(name = "full batch: no Sigma term ({0})")
    @CsvSource({"0.5"})
    void fullBatchStabilityIsTheSquaredGdOperator(double lr) {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 6;
        Mlp model = new Mlp(2, 1, 3, 1, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(5);
        INDArray x = gaussian(rng, n, 2);
        INDArray y = gaussian(rng, n, 1);
        Curvature c = new Curvature(model, theta, x, y, n);
        int p = model.numParams();
        RealMatrix h = dense(p, c.hessian());
        RealMatrix m = MatrixUtils.createRealIdentityMatrix(p).subtract(h.scalarMultiply(lr));
        assertClose(m.multiply(m), dense(p, c.stability(lr, n)), PRODUCT_TOL, "(I - lr H)^2", 5);
    }

    /**
     * The penalized objective's Hessian-vector product against a central difference of its
     * gradient, grad L + lambda theta (l2) or grad L + J^T G (darc1, G its output gradient).
     */
    @ParameterizedTest(name = "penalized Hessian, {0}")
    @CsvSource({"L2", "DARC1"})
    void penalizedHessianMatchesFiniteDifferencesOfThePenalizedGradient(org.sharpsweep.sweeps.PenaltyKind kind) {
        long seed = 31;
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = new Mlp(3, 1, 5, 3, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(seed);
        INDArray x = gaussian(rng, 8, 3);
        INDArray y = gaussian(rng, 8, 3);
        double lambda = 0.4;
        var penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind).with(Setting.PENALTY_COEF, lambda).penalty();
        int p = model.numParams();
        java.util.function.Function<INDArray, INDArray> gradient = t -> {
            INDArray g = Nd4j.create(DataType.DOUBLE, p);
            model.lossAndGradient(t, x, y, g);
            if (kind == org.sharpsweep.sweeps.PenaltyKind.L2) {
                g.addi(t.mul(lambda));
            } else {
                INDArray pg = Nd4j.create(DataType.DOUBLE, p);
                model.backpropOutputGradient(t, x,
                        org.sharpsweep.worker.train.Darc1.outputGradient(model.predict(t, x), lambda), pg);
                g.addi(pg);
            }
            return g;
        };
        INDArray v = gaussian(rng, 1, p).reshape(p);
        double h = 1e-5;
        INDArray fd = gradient.apply(theta.add(v.mul(h))).sub(gradient.apply(theta.sub(v.mul(h)))).div(2 * h);
        INDArray out = Nd4j.create(DataType.DOUBLE, p);
        new Curvature(model, theta, x, y, 8).penalizedHessian(penalty).apply(v, out);
        double err = fd.sub(out).norm2Number().doubleValue() / fd.norm2Number().doubleValue();
        assertTrue(err < 1e-6, kind + ": relative error " + err + " (seed " + seed + ")");
        // the penalty's own curvature is really in there
        INDArray plain = Nd4j.create(DataType.DOUBLE, p);
        model.hvp(theta, x, y, v, plain);
        assertTrue(plain.sub(out).norm2Number().doubleValue() > 1e-3 * out.norm2Number().doubleValue());
    }

    /** Passes over chunks of rows (large n) give the operators of one pass over all rows, to rounding. */
    @ParameterizedTest(name = "chunked passes, {0}")
    @CsvSource({"NONE", "L2", "DARC1"})
    void chunkedPassesEqualOnePass(org.sharpsweep.sweeps.PenaltyKind kind) {
        long seed = 37;
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = new Mlp(3, 2, 5, 3, Activation.TANH, Init.DEFAULT, Loss.XENT);
        INDArray theta = model.initParams(seed);
        int n = 23;
        INDArray x = gaussian(rng, n, 3);
        INDArray y = Nd4j.create(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) y.putScalar(i, i % 3, 1.0);
        var penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind)
                .with(Setting.PENALTY_COEF, kind == org.sharpsweep.sweeps.PenaltyKind.NONE ? 0 : 0.3).penalty();
        Curvature one = new Curvature(model, theta, x, y, 17);
        Curvature chunked = new Curvature(model, theta, x, y, 17, 5); // 5+5+5+5+3 rows, Sigma on 5+5+5+2
        INDArray v = gaussian(rng, 1, one.dim()).reshape(one.dim());
        List<String> names = List.of("hessian", "penalized", "sigma", "stability");
        List<SymmetricOperator> a = List.of(one.hessian(), one.penalizedHessian(penalty), one.sigma(), one.stability(0.3, 4));
        List<SymmetricOperator> b = List.of(chunked.hessian(), chunked.penalizedHessian(penalty), chunked.sigma(),
                chunked.stability(0.3, 4));
        for (int k = 0; k < names.size(); k++) {
            INDArray outA = Nd4j.create(DataType.DOUBLE, one.dim());
            INDArray outB = Nd4j.create(DataType.DOUBLE, one.dim());
            a.get(k).apply(v, outA);
            b.get(k).apply(v, outB);
            double err = outA.sub(outB).norm2Number().doubleValue() / outA.norm2Number().doubleValue();
            assertTrue(err < 1e-12, names.get(k) + ": relative difference " + err);
        }
    }

    static RealMatrix dense(int p, SymmetricOperator op) {
        double[][] a = new double[p][p];
        for (int j = 0; j < p; j++) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, p);
            e.putScalar(j, 1.0);
            INDArray col = Nd4j.create(DataType.DOUBLE, p);
            op.apply(e, col);
            for (int i = 0; i < p; i++) a[i][j] = col.getDouble(i);
        }
        return new Array2DRowRealMatrix(a, false);
    }

    static RealMatrix mean(RealMatrix[] m, int count) {
        RealMatrix s = MatrixUtils.createRealMatrix(m[0].getRowDimension(), m[0].getColumnDimension());
        for (int i = 0; i < count; i++) s = s.add(m[i]);
        return s.scalarMultiply(1.0 / count);
    }

    static double[] eigenvalues(RealMatrix m) {
        RealMatrix sym = m.add(m.transpose()).scalarMultiply(0.5);
        double[] ev = new EigenDecomposition(sym).getRealEigenvalues();
        Arrays.sort(ev);
        return ev;
    }

    static double max(double[] sorted) {
        return sorted[sorted.length - 1];
    }

    static void assertClose(RealMatrix expected, RealMatrix actual, double tol, String what, long seed) {
        double scale = Math.max(1e-300, expected.getNorm());
        double err = expected.subtract(actual).getNorm() / scale;
        assertTrue(err <= tol, what + ": relative error " + err + " > " + tol + " (seed " + seed + ")");
    }

    static INDArray row(INDArray m, int i) {
        return m.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    static INDArray gaussian(SplittableRandom rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1.5, 1.5);
        return Nd4j.create(v, new long[]{rows, cols}, DataType.DOUBLE);
    }

    static INDArray oneHot(SplittableRandom rng, int rows, int k) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, k);
        for (int i = 0; i < rows; i++) y.putScalar(i, rng.nextInt(k), 1.0);
        return y;
    }
}
