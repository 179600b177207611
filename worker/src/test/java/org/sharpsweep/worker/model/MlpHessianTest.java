package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.model.ModelTestSupport.basis;
import static org.sharpsweep.worker.model.ModelTestSupport.denseHessian;
import static org.sharpsweep.worker.model.ModelTestSupport.directionalDifference;
import static org.sharpsweep.worker.model.ModelTestSupport.gradientOf;
import static org.sharpsweep.worker.model.ModelTestSupport.relativeError;
import static org.sharpsweep.worker.model.ModelTestSupport.zerosLike;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.ModelTestSupport.Problem;

/** Exact Hessian-vector products against finite differences, dense Hessians and a closed form. */
class MlpHessianTest {

    /** Central-difference step for gradients along a unit direction. */
    private static final double FD_STEP = 1e-5;
    /** Required agreement of H v with the central difference of the gradient (relative, in norm). */
    private static final double HVP_TOLERANCE = 1e-6;
    /** Asymmetry allowed in an exact Hessian: round-off only (relative to max |H_jk|). */
    private static final double SYMMETRY_TOLERANCE = 1e-10;
    /** Agreement of two exact computations of the same product (round-off only). */
    private static final double EXACT_TOLERANCE = 1e-12;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    static Stream<Arguments> everyConfiguration() {
        return ModelTestSupport.everyConfiguration(300);
    }

    static Stream<Arguments> lossesAndActivations() {
        Stream.Builder<Arguments> all = Stream.builder();
        long seed = 500;
        for (Loss loss : Loss.values()) {
            for (Activation activation : Activation.values()) {
                for (int depth = 1; depth <= 2; depth++) {
                    all.add(Arguments.of(loss, activation, depth, seed++));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} depth {3} seed {4}")
    @MethodSource("everyConfiguration")
    void hvpMatchesCentralDifferenceOfTheGradient(Loss loss, Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 4, 3, 5, activation, init, loss);
        INDArray v = ModelTestSupport.gaussianVector(new Random(seed), p.mlp().numParams());
        v.divi(v.norm2Number());
        INDArray hv = zerosLike(p.mlp());

        p.mlp().hvp(p.theta(), p.x(), p.y(), v, hv);

        INDArray expected = directionalDifference(gradientOf(p), p.theta(), v, FD_STEP);
        double error = relativeError(hv, expected);
        assertTrue(error < HVP_TOLERANCE, p + ": relative error " + error);
    }

    /**
     * The dense Hessian built column by column from hvp(e_j) is symmetric, reproduces hvp on a
     * random v, and each column matches the central difference of the gradient along e_j.
     */
    @ParameterizedTest(name = "{0} {1} depth {2} seed {3}")
    @MethodSource("lossesAndActivations")
    void denseHessianIsSymmetricAndMatchesFiniteDifferences(Loss loss, Activation activation, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 2, depth, 3, 2, 4, activation, Init.DEFAULT, loss);
        int n = p.mlp().numParams();

        INDArray h = denseHessian(p);

        double scale = h.amaxNumber().doubleValue();
        double asymmetry = h.sub(h.transpose()).amaxNumber().doubleValue();
        assertTrue(asymmetry <= SYMMETRY_TOLERANCE * scale, p + ": asymmetry " + asymmetry + " of max " + scale);

        INDArray v = ModelTestSupport.gaussianVector(new Random(seed), n);
        INDArray hv = zerosLike(p.mlp());
        p.mlp().hvp(p.theta(), p.x(), p.y(), v, hv);
        INDArray denseTimesV = h.mmul(v.reshape(n, 1)).reshape(n);
        assertTrue(relativeError(hv, denseTimesV) < EXACT_TOLERANCE, p + ": H v differs from dense H times v");

        for (int j = 0; j < n; j++) {
            INDArray column = h.getColumn(j).dup();
            INDArray expected = directionalDifference(gradientOf(p), p.theta(), basis(n, j), FD_STEP);
            double error = column.sub(expected).norm2Number().doubleValue();
            double columnScale = Math.max(column.norm2Number().doubleValue(), scale);
            assertTrue(error < HVP_TOLERANCE * columnScale, p + ": column " + j + " error " + error + " of " + columnScale);
        }
    }

    /**
     * Linear model with mse, f = x W + b: l_i = (1/k) sum_j (x_i W[:,j] + b_j - y_ij)^2, so for
     * output j the block on (W[:,j], b_j) is 2/(n k) [X 1]^T [X 1], and blocks coupling two
     * different outputs are zero. In the layout, W[r,j] is at r k + j and b_j at d k + j.
     */
    @Test
    void linearModelWithMseHasTheClosedFormHessian() {
        int d = 3;
        int k = 2;
        int n = 6;
        Problem p = ModelTestSupport.problem(41, d, 0, 1, k, n, Activation.RELU, Init.DEFAULT, Loss.MSE);
        double[][] x = p.x().toDoubleMatrix();
        int params = d * k + k;
        double[][] expected = new double[params][params];
        for (int j = 0; j < k; j++) {
            for (int r = 0; r <= d; r++) {
                for (int s = 0; s <= d; s++) {
                    double sum = 0;
                    for (double[] row : x) {
                        double xr = r < d ? row[r] : 1.0;
                        double xs = s < d ? row[s] : 1.0;
                        sum += xr * xs;
                    }
                    int a = r < d ? r * k + j : d * k + j;
                    int b = s < d ? s * k + j : d * k + j;
                    expected[a][b] = 2.0 * sum / (n * k);
                }
            }
        }

        INDArray h = denseHessian(p);

        assertTrue(relativeError(h, Nd4j.createFromArray(expected)) < EXACT_TOLERANCE, "closed form " + p + "\n" + h);
    }

    /** hvp may write into the array that holds v (Lanczos reuses its vectors). */
    @Test
    void hvpMayOverwriteItsDirection() {
        Problem p = ModelTestSupport.problem(43, 3, 2, 4, 3, 5, Activation.TANH, Init.MEAN_FIELD, Loss.XENT);
        INDArray v = ModelTestSupport.gaussianVector(new Random(43), p.mlp().numParams());
        INDArray separate = zerosLike(p.mlp());
        p.mlp().hvp(p.theta(), p.x(), p.y(), v, separate);

        p.mlp().hvp(p.theta(), p.x(), p.y(), v, v);

        assertTrue(relativeError(v, separate) == 0.0, p.toString());
    }

    /**
     * Linear model with half-sse and one output: H = [X 1]^T [X 1] / n, so H e_0 (e_0 = the
     * weight of input 0) is (sum_i x_i0 [x_i0, x_i1, 1]) / n.
     */
    @Test
    void linearModelWithHalfSseHasTheClosedFormColumn() {
        Problem p = ModelTestSupport.problem(47, 2, 0, 1, 1, 3, Activation.TANH, Init.XAVIER, Loss.HALF_SSE);
        INDArray out = zerosLike(p.mlp());
        p.mlp().hvp(p.theta(), p.x(), p.y(), basis(3, 0), out);
        double[][] x = p.x().toDoubleMatrix();
        double[] expected = new double[3];
        for (double[] row : x) {
            expected[0] += row[0] * row[0] / 3;
            expected[1] += row[0] * row[1] / 3;
            expected[2] += row[0] / 3;
        }
        assertTrue(relativeError(out, Nd4j.createFromArray(expected)) < EXACT_TOLERANCE, out.toString());
    }
}
