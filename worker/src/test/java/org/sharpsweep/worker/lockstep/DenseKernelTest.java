package org.sharpsweep.worker.lockstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.Mlp;

/**
 * The kernel against two oracles: {@link Mlp}, the engine's ND4J network (an independent
 * implementation through BLAS products, itself tested against dense Hessians and PyTorch), to
 * rounding; and a central difference of the kernel's own gradient for its Hessian-vector product.
 */
class DenseKernelTest {
    /** Two implementations of the same sums in float64: rounding only, a few ulps of the terms' size. */
    static final double SAME_MATH = 1e-12;
    /** Central difference, h = 1e-5: truncation ~h^2, rounding ~eps/h. */
    static final double FD_TOL = 1e-6;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of(0, 1, Activation.RELU, Init.DEFAULT, Loss.MSE, 3),
                Arguments.of(1, 7, Activation.RELU, Init.DEFAULT, Loss.MSE, 1),
                Arguments.of(1, 7, Activation.TANH, Init.DEFAULT, Loss.HALF_SSE, 2),
                Arguments.of(2, 6, Activation.TANH, Init.MEAN_FIELD, Loss.MSE, 3),
                Arguments.of(2, 5, Activation.RELU, Init.XAVIER, Loss.XENT, 4),
                Arguments.of(1, 8, Activation.TANH, Init.DEFAULT, Loss.XENT, 3),
                Arguments.of(3, 4, Activation.RELU, Init.MEAN_FIELD, Loss.XENT, 2));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void lossGradientHvpAndOutputBackpropEqualTheNd4jNetwork(int depth, int width, Activation act, Init init, Loss loss, int outputs) {
        long seed = 31L * depth + width + act.ordinal() * 7L + loss.ordinal();
        SplittableRandom rng = new SplittableRandom(seed);
        int inputs = 5, m = 9;
        Mlp mlp = new Mlp(inputs, depth, width, outputs, act, init, loss);
        DenseKernel k = new DenseKernel(mlp, false);
        assertEquals(mlp.numParams(), k.numParams, "layout");
        INDArray theta = mlp.initParams(seed);
        INDArray x = random(rng, m, inputs);
        INDArray y = loss == Loss.XENT ? oneHot(rng, m, outputs) : random(rng, m, outputs);
        double[] t = theta.toDoubleVector(), xs = x.data().asDouble(), ys = y.dup('c').data().asDouble();
        int p = mlp.numParams();

        INDArray grad = Nd4j.create(DataType.DOUBLE, p);
        double expectedLoss = mlp.lossAndGradient(theta, x, y, grad);
        double[] g = new double[p];
        double got = k.lossAndGradient(t, xs, ys, m, g);
        assertEquals(expectedLoss, got, SAME_MATH * Math.max(1, Math.abs(expectedLoss)), "loss (seed " + seed + ")");
        assertClose(grad.toDoubleVector(), g, "gradient (seed " + seed + ")");

        INDArray v = random(rng, 1, p).reshape(p);
        INDArray hv = Nd4j.create(DataType.DOUBLE, p);
        mlp.hvp(theta, x, y, v, hv);
        double[] out = new double[p];
        k.hvp(t, xs, ys, m, v.toDoubleVector(), out);
        assertClose(hv.toDoubleVector(), out, "H v (seed " + seed + ")");

        INDArray outGrad = random(rng, m, outputs);
        INDArray back = Nd4j.create(DataType.DOUBLE, p);
        mlp.backpropOutputGradient(theta, x, outGrad, back);
        double[] kb = new double[p];
        k.backpropOutputGradient(t, xs, outGrad.dup('c').data().asDouble(), m, kb);
        assertClose(back.toDoubleVector(), kb, "J^T g (seed " + seed + ")");

        INDArray linear = Nd4j.create(DataType.DOUBLE, p);
        mlp.hvpOutputLinear(theta, x, outGrad, v, linear);
        double[] kl = new double[p];
        k.hvpOutputLinear(t, xs, outGrad.dup('c').data().asDouble(), m, v.toDoubleVector(), kl);
        assertClose(linear.toDoubleVector(), kl, "output-linear H v (seed " + seed + ")");

        INDArray sumHv = Nd4j.create(DataType.DOUBLE, p), sumHHv = Nd4j.create(DataType.DOUBLE, p);
        mlp.perSampleMoments(theta, x, y, v, sumHv, sumHHv);
        double[] kHv = new double[p], kHHv = new double[p];
        k.perSampleMoments(t, xs, ys, m, v.toDoubleVector(), kHv, kHHv);
        assertClose(sumHv.toDoubleVector(), kHv, "sum_i H_i v (seed " + seed + ")");
        assertClose(sumHHv.toDoubleVector(), kHHv, "sum_i H_i H_i v (seed " + seed + ")");
    }

    /** H v against a central difference of the kernel's own gradient: (g(theta + h v) - g(theta - h v)) / 2h. */
    @ParameterizedTest
    @MethodSource("networks")
    void hvpIsTheDerivativeOfTheGradient(int depth, int width, Activation act, Init init, Loss loss, int outputs) {
        long seed = 5L + depth * 13L + width;
        SplittableRandom rng = new SplittableRandom(seed);
        int inputs = 4, m = 6;
        Mlp mlp = new Mlp(inputs, depth, width, outputs, act, init, loss);
        DenseKernel k = new DenseKernel(mlp, false);
        double[] t = mlp.initParams(seed).toDoubleVector();
        double[] xs = random(rng, m, inputs).data().asDouble();
        double[] ys = (loss == Loss.XENT ? oneHot(rng, m, outputs) : random(rng, m, outputs)).dup('c').data().asDouble();
        int p = t.length;
        double[] v = random(rng, 1, p).data().asDouble();
        double[] hv = new double[p];
        k.hvp(t, xs, ys, m, v, hv);
        double h = 1e-5;
        double[] plus = t.clone(), minus = t.clone(), gp = new double[p], gm = new double[p];
        for (int i = 0; i < p; i++) {
            plus[i] += h * v[i];
            minus[i] -= h * v[i];
        }
        k.lossAndGradient(plus, xs, ys, m, gp);
        k.lossAndGradient(minus, xs, ys, m, gm);
        double scale = 0;
        for (double value : hv) scale = Math.max(scale, Math.abs(value));
        for (int i = 0; i < p; i++) {
            double fd = (gp[i] - gm[i]) / (2 * h);
            assertEquals(fd, hv[i], FD_TOL * Math.max(1, scale), "component " + i + " (seed " + seed + ")");
        }
    }

    /** float32: the kernel's loss and gradient equal the float32 ND4J network's to float rounding, and are float values. */
    @Test
    void float32ArithmeticStaysInFloat() {
        long seed = 77;
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp mlp = new Mlp(6, 2, 10, 3, Activation.TANH, Init.DEFAULT, Loss.XENT);
        DenseKernel k = new DenseKernel(mlp, true);
        INDArray theta = mlp.initParams(seed).castTo(DataType.FLOAT);
        INDArray x = random(rng, 8, 6).castTo(DataType.FLOAT);
        INDArray y = oneHot(rng, 8, 3).castTo(DataType.FLOAT);
        Mlp f = mlp.withDataType(DataType.FLOAT);
        INDArray grad = Nd4j.create(DataType.FLOAT, mlp.numParams());
        double expected = f.lossAndGradient(theta, x, y, grad);
        double[] g = new double[mlp.numParams()];
        double got = k.lossAndGradient(theta.toDoubleVector(), x.dup('c').data().asDouble(), y.dup('c').data().asDouble(), 8, g);
        assertEquals(expected, got, 1e-5 * Math.abs(expected));
        double[] e = grad.toDoubleVector();
        for (int i = 0; i < g.length; i++) {
            assertEquals(e[i], g[i], 1e-5, "component " + i);
            assertEquals(g[i], (double) (float) g[i], 0.0, "component " + i + " is a float value");
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= SAME_MATH * Math.max(1, scale),
                    what + ": component " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }

    static INDArray random(SplittableRandom rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1, 1);
        return Nd4j.createFromArray(v).reshape('c', rows, cols);
    }

    static INDArray oneHot(SplittableRandom rng, int rows, int classes) {
        double[] v = new double[rows * classes];
        for (int i = 0; i < rows; i++) v[i * classes + rng.nextInt(classes)] = 1;
        return Nd4j.createFromArray(v).reshape('c', rows, classes);
    }
}
