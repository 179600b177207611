package org.sharpsweep.worker.train;

import java.util.SplittableRandom;
import org.sharpsweep.sweeps.Seeds;

/**
 * The minibatch order of a point's training, step by step: full batch (b = n) uses every sample
 * at every step; otherwise each epoch shuffles the samples (Fisher-Yates with the point seed's
 * {@code minibatch-order} stream) and cuts the permutation into n / b consecutive batches of b
 * (the last n mod b samples of an epoch sit out). {@link Trainer} trains on it, and anything
 * that must see the same batches (data-parallel training) draws them from it too.
 */
public final class BatchOrder {
    private final int batchSize;
    private final int perEpoch;
    private final boolean fullBatch;
    private final SplittableRandom rng;
    private final int[] order;
    private final int[] batch;
    private int step;

    /** @param seed the point's seed */
    public BatchOrder(int n, int batchSize, long seed) {
        if (batchSize < 1 || batchSize > n) throw new IllegalArgumentException("train.batch_size must be in [1, " + n + "], got " + batchSize);
        this.batchSize = batchSize;
        this.fullBatch = batchSize == n;
        this.perEpoch = n / batchSize;
        this.rng = new SplittableRandom(Seeds.stream(seed, "minibatch-order"));
        this.order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        this.batch = new int[batchSize];
    }

    /** Whether every step uses all n samples in their order. */
    public boolean fullBatch() {
        return fullBatch;
    }

    /**
     * The sample indices of the next step's batch, steps taken in order from 0; the array is
     * this object's own and the next call overwrites it.
     */
    public int[] next() {
        if (fullBatch) {
            step++;
            return order;
        }
        int inEpoch = step % perEpoch;
        if (inEpoch == 0) shuffle(order, rng);
        System.arraycopy(order, inEpoch * batchSize, batch, 0, batchSize);
        step++;
        return batch;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
