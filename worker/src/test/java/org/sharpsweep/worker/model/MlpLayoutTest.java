package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

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

/**
 * The large-batch layout (column-major buffers from {@link Buffers#COLUMN_MAJOR_MIN_ROWS} rows,
 * weight gradients through a transposed product, blas.Gemm) against the small-batch one: every
 * quantity is a sum over rows, so on 300 rows it must equal the sum of the same quantity on
 * three blocks of 100 rows (row-major buffers, plain products), up to the rounding of the
 * different summation order. The model tests at small m check each layout against finite
 * differences and the dense Hessian; this one ties the two layouts together.
 */
class MlpLayoutTest {
    /** Sums of ~300 terms of size ~1 regrouped: a few hundred ulps at most. */
    private static final double REL_TOL = 1e-11;

    @BeforeAll
    static void configure() {
        ModelTestSupport.configureNd4j();
    }

    @ParameterizedTest(name = "{0} {1} depth {2}")
    @CsvSource({"MSE, RELU, 1", "XENT, TANH, 2", "HALF_SSE, TANH, 1"})
    void largeBatchLayoutEqualsTheSumOfSmallBatches(Loss loss, Activation activation, int depth) {
        int inputs = 800, width = 40, outputs = 3, m = 300, block = 100;
        assertTrue(m >= Buffers.COLUMN_MAJOR_MIN_ROWS && block < Buffers.COLUMN_MAJOR_MIN_ROWS);
        Mlp model = new Mlp(inputs, depth, width, outputs, activation, Init.DEFAULT, loss);
        INDArray theta = model.initParams(3);
        SplittableRandom random = new SplittableRandom(5);
        double[][] xs = new double[m][inputs];
        double[][] ys = new double[m][outputs];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < inputs; j++) xs[i][j] = random.nextDouble();
            ys[i][random.nextInt(outputs)] = 1.0;
        }
        INDArray x = Nd4j.createFromArray(xs);
        INDArray y = Nd4j.createFromArray(ys);
        INDArray v = Nd4j.createFromArray(random.doubles(model.numParams(), -1, 1).toArray());

        int p = model.numParams();
        INDArray grad = Nd4j.create(DataType.DOUBLE, p);
        INDArray hv = Nd4j.create(DataType.DOUBLE, p);
        INDArray sumHv = Nd4j.create(DataType.DOUBLE, p);
        INDArray sumHHv = Nd4j.create(DataType.DOUBLE, p);
        double loss300 = model.lossAndGradient(theta, x, y, grad);
        model.hvp(theta, x, y, v, hv);
        model.perSampleMoments(theta, x, y, v, sumHv, sumHHv);

        double lossBlocks = 0;
        INDArray gradBlocks = Nd4j.zeros(DataType.DOUBLE, p);
        INDArray hvBlocks = Nd4j.zeros(DataType.DOUBLE, p);
        INDArray sumHvBlocks = Nd4j.zeros(DataType.DOUBLE, p);
        INDArray sumHHvBlocks = Nd4j.zeros(DataType.DOUBLE, p);
        INDArray g = Nd4j.create(DataType.DOUBLE, p);
        INDArray a = Nd4j.create(DataType.DOUBLE, p);
        INDArray b = Nd4j.create(DataType.DOUBLE, p);
        for (int from = 0; from < m; from += block) {
            INDArray xb = x.get(NDArrayIndex.interval(from, from + block), NDArrayIndex.all()).dup();
            INDArray yb = y.get(NDArrayIndex.interval(from, from + block), NDArrayIndex.all()).dup();
            lossBlocks += model.lossAndGradient(theta, xb, yb, g) * block / m;
            gradBlocks.addi(g.mul((double) block / m));
            model.hvp(theta, xb, yb, v, a);
            hvBlocks.addi(a.mul((double) block / m));
            model.perSampleMoments(theta, xb, yb, v, a, b);
            sumHvBlocks.addi(a);
            sumHHvBlocks.addi(b);
        }
        assertEquals(lossBlocks, loss300, REL_TOL * Math.abs(lossBlocks), "loss");
        assertClose(gradBlocks, grad, "gradient");
        assertClose(hvBlocks, hv, "hvp");
        assertClose(sumHvBlocks, sumHv, "sum_i H_i v");
        assertClose(sumHHvBlocks, sumHHv, "sum_i H_i H_i v");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.norm2Number().doubleValue();
        double diff = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(diff <= REL_TOL * scale, what + ": |difference| " + diff + " against |expected| " + scale);
    }
}
