package org.sharpsweep.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Family;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;

/**
 * The DL4J network of {@link Dl4jNetworks} against the engine's MLP on the same parameters: the
 * same loss and gradient to 1e-12, and the same plain-SGD trajectory over a few steps on the same
 * batches to 1e-10 (the building block of issue 12's data-parallel point).
 */
class Dl4jNetworksTest {
    private static final int INPUTS = 5;
    private static final int WIDTH = 6;
    private static final int OUTPUTS = 3;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> all = Stream.builder();
        long seed = 40;
        for (Loss loss : new Loss[] {Loss.MSE, Loss.XENT}) {
            for (Activation activation : Activation.values()) {
                for (int depth = 0; depth <= 2; depth++) {
                    all.add(Arguments.of(loss, activation, depth, seed++));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @MethodSource("cases")
    void lossAndGradientAreTheEngines(Loss loss, Activation activation, int depth, long seed) {
        Mlp mlp = new Mlp(INPUTS, depth, WIDTH, OUTPUTS, activation, Init.DEFAULT, loss);
        INDArray theta = mlp.initParams(seed);
        Random random = new Random(seed);
        INDArray x = gaussian(random, 8, INPUTS);
        INDArray y = targets(random, loss, 8);
        MultiLayerNetwork net = Dl4jNetworks.mlp(SmallSpecs.teacher().with(Setting.DEPTH, depth).with(Setting.WIDTH, WIDTH)
                .with(Setting.ACTIVATION, activation).model(), loss, INPUTS, OUTPUTS, 0.1);
        Dl4jNetworks.setParams(net, theta);
        assertEquals(theta, Dl4jNetworks.engineParams(net), "the parameters move in and out unchanged");

        INDArray grad = Nd4j.create(DataType.DOUBLE, mlp.numParams());
        double l = mlp.lossAndGradient(theta, x, y, grad);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        assertEquals(l, net.score(), 1e-12 * Math.max(1.0, Math.abs(l)), "loss");
        double error = relativeError(grad, Dl4jNetworks.engineGradient(net, 8));
        assertTrue(error < 1e-12, "gradient relative error " + error);
    }

    @Test
    void plainSgdStepsFollowTheEngine() {
        Loss loss = Loss.XENT;
        Mlp mlp = new Mlp(INPUTS, 2, WIDTH, OUTPUTS, Activation.TANH, Init.DEFAULT, loss);
        INDArray theta = mlp.initParams(7);
        Random random = new Random(7);
        INDArray x = gaussian(random, 20, INPUTS);
        INDArray y = targets(random, loss, 20);
        double lr = 0.3;
        MultiLayerNetwork net = Dl4jNetworks.mlp(SmallSpecs.teacher().with(Setting.DEPTH, 2).with(Setting.WIDTH, WIDTH)
                .with(Setting.ACTIVATION, Activation.TANH).model(), loss, INPUTS, OUTPUTS, lr);
        Dl4jNetworks.setParams(net, theta);
        INDArray grad = Nd4j.create(DataType.DOUBLE, mlp.numParams());
        for (int step = 0; step < 8; step++) {
            int from = (step * 5) % 20;
            INDArray xb = x.get(NDArrayIndex.interval(from, from + 5), NDArrayIndex.all()).dup();
            INDArray yb = y.get(NDArrayIndex.interval(from, from + 5), NDArrayIndex.all()).dup();
            mlp.lossAndGradient(theta, xb, yb, grad);
            theta.subi(grad.mul(lr));
            net.fit(new DataSet(xb, yb));
        }
        double error = relativeError(theta, Dl4jNetworks.engineParams(net));
        assertTrue(error < 1e-10, "parameters after 8 SGD steps, relative error " + error);
    }

    @Test
    void whatDl4jCannotEqualIsRefusedNamingTheSetting() {
        String halfSse = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworks.mlp(
                SmallSpecs.teacher().with(Setting.DEPTH, 1)
                        .with(Setting.WIDTH, 4).model(), Loss.HALF_SSE, 3, 1, 0.1)).getMessage();
        assertTrue(halfSse.contains("half-sse"), halfSse);
        String meanField = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworks.mlp(
                SmallSpecs.teacher().with(Setting.DEPTH, 1).with(Setting.WIDTH, 4)
                        .with(Setting.INIT, Init.MEAN_FIELD).model(), Loss.MSE, 3, 1, 0.1)).getMessage();
        assertTrue(meanField.contains("mean-field"), meanField);
        String cnn = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworks.mlp(
                SmallSpecs.teacher().with(Setting.DEPTH, 1).with(Setting.WIDTH, 4).with(Setting.FAMILY, Family.CNN)
                        .with(Setting.CONV_BLOCKS, 1).with(Setting.CHANNELS, 2)
                        .with(Setting.KERNEL, 3).model(), Loss.MSE, 784, 10, 0.1)).getMessage();
        assertTrue(cnn.contains("family"), cnn);
    }

    private static INDArray gaussian(Random random, int rows, int cols) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) for (int j = 0; j < cols; j++) row[j] = random.nextGaussian();
        return Nd4j.createFromArray(v);
    }

    private static INDArray targets(Random random, Loss loss, int rows) {
        if (loss != Loss.XENT) return gaussian(random, rows, OUTPUTS);
        double[][] v = new double[rows][OUTPUTS];
        for (double[] row : v) row[random.nextInt(OUTPUTS)] = 1.0;
        return Nd4j.createFromArray(v);
    }

    private static double relativeError(INDArray a, INDArray b) {
        double scale = Math.max(a.norm2Number().doubleValue(), b.norm2Number().doubleValue());
        return scale == 0 ? 0 : a.sub(b).norm2Number().doubleValue() / scale;
    }
}
