package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;

/** initParams (docs/science.md inits, determinism), the documented layout, and argument checks. */
class MlpInitAndLayoutTest {

    private static final int INPUTS = 50;
    private static final int WIDTH = 40;
    private static final int OUTPUTS = 10;
    /**
     * Every weight block has at least 400 draws from U(-r, r): max |w| < 0.95 r has probability
     * 0.95^400 < 1e-8, so each bound is also nearly reached; and the mean of w^2 (r^2/3, standard
     * deviation of the mean sqrt(4/45/400) r^2 = 4.5% of r^2/3) is within 20%, over 4 standard errors.
     */
    private static final double REACHED = 0.95;
    private static final double VARIANCE_TOLERANCE = 0.20;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    @Test
    void layoutIsLayerByLayerWeightsRowMajorThenBias() {
        Mlp mlp = new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.RELU, Init.DEFAULT, Loss.MSE);

        assertEquals(3, mlp.layers());
        assertArrayEquals(new int[] {INPUTS, WIDTH, WIDTH}, new int[] {mlp.fanIn(0), mlp.fanIn(1), mlp.fanIn(2)});
        assertArrayEquals(new int[] {WIDTH, WIDTH, OUTPUTS}, new int[] {mlp.fanOut(0), mlp.fanOut(1), mlp.fanOut(2)});
        long w1 = INPUTS * WIDTH + WIDTH;
        long w2 = w1 + WIDTH * WIDTH + WIDTH;
        assertArrayEquals(new long[] {0, w1, w2}, new long[] {mlp.weightOffset(0), mlp.weightOffset(1), mlp.weightOffset(2)});
        assertArrayEquals(new long[] {INPUTS * WIDTH, w1 + WIDTH * WIDTH, w2 + WIDTH * OUTPUTS},
                new long[] {mlp.biasOffset(0), mlp.biasOffset(1), mlp.biasOffset(2)});
        assertEquals(w2 + WIDTH * OUTPUTS + OUTPUTS, mlp.numParams());

