package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.model.ModelTestSupport.basis;
import static org.sharpsweep.worker.model.ModelTestSupport.gaussian;
import static org.sharpsweep.worker.model.ModelTestSupport.gaussianVector;
import static org.sharpsweep.worker.model.ModelTestSupport.relativeError;

import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Pool;

/**
 * The convolutional family's derivatives against oracles that share none of its code: a plain-Java
 * NCHW forward pass ({@link ReferenceCnn}) and its central differences, dense Hessians, the
 * per-sample loop, the equivalent MLP. Inputs are redrawn until no relu and no max-pool window is
 * within {@link #KINK_MARGIN} of a kink, so differences never cross one.
 */
class CnnDerivativesTest {
    private static final double KINK_MARGIN = 1e-3;
    private static final double FD_STEP = 1e-5;
    /** Agreement with central differences (relative, in norm). */
    private static final double FD_TOLERANCE = 1e-6;
    /** Agreement of two exact computations of the same quantity: round-off only. */
    private static final double EXACT_TOLERANCE = 1e-12;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    /** A small network, its reference, parameters and data. */
    record Problem(Cnn cnn, ReferenceCnn reference, Loss loss, INDArray theta, INDArray x, INDArray y) {
        double referenceLoss(INDArray t) {
            double[][] f = reference.predict(t.toDoubleVector(), x.toDoubleMatrix(), null);
            return ModelTestSupport.ReferenceMlp.meanLoss(loss, f, y.toDoubleMatrix());
        }

        INDArray gradient(INDArray t) {
            INDArray g = Nd4j.create(DataType.DOUBLE, cnn.numParams());
            cnn.lossAndGradient(t, x, y, g);
            return g;
        }

        INDArray hvp(INDArray v) {
            INDArray out = Nd4j.create(DataType.DOUBLE, cnn.numParams());
            cnn.hvp(theta, x, y, v, out);
            return out;
        }

        @Override
        public String toString() {
            return cnn.toString();
        }
    }

    static Problem problem(long seed, Activation activation, Pool pool, Loss loss, Init init, int rows) {
        ImageShape shape = pool == Pool.NONE ? new ImageShape(2, 3, 4) : new ImageShape(2, 5, 5);
        int blocks = 2;
        int channels = 2;
        int kernel = 3;
        int depth = 1;
        int width = 3;
        int outputs = 3;
        Cnn cnn = new Cnn(shape, blocks, channels, kernel, pool, depth, width, outputs, activation, init, loss);
        ReferenceCnn reference = new ReferenceCnn(shape, blocks, channels, kernel, pool, depth, width, outputs, activation,
                cnn.outputScale());
        Random random = new Random(seed);
        INDArray theta = cnn.initParams(seed);
        double[] margin = new double[1];
        for (int attempt = 0; attempt < 1000; attempt++) {
            INDArray x = gaussian(random, rows, shape.size());
            reference.predict(theta.toDoubleVector(), x.toDoubleMatrix(), margin);
            if (margin[0] >= KINK_MARGIN) {
                return new Problem(cnn, reference, loss, theta, x, ModelTestSupport.targets(random, loss, rows, outputs));
            }
        }
        throw new IllegalStateException("no input away from the kinks for seed " + seed);
    }

