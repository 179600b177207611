package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.model.ModelTestSupport.centralDifference;
import static org.sharpsweep.worker.model.ModelTestSupport.directionalDifference;
import static org.sharpsweep.worker.model.ModelTestSupport.relativeError;
import static org.sharpsweep.worker.model.ModelTestSupport.zerosLike;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.model.ModelTestSupport.Problem;

/**
 * The output-linear pieces used by the darc1 penalty, against central differences of
 * phi(theta) = sum_i g_i . f(x_i) with g fixed: its gradient sum_i J_i^T g_i and its Hessian
 * times v.
 */
class MlpOutputLinearTest {

    private static final double FD_STEP = 1e-5;
    /** Relative agreement with the central differences (as for the loss gradient and hvp). */
    private static final double FD_TOLERANCE = 1e-6;

    @BeforeAll
    static void setUp() {
        ModelTestSupport.configureNd4j();
    }

    static Stream<Arguments> everyConfiguration() {
        Stream.Builder<Arguments> all = Stream.builder();
        long seed = 900;
        for (Activation activation : Activation.values()) {
            for (Init init : Init.values()) {
                for (int depth = 0; depth <= 2; depth++) {
                    all.add(Arguments.of(activation, init, depth, seed++));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} {1} depth {2} seed {3}")
    @MethodSource("everyConfiguration")
    void backpropOutputGradientIsTheGradientOfGDotF(Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 4, 3, 5, activation, init, Loss.MSE);
        INDArray g = ModelTestSupport.gaussian(new Random(seed), p.rows(), 3);
        INDArray grad = zerosLike(p.mlp());

        p.mlp().backpropOutputGradient(p.theta(), p.x(), g, grad);

        INDArray expected = centralDifference(t -> p.mlp().predict(t, p.x()).mul(g).sumNumber().doubleValue(), p.theta(), FD_STEP);
        double error = relativeError(grad, expected);
        assertTrue(error < FD_TOLERANCE, p + ": relative error " + error);
    }

    @ParameterizedTest(name = "{0} {1} depth {2} seed {3}")
    @MethodSource("everyConfiguration")
    void hvpOutputLinearIsTheDerivativeOfBackpropOutputGradient(Activation activation, Init init, int depth, long seed) {
        Problem p = ModelTestSupport.problem(seed, 3, depth, 4, 3, 5, activation, init, Loss.XENT);
        Random random = new Random(seed);
        INDArray g = ModelTestSupport.gaussian(random, p.rows(), 3);
        INDArray v = ModelTestSupport.gaussianVector(random, p.mlp().numParams());
        v.divi(v.norm2Number());
        INDArray out = zerosLike(p.mlp());

        p.mlp().hvpOutputLinear(p.theta(), p.x(), g, v, out);

        Function<INDArray, INDArray> gradient = t -> {
            INDArray grad = zerosLike(p.mlp());
            p.mlp().backpropOutputGradient(t, p.x(), g, grad);
            return grad;
        };
        INDArray expected = directionalDifference(gradient, p.theta(), v, FD_STEP);
        if (depth == 0) {
            assertTrue(out.norm2Number().doubleValue() == 0.0, p + ": a linear model has no curvature, got " + out);
            assertTrue(expected.norm2Number().doubleValue() < FD_TOLERANCE, p + ": " + expected);
        } else {
            double error = relativeError(out, expected);
            assertTrue(error < FD_TOLERANCE, p + ": relative error " + error);
        }
    }
}
