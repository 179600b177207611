package org.sharpsweep.parallel;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sharpsweep.sweeps.Family;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;

/**
 * The engine's MLP as a Deeplearning4j {@link MultiLayerNetwork}, for training one point the way
 * DL4J Spark's training masters do (issue 12): the same layers, activations and loss, and the
 * engine's parameter vector moved in and out, so that its loss, gradient and plain-SGD step are
 * the engine's to round-off ({@code Dl4jNetworksTest}).
 *
 * <p>Mapping. Layer l is a {@code DenseLayer} (hidden, the activation) or the {@code OutputLayer}
 * (identity with LossMSE for mse, softmax with LossMCXENT for xent); DL4J's W_l has the engine's
 * shape [fanIn, fanOut] but flattens it column-major inside its own vector, so parameters move by
 * name ({@code W}, {@code b}), never as flat vectors. DL4J's MSE is the engine's mse (the mean
 * over outputs and rows), its MCXENT on softmax the engine's xent (it clips probabilities below
 * 1e-10, which only matters at saturation). Half-sse and the mean-field output scale 1/width have
 * no DL4J equal and are refused; so is the cnn family.
 */
public final class Dl4jNetworks {
    private Dl4jNetworks() {
    }

    /**
     * The network of {@code model} and {@code loss} for {@code inputs} features and
     * {@code outputs} outputs, with DL4J's plain SGD updater at {@code lr}, in float64; its
     * parameters are to be set with {@link #setParams}.
     *
     * @throws IllegalArgumentException for what DL4J cannot equal, naming the setting
     */
    public static MultiLayerNetwork mlp(ModelSpec model, Loss loss, int inputs, int outputs, double lr) {
        if (model.family() != Family.MLP) {
            throw new IllegalArgumentException("train.parallel: data trains family mlp only, got model.family " + model.family().specName());
        }
        if (loss == Loss.HALF_SSE) {
            throw new IllegalArgumentException("train.parallel: data needs loss mse or xent: DL4J has no half-sse (0.5 ||f - y||^2)");
        }
        if (model.init() == Init.MEAN_FIELD && model.depth() >= 1) {
            throw new IllegalArgumentException("train.parallel: data cannot use init mean-field: DL4J's output layer has no output scale 1/width");
        }
        Activation hidden = switch (model.activation()) {
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
        };
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new Sgd(lr)).weightInit(WeightInit.ZERO).list();
        int depth = model.depth();
        for (int l = 0; l < depth; l++) {
            layers.layer(new DenseLayer.Builder().nIn(fanIn(model, inputs, l)).nOut(model.width()).activation(hidden).build());
        }
        boolean xent = loss == Loss.XENT;
        layers.layer(new OutputLayer.Builder(xent ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE)
                .nIn(fanIn(model, inputs, depth)).nOut(outputs).activation(xent ? Activation.SOFTMAX : Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return net;
    }

    /** net's parameters := theta, a vector in the engine's layout (per layer W [fanIn, fanOut] row-major, then b). */
    public static void setParams(MultiLayerNetwork net, INDArray theta) {
        long at = 0;
        for (Layer layer : net.getLayers()) {
            INDArray w = layer.getParam("W");
            INDArray b = layer.getParam("b");
            long weights = w.length();
            w.assign(theta.get(NDArrayIndex.interval(at, at + weights)).reshape('c', w.size(0), w.size(1)));
            at += weights;
            b.assign(theta.get(NDArrayIndex.interval(at, at + b.length())).reshape(b.shape()));
            at += b.length();
        }
        check(theta.length(), at);
    }

    /** net's parameters as a vector in the engine's layout. */
    public static INDArray engineParams(MultiLayerNetwork net) {
        return engineLayout(net, false);
    }

    /**
     * The gradient of the mean loss over the {@code rows} samples of net's last
     * {@code computeGradientAndScore}, in the engine's layout: DL4J's own is the sum over the
     * minibatch (its updater divides by the minibatch size before the step).
     */
    public static INDArray engineGradient(MultiLayerNetwork net, int rows) {
        return engineLayout(net, true).divi(rows);
    }

    private static INDArray engineLayout(MultiLayerNetwork net, boolean gradient) {
        INDArray out = Nd4j.create(DataType.DOUBLE, net.numParams());
        long at = 0;
        Layer[] layers = net.getLayers();
        for (int l = 0; l < layers.length; l++) {
            for (String name : new String[] {"W", "b"}) {
                INDArray block = gradient ? net.gradient().getGradientFor(l + "_" + name) : layers[l].getParam(name);
                out.get(NDArrayIndex.interval(at, at + block.length())).assign(block.dup('c').reshape(block.length()));
                at += block.length();
            }
        }
        check(out.length(), at);
        return out;
    }

    private static void check(long expected, long got) {
        if (expected != got) {
            throw new IllegalArgumentException("the parameter vector has " + expected + " values, the DL4J network " + got);
        }
    }

    private static int fanIn(ModelSpec model, int inputs, int layer) {
        return layer == 0 ? inputs : model.width();
    }
}
