package org.sharpsweep.sweeps;

/**
 * Every setting of one grid point, resolved and cross-checked: what the worker runs. Seeds are
 * not settings; they travel in {@link GridPoint}.
 */
public record PointSpec(DataSpec data, ModelSpec model, Loss loss, TrainSpec train, PenaltySpec penalty,
                        MeasureSpec measure) implements java.io.Serializable {
    public PointSpec {
        if (loss == null) throw new SpecException("loss is required");
        // checked on the point, not the train section: either may be a grid axis (from_point: [id1, id2])
        if ((train.fromSweep() == null) != (train.fromPoint() == null)) {
            throw new SpecException("train.from_sweep and train.from_point go together: got " + (train.fromSweep() == null
                    ? "from_point " + train.fromPoint() + " without from_sweep" : "from_sweep " + train.fromSweep() + " without from_point"));
        }
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
        if (model.family() == Family.MLP && !model.equals(model.withoutConv())) {
            model = model.withoutConv(); // like penalty coef 0: the conv settings mean nothing for an mlp
        }
        if (model.family() == Family.CNN) checkConv(data, model);
        if (loss == Loss.XENT && !data.isClassification()) {
            throw new SpecException("loss xent needs a classification data set, got dataset " + data.dataset().specName());
        }
        if (train.dataParallel()) checkDataParallel(model, loss, train, penalty);
        if (train.dataParallel() && org.sharpsweep.sweeps.measure.Measures.dataParallelProblem(measure) != null) {
            throw new SpecException(org.sharpsweep.sweeps.measure.Measures.dataParallelProblem(measure));
        }
        int samples = measure.intValue(org.sharpsweep.sweeps.measure.Measures.NONUNIFORMITY_SAMPLES);
        if (samples > data.nTrain()) {
            throw new SpecException("measure.nonuniformity_samples " + samples
                    + " is larger than data.n_train " + data.nTrain());
        }
    }

    /**
     * What a data-parallel point can be: what Deeplearning4j Spark trains exactly as the engine
     * does. Its network is a DL4J MultiLayerNetwork (dense layers: family mlp), its loss one of
     * DL4J's (mse, softmax cross-entropy), its updater plain SGD in float64 with the averaged
     * step being the step on the whole batch (no momentum: the workers' updater states would be
     * averaged too; no penalty: DL4J has none of the engine's), its output layer without the
     * mean-field scale, each batch cut into equal parts.
     */
    private static void checkDataParallel(ModelSpec model, Loss loss, TrainSpec train, PenaltySpec penalty) {
        String why = null;
        if (model.family() != Family.MLP) why = "model.family " + model.family().specName() + ": only mlp (a DL4J dense network)";
        else if (loss == Loss.HALF_SSE) why = "loss half-sse: DL4J has mse and xent, not 0.5 ||f - y||^2";
        else if (model.init() == Init.MEAN_FIELD) why = "model.init mean-field: DL4J's output layer has no 1/width output scale";
        else if (train.momentum() != 0) why = "train.momentum " + train.momentum() + ": only plain SGD averages to the step on the whole batch";
        else if (penalty.kind() != PenaltyKind.NONE) why = "penalty.kind " + penalty.kind().specName() + ": DL4J trains the plain loss";
        else if (train.dtype() != DType.FLOAT64) why = "train.dtype " + train.dtype().specName() + ": only float64";
        else if (train.batchSize() % train.workers() != 0) {
            why = "train.batch_size " + train.batchSize() + " is not a multiple of train.workers " + train.workers()
                    + " (each worker takes an equal part of every batch)";
        }
        if (why != null) throw new SpecException("train.parallel: data cannot train this point: " + why);
    }

    /**
     * A cnn needs images, and each block's pooling must leave at least one pixel: with 2x2
     * pooling a side of 28 goes 28 -> 14 -> 7 -> 3 -> 1, so four blocks fit and a fifth does not.
     */
    private static void checkConv(DataSpec data, ModelSpec model) {
        ImageShape image = data.dataset().imageShape();
        if (image == null) {
            throw new SpecException("model.family cnn needs image inputs; dataset " + data.dataset().specName() + " has "
                    + "input_dim features, not images: use family mlp or an image data set");
        }
        int h = image.height(), w = image.width();
        StringBuilder sizes = new StringBuilder().append(h).append('x').append(w);
        for (int i = 0; i < model.convBlocks(); i++) {
            h = model.pooled(h);
            w = model.pooled(w);
            sizes.append(" -> ").append(h).append('x').append(w);
            if (h < 1 || w < 1) {
                throw new SpecException("model.conv_blocks " + model.convBlocks() + " with pool " + model.pool().specName()
                        + " leaves no pixels: dataset " + data.dataset().specName() + " has " + image
                        + " images, and the blocks' pooling takes them " + sizes + "; give at most " + i
                        + " conv_blocks (or pool none)");
            }
        }
    }

    /** The shape of one input image; null for the teacher data set, whose inputs are no images. */
    public ImageShape imageShape() {
        return data.dataset().imageShape();
    }

    /**
     * The (channels, height, width) a cnn's last block hands to the dense part: block i has
     * {@code channels * 2^i} output channels, its convolution keeps the size (odd kernel,
     * padding kernel/2) and its pooling halves each side rounding down ({@code none}: keeps it).
     * Null for an mlp.
     */
    public ImageShape convOutput() {
        if (model.family() != Family.CNN) return null;
        ImageShape image = imageShape();
        int h = image.height(), w = image.width();
        for (int i = 0; i < model.convBlocks(); i++) {
            h = model.pooled(h);
            w = model.pooled(w);
        }
        return new ImageShape(model.blockChannels(model.convBlocks() - 1), h, w);
    }

    /**
     * P, the number of the network's parameters. The dense part with d inputs, k outputs, width
     * w: (d w + w) + (depth - 1)(w^2 + w) + (w k + k), or d k + k without hidden layers. An mlp's
     * d is the input dimension; a cnn adds, for block i with in_i input channels (in_0 the
     * image's, in_{i+1} = out_i) and out_i = channels 2^i output channels, out_i in_i kernel^2 +
     * out_i (weights and one bias per output channel), and its d is F = out_last H_last W_last,
     * the flattened output of the last block ({@link #convOutput}).
     */
    public long numParams() {
        long k = outputs(), w = model.width(), depth = model.depth();
        long d = MemoryEstimate.inputDim(this);
        long conv = 0;
        if (model.family() == Family.CNN) {
            long in = imageShape().channels(), kk = (long) model.kernel() * model.kernel();
            for (int i = 0; i < model.convBlocks(); i++) {
                long out = model.blockChannels(i);
                conv += out * in * kk + out;
                in = out;
            }
            ImageShape f = convOutput();
            d = (long) f.channels() * f.height() * f.width();
        }
        return conv + (depth == 0 ? d * k + k : (d * w + w) + (depth - 1) * (w * w + w) + (w * k + k));
    }

    /** Number of network outputs k: classes for classification, 1 for regression. */
    public int outputs() {
        return data.isClassification() ? data.numClasses() : 1;
    }

    /** Samples that enter the non-uniformity: {@code measure.nonuniformity_samples}, or all. */
    public int nonuniformitySamples() {
        int m = measure.intValue(org.sharpsweep.sweeps.measure.Measures.NONUNIFORMITY_SAMPLES);
        return m == 0 ? data.nTrain() : m;
    }
}