    /** Every activation x pooling, each with its own loss and init so that all of them are covered. */
    static Stream<Arguments> configurations() {
        Stream.Builder<Arguments> all = Stream.builder();
        Loss[] losses = Loss.values();
        Init[] inits = Init.values();
        int i = 0;
        for (Activation activation : Activation.values()) {
            for (Pool pool : Pool.values()) {
                all.add(Arguments.of(activation, pool, losses[i % losses.length], inits[(i / 2) % inits.length], 1100L + i));
                i++;
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void lossAndOutputsEqualThePlainJavaNetwork(Activation activation, Pool pool, Loss loss, Init init, long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 4);
        double[][] expected = p.reference().predict(p.theta().toDoubleVector(), p.x().toDoubleMatrix(), null);
        INDArray f = p.cnn().predict(p.theta(), p.x());
        assertTrue(relativeError(f, Nd4j.createFromArray(expected)) < EXACT_TOLERANCE, p + ": outputs");
        assertEquals(p.referenceLoss(p.theta()), p.cnn().loss(p.theta(), p.x(), p.y()), 1e-13, p + ": loss");
        Model.Evaluation e = p.cnn().evaluate(p.theta(), p.x(), p.y());
        assertEquals(p.referenceLoss(p.theta()), e.loss(), 1e-13);
        assertTrue(relativeError(e.outputs(), f) == 0.0);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void gradientOfEveryLayerMatchesCentralDifferencesOfThePlainJavaLoss(Activation activation, Pool pool, Loss loss, Init init,
                                                                          long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 4);
        INDArray grad = Nd4j.create(DataType.DOUBLE, p.cnn().numParams());
        double l = p.cnn().lossAndGradient(p.theta(), p.x(), p.y(), grad);
        assertEquals(p.referenceLoss(p.theta()), l, 1e-13);
        INDArray expected = ModelTestSupport.centralDifference(p::referenceLoss, p.theta(), FD_STEP);
        LayerBlocks blocks = LayerBlocks.of(p.cnn());
        for (int j = 0; j < blocks.starts.length; j++) { // layer by layer, so that a small layer cannot hide in a large one
            INDArray got = blocks.block(grad, j);
            INDArray want = blocks.block(expected, j);
            double error = relativeError(got, want);
            assertTrue(error < FD_TOLERANCE, p + ": layer block " + j + " relative error " + error);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void hvpMatchesCentralDifferencesOfTheGradient(Activation activation, Pool pool, Loss loss, Init init, long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 4);
        INDArray v = gaussianVector(new Random(seed), p.cnn().numParams());
        v.divi(v.norm2Number());
        INDArray hv = p.hvp(v);
        INDArray expected = ModelTestSupport.directionalDifference(p::gradient, p.theta(), v, FD_STEP);
        double error = relativeError(hv, expected);
        assertTrue(error < FD_TOLERANCE, p + ": relative error " + error);
    }

    /** The dense Hessian of a tiny CNN: symmetric, H v column by column equal to hvp(v), columns equal to differences. */
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void denseHessianIsSymmetricAndEqualsHvp(Activation activation, Pool pool, Loss loss, Init init, long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 3);
        int n = p.cnn().numParams();
        INDArray h = Nd4j.create(DataType.DOUBLE, n, n);
        for (int j = 0; j < n; j++) {
            h.putColumn(j, p.hvp(basis(n, j)).reshape(n, 1));
        }
        double scale = Math.max(1e-300, Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(h))
                .getDouble(0));
        double asymmetry = h.sub(h.transpose()).amaxNumber().doubleValue() / scale;
        assertTrue(asymmetry < 1e-10, p + ": asymmetry " + asymmetry);
        INDArray v = gaussianVector(new Random(seed + 7), n);
        assertTrue(relativeError(h.mmul(v.reshape(n, 1)).reshape(n), p.hvp(v)) < EXACT_TOLERANCE, p + ": H v");
        for (int j : new int[] {0, n / 3, n / 2, n - 1}) {
            INDArray column = ModelTestSupport.directionalDifference(p::gradient, p.theta(), basis(n, j), FD_STEP);
            double error = relativeError(h.getColumn(j), column);
            assertTrue(error < FD_TOLERANCE, p + ": column " + j + " relative error " + error);
        }
    }

    /** The batched per-sample moments against the loop of one-row hvps, sums over the rows. */
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void perSampleMomentsBatchedEqualTheLoop(Activation activation, Pool pool, Loss loss, Init init, long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 5);
        int n = p.cnn().numParams();
        INDArray v = gaussianVector(new Random(seed + 3), n);
        INDArray sumHv = Nd4j.create(DataType.DOUBLE, n);
        INDArray sumHHv = Nd4j.create(DataType.DOUBLE, n);
        p.cnn().perSampleMoments(p.theta(), p.x(), p.y(), v, sumHv, sumHHv);
        INDArray loopHv = Nd4j.zeros(DataType.DOUBLE, n);
        INDArray loopHHv = Nd4j.zeros(DataType.DOUBLE, n);
        INDArray hv = Nd4j.create(DataType.DOUBLE, n);
        INDArray hhv = Nd4j.create(DataType.DOUBLE, n);
        for (int i = 0; i < p.x().rows(); i++) {
            INDArray xi = p.x().getRow(i, true).dup();
            INDArray yi = p.y().getRow(i, true).dup();
            p.cnn().hvp(p.theta(), xi, yi, v, hv);
            p.cnn().hvp(p.theta(), xi, yi, hv, hhv);
            loopHv.addi(hv);
            loopHHv.addi(hhv);
        }
        assertTrue(relativeError(sumHv, loopHv) < EXACT_TOLERANCE, p + ": sum H_i v, " + relativeError(sumHv, loopHv));
        assertTrue(relativeError(sumHHv, loopHHv) < EXACT_TOLERANCE, p + ": sum H_i H_i v, " + relativeError(sumHHv, loopHHv));
    }

