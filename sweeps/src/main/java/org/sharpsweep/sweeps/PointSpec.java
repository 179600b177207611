package org.sharpsweep.sweeps;

/**
 * Every setting of one grid point, resolved and cross-checked ({@link PointChecks}): what the
 * worker runs. Its one form is a {@link Settings} ({@link #settings()}); {@link #data()},
 * {@link #model()}, {@link #train()}, {@link #penalty()} and {@link #measure()} read it by
 * section. Built only by {@link #of}. Seeds are not settings; they travel in {@link GridPoint}.
 */
public final class PointSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Settings settings;
    private final DataSpec data;
    private final ModelSpec model;
    private final TrainSpec train;
    private final PenaltySpec penalty;
    private final MeasureSpec measure;

    private PointSpec(Settings resolved) {
        this.settings = resolved;
        this.data = resolved.data();
        this.model = resolved.model();
        this.train = resolved.train();
        this.penalty = resolved.penalty();
        this.measure = resolved.measure();
    }

    /**
     * The point of {@code settings}, resolved (full batch, epochs to steps, penalty coef 0 to
     * none, an mlp's conv settings dropped) and cross-checked ({@link PointChecks#resolve});
     * a SpecException names the setting and the value where it is not a point.
     */
    public static PointSpec of(Settings settings) {
        return new PointSpec(PointChecks.resolve(settings));
    }

    /** The resolved settings: the one form of this point. */
    public Settings settings() {
        return settings;
    }

    public DataSpec data() {
        return data;
    }

    public ModelSpec model() {
        return model;
    }

    public Loss loss() {
        return settings.loss();
    }

    public TrainSpec train() {
        return train;
    }

    public PenaltySpec penalty() {
        return penalty;
    }

    public MeasureSpec measure() {
        return measure;
    }

    /** This point with {@code s} at {@code value}, resolved and checked again. */
    public PointSpec with(Setting s, Object value) {
        return of(settings.with(s, value));
    }

    /**
     * This point trained in one task by the engine alone ({@code train.parallel: none}, one
     * worker): the same point and id; itself when it is not data-parallel.
     */
    public PointSpec alone() {
        if (!train.dataParallel()) return this;
        return of(settings.with(java.util.Map.of(Setting.PARALLEL, Parallel.NONE, Setting.WORKERS, 1)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointSpec p && settings.equals(p.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "PointSpec" + settings.toString().substring("Settings".length());
    }

    /** The shape of one input image; null for the teacher data set, whose inputs are no images. */
    public ImageShape imageShape() {
        return data().dataset().imageShape();
    }

    /**
     * The (channels, height, width) a cnn's last block hands to the dense part: block i has
     * {@code channels * 2^i} output channels, its convolution keeps the size (odd kernel,
     * padding kernel/2) and its pooling halves each side rounding down ({@code none}: keeps it).
     * Null for an mlp.
     */
    public ImageShape convOutput() {
        if (model().family() != Family.CNN) return null;
        ImageShape image = imageShape();
        int h = image.height(), w = image.width();
        for (int i = 0; i < model().convBlocks(); i++) {
            h = model().pooled(h);
            w = model().pooled(w);
        }
        return new ImageShape(model().blockChannels(model().convBlocks() - 1), h, w);
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
        long k = outputs(), w = model().width(), depth = model().depth();
        long d = MemoryEstimate.inputDim(this);
        long conv = 0;
        if (model().family() == Family.CNN) {
            long in = imageShape().channels(), kk = (long) model().kernel() * model().kernel();
            for (int i = 0; i < model().convBlocks(); i++) {
                long out = model().blockChannels(i);
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
        return data().isClassification() ? data().numClasses() : 1;
    }

    /** Samples that enter the non-uniformity: {@code measure.nonuniformity_samples}, or all. */
    public int nonuniformitySamples() {
        int m = measure().intValue(org.sharpsweep.sweeps.measure.Measures.NONUNIFORMITY_SAMPLES);
        return m == 0 ? data().nTrain() : m;
    }
}
