package org.sharpsweep.worker.model;

import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;
import org.sharpsweep.sweeps.PointSpec;

/** The one place that turns a point's model settings into a {@link Model}: it dispatches on the family. */
public final class Models {
    private Models() {
    }

    /**
     * The network of {@code spec} for data with {@code inputs} features per sample and
     * {@code outputs} outputs, in float64; a cnn reads each sample's row as the data set's image
     * ({@link PointSpec#imageShape}, (C, H, W) order).
     */
    public static Model of(PointSpec spec, int inputs, int outputs) {
        return of(spec.model(), spec.loss(), spec.imageShape(), inputs, outputs);
    }

    /**
     * The network of {@code model} with loss {@code loss}.
     *
     * @param image the shape of one input image, which a cnn needs and an mlp ignores (null for
     *              inputs that are no images)
     * @throws IllegalArgumentException for a cnn without an image shape, or whose image does not
     *                                  have {@code inputs} values
     */
    public static Model of(ModelSpec model, Loss loss, ImageShape image, int inputs, int outputs) {
        return switch (model.family()) {
            case MLP -> new Mlp(inputs, model.depth(), model.width(), outputs, model.activation(), model.init(), loss);
            case CNN -> {
                if (image == null) throw new IllegalArgumentException("family cnn needs image inputs, got " + inputs + " features");
                if (image.size() != inputs) {
                    throw new IllegalArgumentException("family cnn on " + image + " images needs " + image.size()
                            + " inputs per sample, got " + inputs);
                }
                yield new Cnn(image, model.convBlocks(), model.channels(), model.kernel(), model.pool(), model.depth(),
                        model.width(), outputs, model.activation(), model.init(), loss);
            }
        };
    }

    /**
     * sumHv = sum_i H_i v and sumHHv = sum_i H_i (H_i v) over the rows of x, by a plain loop that
     * calls {@link Model#hvp} on one row at a time (which checks the arguments): the slow
     * reference the batched {@link Model#perSampleMoments} of every family is tested against.
     */
    public static void perSampleMomentsLoop(Model m, org.nd4j.linalg.api.ndarray.INDArray theta, org.nd4j.linalg.api.ndarray.INDArray x,
                                            org.nd4j.linalg.api.ndarray.INDArray y, org.nd4j.linalg.api.ndarray.INDArray v,
                                            org.nd4j.linalg.api.ndarray.INDArray sumHv, org.nd4j.linalg.api.ndarray.INDArray sumHHv) {
        int p = m.numParams();
        var hv = org.nd4j.linalg.factory.Nd4j.create(m.dataType(), p);
        var hhv = org.nd4j.linalg.factory.Nd4j.create(m.dataType(), p);
        var totalHv = org.nd4j.linalg.factory.Nd4j.zeros(m.dataType(), p);
        var totalHHv = org.nd4j.linalg.factory.Nd4j.zeros(m.dataType(), p);
        for (int i = 0; i < x.rows(); i++) {
            var xi = x.getRow(i, true);
            var yi = y.getRow(i, true);
            m.hvp(theta, xi, yi, v, hv);
            m.hvp(theta, xi, yi, hv, hhv);
            totalHv.addi(hv);
            totalHHv.addi(hhv);
        }
        sumHv.assign(totalHv.reshape(sumHv.shape()));
        sumHHv.assign(totalHHv.reshape(sumHHv.shape()));
    }
}