    /** The output-gradient hooks of the penalties: sum_i J_i^T g_i and the curvature of sum_i g_i . f(x_i). */
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("configurations")
    void outputGradientHooksMatchDifferences(Activation activation, Pool pool, Loss loss, Init init, long seed) {
        Problem p = problem(seed, activation, pool, loss, init, 4);
        int n = p.cnn().numParams();
        INDArray g = gaussian(new Random(seed + 5), 4, 3);
        double[][] gm = g.toDoubleMatrix();
        ToDoubleFunction<INDArray> linear = t -> {
            double[][] f = p.reference().predict(t.toDoubleVector(), p.x().toDoubleMatrix(), null);
            double sum = 0;
            for (int i = 0; i < f.length; i++) {
                for (int j = 0; j < f[i].length; j++) {
                    sum += gm[i][j] * f[i][j];
                }
            }
            return sum;
        };
        INDArray grad = Nd4j.create(DataType.DOUBLE, n);
        p.cnn().backpropOutputGradient(p.theta(), p.x(), g, grad);
        double error = relativeError(grad, ModelTestSupport.centralDifference(linear, p.theta(), FD_STEP));
        assertTrue(error < FD_TOLERANCE, p + ": J^T g relative error " + error);

        Function<INDArray, INDArray> jtg = t -> {
            INDArray out = Nd4j.create(DataType.DOUBLE, n);
            p.cnn().backpropOutputGradient(t, p.x(), g, out);
            return out;
        };
        INDArray v = gaussianVector(new Random(seed + 9), n);
        v.divi(v.norm2Number());
        INDArray hv = Nd4j.create(DataType.DOUBLE, n);
        p.cnn().hvpOutputLinear(p.theta(), p.x(), g, v, hv);
        INDArray expected = ModelTestSupport.directionalDifference(jtg, p.theta(), v, FD_STEP);
        double curvatureError = relativeError(hv, expected);
        assertTrue(curvatureError < FD_TOLERANCE || expected.norm2Number().doubleValue() < 1e-9,
                p + ": output-linear curvature relative error " + curvatureError);
    }

    /** Sums over chunks equal the whole: the same products in another order (and hvp may write into v). */
    @Test
    void chunkedSumsEqualTheWhole() {
        Problem p = problem(1200, Activation.TANH, Pool.MAX, Loss.XENT, Init.DEFAULT, 7);
        int n = p.cnn().numParams();
        INDArray v = gaussianVector(new Random(3), n);
        INDArray grad = Nd4j.create(DataType.DOUBLE, n);
        double whole = p.cnn().lossAndGradient(p.theta(), p.x(), p.y(), grad);
        INDArray hv = p.hvp(v);
        INDArray m1 = Nd4j.create(DataType.DOUBLE, n);
        INDArray m2 = Nd4j.create(DataType.DOUBLE, n);
        p.cnn().perSampleMoments(p.theta(), p.x(), p.y(), v, m1, m2);
        INDArray f = p.cnn().predict(p.theta(), p.x());

        p.cnn().setChunkRows(3);
        INDArray chunkedGrad = Nd4j.create(DataType.DOUBLE, n);
        assertEquals(whole, p.cnn().lossAndGradient(p.theta(), p.x(), p.y(), chunkedGrad), 1e-14);
        assertTrue(relativeError(grad, chunkedGrad) < EXACT_TOLERANCE);
        assertTrue(relativeError(hv, p.hvp(v)) < EXACT_TOLERANCE);
        INDArray c1 = Nd4j.create(DataType.DOUBLE, n);
        INDArray c2 = Nd4j.create(DataType.DOUBLE, n);
        p.cnn().perSampleMoments(p.theta(), p.x(), p.y(), v, c1, c2);
        assertTrue(relativeError(m1, c1) < EXACT_TOLERANCE);
        assertTrue(relativeError(m2, c2) < EXACT_TOLERANCE);
        assertTrue(relativeError(f, p.cnn().predict(p.theta(), p.x())) < EXACT_TOLERANCE);
        assertEquals(whole, p.cnn().evaluate(p.theta(), p.x(), p.y()).loss(), 1e-14);
        INDArray inPlace = v.dup();
        p.cnn().hvp(p.theta(), p.x(), p.y(), inPlace, inPlace);
        assertTrue(relativeError(hv, inPlace) < EXACT_TOLERANCE, "hvp written into its own direction");
    }

