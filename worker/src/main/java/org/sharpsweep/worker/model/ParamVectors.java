package org.sharpsweep.worker.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Init;

/**
 * What every family does with its parameter vector: draw it ({@link #draw}), check a
 * parameter-shaped argument and see it as per-layer views ({@link #views}), kept by identity for
 * the last {@link #CACHED_VECTORS} contiguous vectors: callers pass the same theta, gradient and
 * work vectors again and again, and building views costs about as much as a small gemm. A
 * non-contiguous vector that is only read is copied, and not kept (the copy would go stale).
 *
 * @param <V> a family's per-layer views of one vector
 */
final class ParamVectors<V> {
    static final int CACHED_VECTORS = 8;

    private final DataType dataType;
    private final int numParams;
    private final Function<INDArray, V> viewsOn;
    private final INDArray[] viewed = new INDArray[CACHED_VECTORS];
    private final Object[] views = new Object[CACHED_VECTORS];
    private int next;

    /** @param viewsOn the family's views of a contiguous vector of its layout */
    ParamVectors(DataType dataType, int numParams, Function<INDArray, V> viewsOn) {
        this.dataType = dataType;
        this.numParams = numParams;
        this.viewsOn = viewsOn;
    }

    /** Checks {@code vector} (named {@code name} in errors; {@code written}: it must be contiguous) and returns its views. */
    @SuppressWarnings("unchecked")
    V views(INDArray vector, String name, boolean written) {
        for (int i = 0; i < CACHED_VECTORS; i++) {
            if (viewed[i] == vector && vector != null) {
                return (V) views[i];
            }
        }
        if (vector == null) throw new IllegalArgumentException(name + " is required");
        if (vector.dataType() != dataType) {
            throw new IllegalArgumentException(name + " must be " + dataType + ", got " + vector.dataType());
        }
        if (!vector.isVector() || vector.length() != numParams) {
            throw new IllegalArgumentException(name + " must be a vector of length " + numParams + ", got shape "
                    + Arrays.toString(vector.shape()));
        }
        if (vector.elementWiseStride() != 1) {
            if (written) {
                throw new IllegalArgumentException(name + " must be contiguous (element-wise stride 1), got "
                        + vector.elementWiseStride());
            }
            return viewsOn.apply(vector.dup());
        }
        V made = viewsOn.apply(vector);
        viewed[next] = vector;
        views[next] = made;
        next = (next + 1) % CACHED_VECTORS;
        return made;
    }

    /** One layer's blocks in the layout: weights at [weightOffset, +weights), then bias at [biasOffset, +biases). */
    record Layer(long weightOffset, long weights, long biasOffset, long biases, int fanIn, int fanOut, boolean output) {
    }

    /**
     * A fresh parameter vector, drawn in layout order from {@code new SplittableRandom(seed)}, so
     * it is the same on every platform. U(-r, r) below means r (2u - 1), u = nextDouble(); blocks
     * that are 0 draw nothing.
     * <ul>
     *   <li>default (PyTorch's nn.Linear and nn.Conv2d): weights and bias in U(-1/sqrt(fanIn), 1/sqrt(fanIn));</li>
     *   <li>xavier: weights in U(-sqrt(6/(fanIn+fanOut)), +), bias 0;</li>
     *   <li>mean-field: every layer but the output as default, the output layer's weights in
     *       U(-1, 1) and its bias 0 (the family scales the output).</li>
     * </ul>
     * The values are drawn in double and returned in {@code type}.
     */
    static INDArray draw(long seed, int numParams, Layer[] layers, Init init, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] theta = new double[numParams];
        for (Layer l : layers) {
            double defaultBound = 1.0 / Math.sqrt(l.fanIn());
            double weightBound;
            double biasBound;
            switch (init) {
                case DEFAULT -> {
                    weightBound = defaultBound;
                    biasBound = defaultBound;
                }
                case XAVIER -> {
                    weightBound = Math.sqrt(6.0 / (l.fanIn() + l.fanOut()));
                    biasBound = 0.0;
                }
                case MEAN_FIELD -> {
                    weightBound = l.output() ? 1.0 : defaultBound;
                    biasBound = l.output() ? 0.0 : defaultBound;
                }
                default -> throw new IllegalStateException("unknown init " + init);
            }
            fillUniform(theta, l.weightOffset(), l.weights(), weightBound, random);
            fillUniform(theta, l.biasOffset(), l.biases(), biasBound, random);
        }
        INDArray drawn = Nd4j.createFromArray(theta);
        return type == DataType.DOUBLE ? drawn : drawn.castTo(type);
    }

    private static void fillUniform(double[] into, long from, long count, double bound, SplittableRandom random) {
        if (bound == 0.0) {
            return;
        }
        for (long i = from; i < from + count; i++) {
            into[(int) i] = bound * (2.0 * random.nextDouble() - 1.0);
        }
    }

    /** Checks targets or output gradients: [rows, outputs] of the model's type. */
    static void checkOutputs(INDArray y, String name, int rows, int outputs, DataType dataType) {
        if (y == null) throw new IllegalArgumentException(name + " is required");
        if (y.dataType() != dataType) throw new IllegalArgumentException(name + " must be " + dataType + ", got " + y.dataType());
        if (y.rank() != 2 || y.rows() != rows || y.columns() != outputs) {
            throw new IllegalArgumentException(name + " must be [" + rows + ", " + outputs + "] like the rows of x, got shape "
                    + Arrays.toString(y.shape()));
        }
    }
}
