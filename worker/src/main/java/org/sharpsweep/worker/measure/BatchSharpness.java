package org.sharpsweep.worker.measure;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;

/**
 * Batch sharpness (docs/science.md, "Batch sharpness"; Andreyev &amp; Beneventano 2024, "Edge of
 * Stochastic Stability"): the mean over {@code measure.batch_sharpness_batches} random minibatches
 * B of the point's batch size of
 *
 * <pre>  g_B^T H_B g_B / ||g_B||^2,   g_B = grad L_B(theta),  H_B = hess L_B(theta),</pre>
 *
 * L_B the mean loss over B's rows (the penalty left out, as the sharpness leaves it out). The mean
 * is of the ratios (the paper's E_B[...], their code's default), not a ratio of means. Each
 * minibatch is a uniform random B-subset of the n training rows (drawn without replacement within
 * the batch, independently of the other batches and of the training's own batch order), from this
 * measure's seeded stream: {@code batch-sharpness} at the final parameters, {@code
 * batch-sharpness-<step>} along training. For B = n every draw is the whole training set, so the
 * one batch is it, in its order: the Rayleigh quotient g^T H g / ||g||^2 of the full Hessian at the
 * full gradient. A minibatch whose gradient is exactly zero has no direction and is skipped: the
 * mean and its standard error are over the others, {@code batch_sharpness_n} counts them, and with
 * none the value is null. Per minibatch one gradient and one exact Hessian-vector product on B rows
 * ({@link Curvature#trainingRows(int[])}).
 */
final class BatchSharpness implements Measurement {
    @Override
    public Measure declaration() {
        return Measures.BATCH_SHARPNESS_MEASURE;
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        int n = k.rows();
        int b = Math.min(c.batchSize(), n);
        int[][] batches = draws(n, b, c.spec().intValue(Measures.BATCH_SHARPNESS_BATCHES),
                c.stream(c.along() ? "batch-sharpness-" + c.step() : "batch-sharpness"));
        INDArray theta = k.theta().dataType() == DataType.DOUBLE ? k.theta() : k.theta().castTo(DataType.DOUBLE);
        INDArray g = Nd4j.create(DataType.DOUBLE, k.dim());
        INDArray hg = Nd4j.create(DataType.DOUBLE, k.dim());
        int count = 0;
        double mean = 0;
        double sq = 0;
        for (int[] batch : batches) {
            Curvature.TrainingRows rows = b == n ? k.trainingRows(0, n) : k.trainingRows(batch);
            rows.loss(theta, g);
            double gg = Nd4j.getBlasWrapper().dot(g, g);
            if (gg == 0) continue; // no direction: skipped (the mean is over the others)
            rows.hvp(theta, g, hg);
            double r = Nd4j.getBlasWrapper().dot(g, hg) / gg;
            count++;
            double d = r - mean; // Welford's running mean and sum of squares
            mean += d / count;
            sq += d * (r - mean);
        }
        c.put(Measures.BATCH_SHARPNESS, count == 0 ? null : mean);
        c.put(Measures.BATCH_SHARPNESS_STDERR, count < 2 ? null : Math.sqrt(sq / (count - 1) / count));
        c.put(Measures.BATCH_SHARPNESS_N, count);
    }

    /**
     * The row indices of {@code batches} minibatches of {@code b} of {@code n} rows from the stream
     * {@code seed}: each the first b entries of a partial Fisher-Yates shuffle (a uniform random
     * b-subset, its rows distinct), the batches independent of each other. For b = n one batch, the
     * rows in their order (every draw is the same set).
     */
    static int[][] draws(int n, int b, int batches, long seed) {
        if (b < 1 || b > n) throw new IllegalArgumentException("batch size must be in [1, " + n + "], got " + b);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (b == n) return new int[][] {order};
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] out = new int[batches][];
        for (int s = 0; s < batches; s++) {
            for (int i = 0; i < b; i++) {
                int j = i + rng.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            out[s] = java.util.Arrays.copyOf(order, b);
        }
        return out;
    }
}
