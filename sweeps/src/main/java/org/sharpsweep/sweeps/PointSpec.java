package org.sharpsweep.sweeps;

/**
 * Every setting of one grid point, resolved and cross-checked: what the worker runs. Seeds are
 * not settings; they travel in {@link GridPoint}.
 */
public record PointSpec(DataSpec data, ModelSpec model, Loss loss, TrainSpec train, PenaltySpec penalty,
                        MeasureSpec measure) implements java.io.Serializable {
    public PointSpec {
        if (loss == null) throw new SpecException("loss is required");
        if (train.batchSize() == 0) {
            train = train.withStepsAndBatch(train.steps(), data.nTrain());
        }
        if (train.batchSize() > data.nTrain()) {
            throw new SpecException("train.batch_size " + train.batchSize() + " is larger than data.n_train " + data.nTrain());
        }
        if (train.epochs() > 0) {
            long steps = (long) train.epochs() * (data.nTrain() / train.batchSize());
            if (steps > Integer.MAX_VALUE) {
                throw new SpecException("train.epochs " + train.epochs() + " at batch_size " + train.batchSize()
                        + " is " + steps + " steps, more than " + Integer.MAX_VALUE);
            }
            train = train.withStepsAndBatch((int) steps, train.batchSize());
        }
        if (penalty.kind() == PenaltyKind.NONE && penalty.coef() != 0) {
            throw new SpecException("penalty.coef is " + penalty.coef() + " but penalty.kind is none; choose gradnorm, l2 or darc1");
        }
        if (penalty.coef() == 0 && (penalty.kind() != PenaltyKind.NONE || penalty.microbatch() != 0 || penalty.scaleWithLr())) {
            penalty = new PenaltySpec(PenaltyKind.NONE, 0.0);
        }
        if (penalty.microbatch() > 0 && train.batchSize() % penalty.microbatch() != 0) {
            throw new SpecException("penalty.microbatch " + penalty.microbatch() + " must divide train.batch_size "
                    + train.batchSize() + " (each step's batch is cut into micro-batches of that many samples)");
        }
        if (loss == Loss.XENT && !data.isClassification()) {
            throw new SpecException("loss xent needs a classification data set, got dataset " + data.dataset().specName());
        }
        if (measure.nonuniformitySamples() > data.nTrain()) {
            throw new SpecException("measure.nonuniformity_samples " + measure.nonuniformitySamples()
                    + " is larger than data.n_train " + data.nTrain());
        }
    }

    /**
     * P, the number of the network's parameters: (d w + w) + (depth - 1)(w^2 + w) + (w k + k),
     * or d k + k without hidden layers (d the input dimension, k the outputs).
     */
    public long numParams() {
        long d = MemoryEstimate.inputDim(this), k = outputs(), w = model.width(), depth = model.depth();
        return depth == 0 ? d * k + k : (d * w + w) + (depth - 1) * (w * w + w) + (w * k + k);
    }

    /** Number of network outputs k: classes for classification, 1 for regression. */
    public int outputs() {
        return data.isClassification() ? data.numClasses() : 1;
    }

    /** Samples that enter the non-uniformity: {@code measure.nonuniformity_samples}, or all. */
    public int nonuniformitySamples() {
        return measure.nonuniformitySamples() == 0 ? data.nTrain() : measure.nonuniformitySamples();
    }
}
