package org.sharpsweep.worker.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The DARC1 penalty of Kawaguchi, Kaelbling &amp; Bengio: (lambda/B) max_k sum_{i in batch}
 * |h_k(x_i)| over the output units k, on a minibatch of B samples.
 */
public final class Darc1 {
    private Darc1() {
    }

    /** Penalty value for outputs h [B, k]. */
    public static double value(INDArray h, double lambda) {
        return lambda / h.rows() * Transforms.abs(h, true).sum(0).maxNumber().doubleValue();
    }

    /**
     * Gradient of the penalty with respect to the outputs, [B, k]: (lambda/B) sign(h_{i k*}) in
     * column k* = argmax_k sum_i |h_{ik}| and 0 elsewhere (a subgradient where |h| has a kink or
     * the maximising k is tied; the first maximiser is taken).
     */
    public static INDArray outputGradient(INDArray h, double lambda) {
        int kStar = Nd4j.argMax(Transforms.abs(h, true).sum(0)).getInt(0);
        INDArray g = Nd4j.zerosLike(h);
        g.putColumn(kStar, Transforms.sign(h.getColumn(kStar), true).muli(lambda / h.rows()));
        return g;
    }
}
