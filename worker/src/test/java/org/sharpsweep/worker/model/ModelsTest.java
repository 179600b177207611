package org.sharpsweep.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.Family;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;

/**
 * {@link Models#of} builds the family a point names, and the network it builds has the P that
 * {@link PointSpec#numParams} (what the memory estimate and the saved-parameter checks read)
 * counts for that point.
 */
class ModelsTest {

    @BeforeAll
    static void configure() {
        ModelTestSupport.configureNd4j();
    }

    private static PointSpec fashion(String model) {
        return SweepSpec.parse("name: m\ndata: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, "
                + "n_train: 10, n_test: 10}\nmodel: " + model + "\ntrain: {steps: 1}\n").point(0).spec();
    }

    @Test
    void anMlpPointIsAnMlpWithThePointsParameterCount() {
        PointSpec p = fashion("{depth: 2, width: 8, activation: tanh}");
        Model m = Models.of(p, 784, 10);
        assertTrue(m instanceof Mlp, m.getClass().getName());
        assertEquals(p.numParams(), m.numParams());
        PointSpec teacher = SweepSpec.parse("name: t\ndata: {input_dim: 5}\nmodel: {depth: 0}\n").point(0).spec();
        assertEquals(teacher.numParams(), Models.of(teacher, 5, 1).numParams());
    }

    /** Fashion-MNIST, conv_blocks 2, channels 4, kernel 3, pool max, depth 1, width 8: 40 + 296 + 3144 + 90 by hand. */
    @Test
    void aCnnPointIsACnnWithThePointsParameterCount() {
        PointSpec p = fashion("{family: cnn, conv_blocks: 2, channels: 4, kernel: 3, pool: max, depth: 1, width: 8}");
        Model m = Models.of(p, 784, 10);
        assertTrue(m instanceof Cnn, m.getClass().getName());
        assertEquals(3570, m.numParams());
        assertEquals(p.numParams(), m.numParams());
        for (String model : new String[]{"{family: cnn, conv_blocks: 1, channels: 2, kernel: 1, pool: none, depth: 0}",
                "{family: cnn, conv_blocks: 4, channels: 3, kernel: 5, pool: avg, depth: 2, width: 6}"}) {
            PointSpec q = fashion(model);
            assertEquals(q.numParams(), Models.of(q, 784, 10).numParams(), model);
        }
        PointSpec cifar = SweepSpec.parse("name: c\ndata: {dataset: cifar10, path: /x, n_train: 10, n_test: 10, classes: [3, 5]}\n"
                + "model: {family: cnn, conv_blocks: 5, channels: 2, kernel: 3, pool: max, depth: 1, width: 4}\n"
                + "train: {steps: 1}\n").point(0).spec();
        assertEquals(cifar.numParams(), Models.of(cifar, 3072, 2).numParams());
    }

    @Test
    void aCnnNeedsItsImage() {
        ModelSpec cnn = SmallSpecs.teacher().with(Setting.DEPTH, 1).with(Setting.WIDTH, 8).with(Setting.FAMILY, Family.CNN)
                .with(Setting.CONV_BLOCKS, 2).with(Setting.CHANNELS, 4).with(Setting.KERNEL, 3).model();
        String none = assertThrows(IllegalArgumentException.class, () -> Models.of(cnn, Loss.MSE, null, 784, 10)).getMessage();
        assertTrue(none.contains("family cnn needs image inputs"), none);
        String wrong = assertThrows(IllegalArgumentException.class,
                () -> Models.of(cnn, Loss.MSE, new ImageShape(1, 28, 28), 3072, 10)).getMessage();
        assertTrue(wrong.contains("1x28x28 images needs 784 inputs per sample, got 3072"), wrong);
    }
}