        Mlp linear = new Mlp(INPUTS, 0, WIDTH, OUTPUTS, Activation.TANH, Init.DEFAULT, Loss.XENT);
        assertEquals(1, linear.layers());
        assertEquals(INPUTS * OUTPUTS + OUTPUTS, linear.numParams());
        assertEquals(INPUTS * OUTPUTS, linear.biasOffset(0));
    }

    /** A single parameter moved in the vector moves the output as the layout says (W[r, j] at offset + r fanOut + j). */
    @Test
    void layoutMatchesThePrediction() {
        Mlp mlp = new Mlp(2, 0, 1, 3, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        theta.putScalar(mlp.weightOffset(0) + 1L * 3 + 2, 5.0);  // W[1, 2]
        theta.putScalar(mlp.biasOffset(0) + 0, 7.0);             // b[0]
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0, 2.0}});

        INDArray f = mlp.predict(theta, x);

        assertEquals(Nd4j.createFromArray(new double[][] {{7.0, 0.0, 10.0}}), f);
    }

    @Test
    void outputScaleIsOneOverWidthForMeanFieldOnly() {
        assertEquals(1.0 / WIDTH, new Mlp(INPUTS, 1, WIDTH, OUTPUTS, Activation.RELU, Init.MEAN_FIELD, Loss.MSE).outputScale());
        assertEquals(1.0, new Mlp(INPUTS, 0, WIDTH, OUTPUTS, Activation.RELU, Init.MEAN_FIELD, Loss.MSE).outputScale());
        assertEquals(1.0, new Mlp(INPUTS, 1, WIDTH, OUTPUTS, Activation.RELU, Init.DEFAULT, Loss.MSE).outputScale());
        assertEquals(1.0, new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.RELU, Init.XAVIER, Loss.MSE).outputScale());
    }

    @ParameterizedTest
    @EnumSource(Init.class)
    void initIsDeterministicPerSeed(Init init) {
        Mlp mlp = new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.TANH, init, Loss.XENT);

        INDArray a = mlp.initParams(42);
        INDArray b = new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.TANH, init, Loss.XENT).initParams(42);

        assertEquals(DataType.DOUBLE, a.dataType());
        assertArrayEquals(new long[] {mlp.numParams()}, a.shape());
        assertArrayEquals(a.toDoubleVector(), b.toDoubleVector(), 0.0);
        assertNotEquals(a, mlp.initParams(43));
    }

    @ParameterizedTest
    @EnumSource(Init.class)
    void initDrawsEachBlockUniformlyWithinItsBound(Init init) {
        Mlp mlp = new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.RELU, init, Loss.MSE);
        double[] theta = mlp.initParams(7).toDoubleVector();

        for (int l = 0; l < mlp.layers(); l++) {
            int in = mlp.fanIn(l);
            int out = mlp.fanOut(l);
            boolean output = l == mlp.layers() - 1;
            double pytorch = 1.0 / Math.sqrt(in);
            double weightBound = switch (init) {
                case DEFAULT -> pytorch;
                case XAVIER -> Math.sqrt(6.0 / (in + out));
                case MEAN_FIELD -> output ? 1.0 : pytorch;
            };
            double biasBound = init == Init.DEFAULT || init == Init.MEAN_FIELD && !output ? pytorch : 0.0;
            int w = (int) mlp.weightOffset(l);
            int b = (int) mlp.biasOffset(l);
            assertUniform(theta, w, in * out, weightBound, init + " layer " + l + " W");
            if (biasBound == 0.0) {
                for (int j = b; j < b + out; j++) {
                    assertEquals(0.0, theta[j], init + " layer " + l + " b must be 0");
                }
            } else {
                double max = 0;
                for (int j = b; j < b + out; j++) {
                    max = Math.max(max, Math.abs(theta[j]));
                }
                assertTrue(max <= biasBound && max > 0, init + " layer " + l + " b: max |b| " + max + ", bound " + biasBound);
            }
        }
    }

    private static void assertUniform(double[] theta, int from, int count, double bound, String what) {
        double max = 0;
        double sumSquares = 0;
        for (int i = from; i < from + count; i++) {
            max = Math.max(max, Math.abs(theta[i]));
            sumSquares += theta[i] * theta[i];
        }
        assertTrue(max <= bound, what + ": max |w| " + max + " above bound " + bound);
        assertTrue(max >= REACHED * bound, what + ": max |w| " + max + " far below bound " + bound);
        double variance = sumSquares / count;
        double expected = bound * bound / 3;
        assertEquals(expected, variance, VARIANCE_TOLERANCE * expected, what + ": second moment");
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertMessage(() -> new Mlp(0, 1, 4, 2, Activation.RELU, Init.DEFAULT, Loss.MSE), "inputs");
        assertMessage(() -> new Mlp(3, -1, 4, 2, Activation.RELU, Init.DEFAULT, Loss.MSE), "depth");
        assertMessage(() -> new Mlp(3, 1, 0, 2, Activation.RELU, Init.DEFAULT, Loss.MSE), "width");
        assertMessage(() -> new Mlp(3, 1, 4, 0, Activation.RELU, Init.DEFAULT, Loss.MSE), "outputs");
        assertMessage(() -> new Mlp(3, 1, 4, 2, null, Init.DEFAULT, Loss.MSE), "activation");
        assertMessage(() -> new Mlp(100_000, 1, 100_000, 2, Activation.RELU, Init.DEFAULT, Loss.MSE), "parameters");

        Mlp mlp = new Mlp(3, 1, 4, 2, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta = mlp.initParams(1);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 2);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        assertMessage(() -> mlp.fanIn(2), "layer");
        assertMessage(() -> mlp.loss(theta, Nd4j.zeros(DataType.DOUBLE, 5, 4), y), "x");
        assertMessage(() -> mlp.loss(theta, x, Nd4j.zeros(DataType.DOUBLE, 4, 2)), "y");
        assertMessage(() -> mlp.loss(Nd4j.zeros(DataType.DOUBLE, mlp.numParams() + 1), x, y), "theta");
        assertMessage(() -> mlp.loss(theta.castTo(DataType.FLOAT), x, y), "theta must be DOUBLE");
        assertMessage(() -> mlp.lossAndGradient(theta, x, y, Nd4j.zeros(DataType.DOUBLE, mlp.numParams(), 2).getColumn(0)), "grad must be contiguous");
        assertMessage(() -> mlp.hvp(theta, x, y, null, grad), "v");
        assertMessage(() -> mlp.backpropOutputGradient(theta, x, Nd4j.zeros(DataType.DOUBLE, 5, 3), grad), "g");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should name " + expected);
    }
}
