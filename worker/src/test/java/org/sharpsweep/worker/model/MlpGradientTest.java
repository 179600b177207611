package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.model.ModelTestSupport.centralDifference;
import static org.sharpsweep.worker.model.ModelTestSupport.relativeError;
import static org.sharpsweep.worker.model.ModelTestSupport.zerosLike;

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
import org.sharpsweep.worker.model.ModelTestSupport.Problem;
import org.sharpsweep.worker.model.ModelTestSupport.ReferenceMlp;

/** Forward pass, losses and gradient against a plain-Java reference and central differences. */
class MlpGradientTest {

    /** Central-difference step for the loss; truncation and round-off both stay near 1e-10. */
    private static final double FD_STEP = 1e-5;
    /** Required agreement of the gradient with the central difference (relative, in norm). */
    private static final double GRADIENT_TOLERANCE = 1e-6;
    /** ND4J and the plain-Java reference differ only by summation order. */
    private static final double REFERENCE_TOLERANCE = 1e-12;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    static Stream<Arguments> everyConfiguration() {
        return ModelTestSupport.everyConfiguration(100);
    }

    @ParameterizedTest(name = "{0} {1} {2} depth {3} seed {4}")
    @MethodSource("everyConfiguration")
    void predictionAndLossMatchTheReferenceNetwork(Loss loss, Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 4, 3, 5, activation, init, loss);
        ReferenceMlp reference = ReferenceMlp.of(p.mlp(), activation);
        double[][] expected = reference.predict(p.theta().toDoubleVector(), p.x().toDoubleMatrix());

        INDArray f = p.mlp().predict(p.theta(), p.x());