    /**
     * A CNN with 1x1 kernels and no pooling on 1x1 "images" of d channels is the MLP: the
     * convolution K1 [w, d, 1, 1] is the dense W1 [d, w] transposed. Loss, gradient, H v and the
     * per-sample moments agree to round-off.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("oneByOneCases")
    void oneByOneCnnIsTheMlp(Activation activation, Loss loss, int mlpDepth) {
        int d = 4;
        int w = 5;
        int k = 3;
        int rows = 6;
        Mlp mlp = new Mlp(d, mlpDepth, w, k, activation, Init.DEFAULT, loss);
        Cnn cnn = new Cnn(new ImageShape(d, 1, 1), 1, w, 1, Pool.NONE, mlpDepth - 1, w, k, activation, Init.DEFAULT, loss);
        assertEquals(mlp.numParams(), cnn.numParams());
        Random random = new Random(40 + mlpDepth);
        INDArray x = gaussian(random, rows, d);
        INDArray y = ModelTestSupport.targets(random, loss, rows, k);
        INDArray mlpTheta = mlp.initParams(17);
        INDArray cnnTheta = toCnnLayout(mlpTheta, d, w);
        int n = mlp.numParams();
        assertEquals(mlp.loss(mlpTheta, x, y), cnn.loss(cnnTheta, x, y), 1e-13);

        INDArray mlpGrad = Nd4j.create(DataType.DOUBLE, n);
        INDArray cnnGrad = Nd4j.create(DataType.DOUBLE, n);
        mlp.lossAndGradient(mlpTheta, x, y, mlpGrad);
        cnn.lossAndGradient(cnnTheta, x, y, cnnGrad);
        assertTrue(relativeError(toCnnLayout(mlpGrad, d, w), cnnGrad) < EXACT_TOLERANCE, "gradient");

        INDArray v = gaussianVector(random, n);
        INDArray mlpHv = Nd4j.create(DataType.DOUBLE, n);
        INDArray cnnHv = Nd4j.create(DataType.DOUBLE, n);
        mlp.hvp(mlpTheta, x, y, v, mlpHv);
        cnn.hvp(cnnTheta, x, y, toCnnLayout(v, d, w), cnnHv);
        assertTrue(relativeError(toCnnLayout(mlpHv, d, w), cnnHv) < EXACT_TOLERANCE, "H v");

        INDArray a1 = Nd4j.create(DataType.DOUBLE, n);
        INDArray a2 = Nd4j.create(DataType.DOUBLE, n);
        INDArray b1 = Nd4j.create(DataType.DOUBLE, n);
        INDArray b2 = Nd4j.create(DataType.DOUBLE, n);
        mlp.perSampleMoments(mlpTheta, x, y, v, a1, a2);
        cnn.perSampleMoments(cnnTheta, x, y, toCnnLayout(v, d, w), b1, b2);
        assertTrue(relativeError(toCnnLayout(a1, d, w), b1) < EXACT_TOLERANCE, "sum H_i v");
        assertTrue(relativeError(toCnnLayout(a2, d, w), b2) < EXACT_TOLERANCE, "sum H_i H_i v");
    }

    static Stream<Arguments> oneByOneCases() {
        return Stream.of(Arguments.of(Activation.RELU, Loss.XENT, 1), Arguments.of(Activation.TANH, Loss.MSE, 2),
                Arguments.of(Activation.TANH, Loss.HALF_SSE, 1), Arguments.of(Activation.RELU, Loss.MSE, 3));
    }

    /** An MLP parameter vector with W1 [d, w] replaced by its transpose [w, d] (the 1x1 convolution's K1). */
    private static INDArray toCnnLayout(INDArray mlpVector, int d, int w) {
        INDArray out = mlpVector.dup();
        INDArray w1 = mlpVector.get(NDArrayIndex.interval(0, d * w)).reshape('c', d, w);
        out.get(NDArrayIndex.interval(0, d * w)).assign(w1.transpose().dup('c').reshape(d * w));
        return out;
    }

