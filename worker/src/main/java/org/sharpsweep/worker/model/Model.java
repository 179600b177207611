package org.sharpsweep.worker.model;

import java.util.LinkedHashMap;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network family as the trainer, the curvature operators, the metrics and the parameter export
 * see it: a parameter vector of fixed layout, its initialization, forward pass, loss and gradient,
 * the exact Hessian-vector product, the batched per-sample products of the non-uniformity and the
 * output-gradient hooks of the penalties. Nothing outside this package needs to know which family
 * it holds ({@link Models#of}); the families are {@link Mlp} and {@link Cnn}.
 *
 * <p>Conventions for every method: rows of x are samples, L = (1/m) sum_i l_i over the m rows,
 * arrays are of {@link #dataType()}, and a model holds scratch buffers, so one instance serves one
 * thread.
 */
public interface Model {
    /** The type of every array this model reads and writes: DOUBLE, or FLOAT for float32 training. */
    DataType dataType();

    /** The same network (layout, init, loss) for arrays of {@code type}; a new instance with its own buffers. */
    Model withDataType(DataType type);

    /** The order ('f' or 'c') in which per-sample arrays of {@code rows} rows meet the outputs in one pass. */
    char sampleOrder(int rows);

    /** P, the length of the parameter vector. */
    int numParams();

    /** A fresh parameter vector drawn from {@code seed} by the family's initialization. */
    INDArray initParams(long seed);

    /** The outputs f(x) [m, outputs], a new array. */
    INDArray predict(INDArray theta, INDArray x);

    /** L over the rows of x and y. */
    double loss(INDArray theta, INDArray x, INDArray y);

    /** The loss on some rows and the outputs it was computed from, from one forward pass. */
    record Evaluation(double loss, INDArray outputs) {
    }

    /** {@link #loss} and {@link #predict} (a new array) from one forward pass. */
    Evaluation evaluate(INDArray theta, INDArray x, INDArray y);

    /** grad := dL/dtheta; returns L. */
    double lossAndGradient(INDArray theta, INDArray x, INDArray y, INDArray grad);

    /** grad := sum_i J_i^T g_i with g [m, outputs] fixed (J_i = df(x_i)/dtheta); not divided by m. */
    void backpropOutputGradient(INDArray theta, INDArray x, INDArray g, INDArray grad);

    /** out := H v, H the Hessian of L; exact (R-operator). */
    void hvp(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray out);

    /** out := (Hessian of sum_i g_i . f(x_i), g fixed) times v; not divided by m. */
    void hvpOutputLinear(INDArray theta, INDArray x, INDArray g, INDArray v, INDArray out);

    /** sumHv := sum_i H_i v and sumHHv := sum_i H_i (H_i v), H_i the Hessian of l_i (sums, not means). */
    void perSampleMoments(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray sumHv, INDArray sumHHv);

    /**
     * The parameters as the arrays a user rebuilds the network from, in order, by file name
     * without extension (for the MLP {@code W1, b1, W2, ...}, W as [in, out]); copies, float64.
     */
    LinkedHashMap<String, INDArray> exportArrays(INDArray theta);

    /**
     * What a user needs to rebuild the network from {@link #exportArrays}: {@code family} and
     * every architectural setting, the loss, and how the arrays are laid out; written next to
     * them as {@code model.json}.
     */
    LinkedHashMap<String, Object> describe();
}