        assertTrue(relativeError(f, Nd4j.createFromArray(expected)) < REFERENCE_TOLERANCE, p + ": predict " + f);
        double expectedLoss = ReferenceMlp.meanLoss(loss, expected, p.y().toDoubleMatrix());
        assertEquals(expectedLoss, p.mlp().loss(p.theta(), p.x(), p.y()), REFERENCE_TOLERANCE * Math.abs(expectedLoss), p.toString());
    }

    @ParameterizedTest(name = "{0} {1} {2} depth {3} seed {4}")
    @MethodSource("everyConfiguration")
    void gradientMatchesCentralDifferenceOfTheLoss(Loss loss, Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 4, 3, 5, activation, init, loss);
        INDArray grad = zerosLike(p.mlp());

        double value = p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), grad);

        INDArray expected = centralDifference(t -> p.mlp().loss(t, p.x(), p.y()), p.theta(), FD_STEP);
        double error = relativeError(grad, expected);
        assertTrue(error < GRADIENT_TOLERANCE, p + ": relative error " + error);
        assertEquals(p.mlp().loss(p.theta(), p.x(), p.y()), value, 0.0, p.toString());
    }

    @Test
    void regressionWithOneOutput() {
        Problem p = ModelTestSupport.problem(7, 4, 2, 5, 1, 6, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray grad = zerosLike(p.mlp());

        p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), grad);

        INDArray expected = centralDifference(t -> p.mlp().loss(t, p.x(), p.y()), p.theta(), FD_STEP);
        assertTrue(relativeError(grad, expected) < GRADIENT_TOLERANCE, p.toString());
    }

    /** Soft targets (rows not summing to 1) exercise the s_i = sum_k y_ik factor of xent. */
    @Test
    void crossEntropyWithSoftTargets() {
        Problem base = ModelTestSupport.problem(11, 3, 1, 4, 3, 5, Activation.TANH, Init.XAVIER, Loss.XENT);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 3).muli(2.0);
        INDArray grad = zerosLike(base.mlp());

        base.mlp().lossAndGradient(base.theta(), base.x(), y, grad);

        double[][] f = ReferenceMlp.of(base.mlp(), Activation.TANH).predict(base.theta().toDoubleVector(), base.x().toDoubleMatrix());
        assertEquals(ReferenceMlp.meanLoss(Loss.XENT, f, y.toDoubleMatrix()), base.mlp().loss(base.theta(), base.x(), y), 1e-12);
        INDArray expected = centralDifference(t -> base.mlp().loss(t, base.x(), y), base.theta(), FD_STEP);
        assertTrue(relativeError(grad, expected) < GRADIENT_TOLERANCE, base.toString());
    }

    /** The mean-loss gradient of a batch is the mean of the one-row gradients (buffers of m = 6 and m = 1). */
    @Test
    void batchGradientIsTheMeanOfPerRowGradients() {
        Problem p = ModelTestSupport.problem(13, 3, 2, 4, 3, 6, Activation.RELU, Init.MEAN_FIELD, Loss.XENT);
        INDArray batch = zerosLike(p.mlp());
        p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), batch);

        INDArray mean = zerosLike(p.mlp());
        INDArray row = zerosLike(p.mlp());
        for (int i = 0; i < p.rows(); i++) {
            p.mlp().lossAndGradient(p.theta(), p.x().getRow(i, true), p.y().getRow(i, true), row);
            mean.addi(row.div(p.rows()));
        }

        assertTrue(relativeError(batch, mean) < REFERENCE_TOLERANCE, p.toString());
        INDArray again = zerosLike(p.mlp());
        p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), again);
        assertEquals(batch, again, "recomputing after another batch size must give the same gradient");
    }

    @Test
    void gradientFillsAContiguousRowVectorToo() {
        Problem p = ModelTestSupport.problem(17, 3, 1, 4, 2, 4, Activation.TANH, Init.DEFAULT, Loss.HALF_SSE);
        INDArray flat = zerosLike(p.mlp());
        INDArray row = Nd4j.zeros(DataType.DOUBLE, 1, p.mlp().numParams());

        p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), flat);
        p.mlp().lossAndGradient(p.theta().reshape(1, p.mlp().numParams()), p.x(), p.y(), row);

        assertEquals(flat, row.reshape(p.mlp().numParams()));
        assertTrue(flat.norm2Number().doubleValue() > 0);
    }

    /** Mlp keeps views of the vectors it saw: an in-place change of theta must still be seen. */
    @Test
    void inPlaceChangesOfThetaAreSeen() {
        Problem p = ModelTestSupport.problem(19, 3, 2, 4, 3, 5, Activation.TANH, Init.DEFAULT, Loss.XENT);
        INDArray theta = p.theta().dup();
        INDArray grad = zerosLike(p.mlp());
        p.mlp().lossAndGradient(theta, p.x(), p.y(), grad);

        theta.muli(1.5);
        double value = p.mlp().lossAndGradient(theta, p.x(), p.y(), grad);

        INDArray fresh = zerosLike(p.mlp());
        double expected = p.mlp().lossAndGradient(p.theta().mul(1.5), p.x(), p.y(), fresh);
        assertEquals(expected, value, 0.0);
        assertEquals(fresh, grad);
    }

    /** A strided vector (a column of a c-order matrix) reads like its contiguous copy. */
    @Test
    void stridedParameterVectorsAreRead() {
        Problem p = ModelTestSupport.problem(23, 3, 1, 4, 3, 5, Activation.RELU, Init.DEFAULT, Loss.MSE);
        int n = p.mlp().numParams();
        INDArray columns = Nd4j.zeros(DataType.DOUBLE, n, 2);
        columns.putColumn(1, p.theta().reshape(n, 1));
        INDArray strided = columns.getColumn(1);
        INDArray grad = zerosLike(p.mlp());
        INDArray expected = zerosLike(p.mlp());

        p.mlp().lossAndGradient(strided, p.x(), p.y(), grad);
        p.mlp().lossAndGradient(p.theta(), p.x(), p.y(), expected);

        assertTrue(strided.elementWiseStride() != 1);
        assertEquals(expected, grad);
    }
}