    /** float32: the same network, its products within float round-off of the double ones. */
    @Test
    void floatModelAgreesWithDouble() {
        Problem p = problem(1300, Activation.TANH, Pool.AVG, Loss.XENT, Init.DEFAULT, 4);
        Model f = p.cnn().withDataType(DataType.FLOAT);
        INDArray v = gaussianVector(new Random(1), p.cnn().numParams());
        INDArray out = Nd4j.create(DataType.FLOAT, p.cnn().numParams());
        f.hvp(p.theta().castTo(DataType.FLOAT), p.x().castTo(DataType.FLOAT), p.y().castTo(DataType.FLOAT),
                v.castTo(DataType.FLOAT), out);
        double error = relativeError(out.castTo(DataType.DOUBLE), p.hvp(v));
        assertTrue(error < 1e-4, "float H v relative error " + error);
    }

    /** Parameter layout: the export's arrays are the vector's blocks in order, conv weights as [out, in, k, k]. */
    @Test
    void exportArraysFollowTheLayout() {
        Cnn cnn = new Cnn(new ImageShape(3, 8, 8), 2, 4, 5, Pool.MAX, 2, 6, 10, Activation.RELU, Init.DEFAULT, Loss.XENT);
        // K1 4x3x5x5 + 4, K2 8x4x5x5 + 8, features 8x2x2 = 32, W1 32x6 + 6, W2 6x6 + 6, W3 6x10 + 10
        assertEquals(304 + 808 + 198 + 42 + 70, cnn.numParams());
        assertEquals(32, cnn.features());
        INDArray theta = cnn.initParams(5);
        var arrays = cnn.exportArrays(theta);
        assertEquals(java.util.List.of("K1", "k1", "K2", "k2", "W1", "b1", "W2", "b2", "W3", "b3"), java.util.List.copyOf(arrays.keySet()));
        assertEquals(java.util.List.of(4L, 3L, 5L, 5L), java.util.Arrays.stream(arrays.get("K1").shape()).boxed().toList());
        assertEquals(java.util.List.of(32L, 6L), java.util.Arrays.stream(arrays.get("W1").shape()).boxed().toList());
        // K1[2, 1, 3, 4] is element ((2 * 3 + 1) * 5 + 3) * 5 + 4 of the vector
        assertEquals(theta.getDouble(((2 * 3 + 1) * 5 + 3) * 5 + 4), arrays.get("K1").getDouble(2, 1, 3, 4), 0.0);
        assertEquals(theta.getDouble(300 + 1), arrays.get("k1").getDouble(1), 0.0);
        double bound = 1.0 / Math.sqrt(3 * 25); // PyTorch's Conv2d default: U(+-1/sqrt(fan_in))
        assertTrue(arrays.get("K1").amaxNumber().doubleValue() <= bound);
        assertTrue(arrays.get("K1").amaxNumber().doubleValue() > 0.9 * bound);
        assertEquals("cnn", cnn.describe().get("family"));
    }

    /** The parameter blocks of each layer (weights and bias), for per-layer checks. */
    record LayerBlocks(long[] starts, long[] ends) {
        static LayerBlocks of(Cnn cnn) {
            var arrays = cnn.exportArrays(cnn.initParams(0));
            long[] starts = new long[arrays.size()];
            long[] ends = new long[arrays.size()];
            long at = 0;
            int i = 0;
            for (INDArray a : arrays.values()) {
                starts[i] = at;
                at += a.length();
                ends[i++] = at;
            }
            return new LayerBlocks(starts, ends);
        }

        INDArray block(INDArray vector, int j) {
            return vector.get(NDArrayIndex.interval(starts[j], ends[j]));
        }
    }
}
