package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;

/** {@link Mlp#evaluate}: the loss and the outputs of one forward pass are those of {@link Mlp#loss} and {@link Mlp#predict}. */
class MlpEvaluateTest {
    @BeforeAll
    static void doubles() {
        ModelTestSupport.configureNd4j();
    }

    @Test
    void oneForwardPassGivesTheLossAndTheOutputs() {
        for (Loss loss : Loss.values()) {
            Random rng = new Random(3 + loss.ordinal());
            Mlp mlp = new Mlp(4, 2, 6, 3, Activation.RELU, Init.DEFAULT, loss);
            INDArray theta = mlp.initParams(11);
            INDArray x = ModelTestSupport.gaussian(rng, 9, 4);
            INDArray y = ModelTestSupport.targets(rng, loss, 9, 3);
            Mlp.Evaluation e = mlp.evaluate(theta, x, y);
            assertEquals(mlp.loss(theta, x, y), e.loss(), 0.0, loss.name());
            assertEquals(0.0, mlp.predict(theta, x).sub(e.outputs()).norm2Number().doubleValue(), 0.0, loss.name());
        }
    }
}
