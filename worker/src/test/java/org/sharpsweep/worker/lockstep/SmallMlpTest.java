package org.sharpsweep.worker.lockstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.Mlp;

/** The adapter through the Model interface against the ND4J network, on row views (as the curvature's chunks) and on a large call. */
class SmallMlpTest {
    static final double SAME_MATH = 1e-12;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void everyCallEqualsTheNd4jNetwork() {
        // a call of at most MAX_WORK / P rows runs the kernel, a larger one the ND4J network
        Mlp narrow = new Mlp(6, 2, 9, 4, Activation.TANH, Init.DEFAULT, Loss.XENT);
        Mlp wide = new Mlp(6, 2, 190, 4, Activation.TANH, Init.DEFAULT, Loss.XENT);
        everyCallEqualsTheNd4jNetwork(narrow, LockstepGroups.MAX_WORK / narrow.numParams() + 5);
        everyCallEqualsTheNd4jNetwork(wide, LockstepGroups.MAX_WORK / wide.numParams() + 5);
    }

    private static void everyCallEqualsTheNd4jNetwork(Mlp mlp, long many) {
        SplittableRandom rng = new SplittableRandom(17);
        SmallMlp small = new SmallMlp(mlp);
        int p = mlp.numParams();
        INDArray theta = mlp.initParams(3);
        INDArray xAll = DenseKernelTest.random(rng, 40, 6), yAll = DenseKernelTest.oneHot(rng, 40, 4);
        INDArray xBig = DenseKernelTest.random(rng, (int) many, 6), yBig = DenseKernelTest.oneHot(rng, (int) many, 4);
        for (INDArray[] xy : new INDArray[][] {
                {xAll.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all()), yAll.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all())},
                {xBig, yBig}}) {
            INDArray x = xy[0], y = xy[1];
            INDArray v = DenseKernelTest.random(rng, 1, p).reshape(p);
            assertEquals(mlp.loss(theta, x, y), small.loss(theta, x, y), SAME_MATH);
            assertClose(mlp.predict(theta, x), small.predict(theta, x), "predict");
            assertClose(mlp.evaluate(theta, x, y).outputs(), small.evaluate(theta, x, y).outputs(), "evaluate");
            INDArray a = Nd4j.create(DataType.DOUBLE, p), b = Nd4j.create(DataType.DOUBLE, p);
            assertEquals(mlp.lossAndGradient(theta, x, y, a), small.lossAndGradient(theta, x, y, b), SAME_MATH);
            assertClose(a, b, "gradient");
            mlp.hvp(theta, x, y, v, a);
            small.hvp(theta, x, y, v, b);
            assertClose(a, b, "H v");
            INDArray g = DenseKernelTest.random(rng, (int) x.rows(), 4);
            mlp.backpropOutputGradient(theta, x, g, a);
            small.backpropOutputGradient(theta, x, g, b);
            assertClose(a, b, "J^T g");
            mlp.hvpOutputLinear(theta, x, g, v, a);
            small.hvpOutputLinear(theta, x, g, v, b);
            assertClose(a, b, "output-linear H v");
            INDArray a2 = Nd4j.create(DataType.DOUBLE, p), b2 = Nd4j.create(DataType.DOUBLE, p);
            mlp.perSampleMoments(theta, x, y, v, a, a2);
            small.perSampleMoments(theta, x, y, v, b, b2);
            assertClose(a, b, "sum H_i v");
            assertClose(a2, b2, "sum H_i H_i v");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double[] e = expected.dup('c').data().asDouble(), a = actual.dup('c').data().asDouble();
        assertEquals(e.length, a.length, what);
        double scale = 1;
        for (double x : e) scale = Math.max(scale, Math.abs(x));
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= SAME_MATH * scale, what + " component " + i + ": " + e[i] + " vs " + a[i]);
        }
    }
}
