package org.sharpsweep.sweeps;

/**
 * How a point's training is spread ({@code train.parallel}): {@code none}, the whole point in one
 * Spark task (the default, and what a sweep of many points wants); {@code data}, one point trained
 * data-parallel over {@code train.workers} Spark workers with Deeplearning4j Spark's parameter
 * averaging after every step, which with plain SGD is the same minibatch SGD (each batch cut into
 * equal parts). Either way the same point is computed: it is not part of the point id.
 */
public enum Parallel implements Named {
    NONE, DATA;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
