package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks that read more than one setting, and the normalisations that make equal
 * computations one point (docs/spec.md). A value alone is checked where it is put into a
 * {@link Settings} (the range check its {@link Setting} declares); what is left is here:
 * {@link #sections} checks each section's settings together (what a sweep's base settings must
 * satisfy before any grid value is put in), {@link #resolve} also the point as a whole.
 */
final class PointChecks {
    private PointChecks() {
    }

    /** Each section's settings together: data, model, train, penalty, measure, in that order. */
    static void sections(Settings s) {
        checkData(s.data());
        checkTrain(s.train());
        checkPenalty(s.penalty());
        s.measure(); // MeasureSpec checks the measure settings together
    }

    /**
     * The point of {@code s}: its sections checked ({@link #sections}), then resolved and
     * cross-checked. Full batch ({@code batch_size} 0) becomes n_train, epochs become steps,
     * penalty coef 0 becomes no penalty, an mlp's conv settings their defaults (points that
     * differ only there are one computation, one id), sgd's SAM settings their defaults (likewise);
     * {@code batch_size <= n_train}, what a cnn
     * and a data-parallel point need. Resolving a resolved point changes nothing.
     */
    static Settings resolve(Settings s) {
        sections(s);
        TrainSpec train = s.train();
        // checked on the point, not the train section: either may be a grid axis (from_point: [id1, id2])
        if ((train.fromSweep() == null) != (train.fromPoint() == null)) {
            throw new SpecException("train.from_sweep and train.from_point go together: got " + (train.fromSweep() == null
                    ? "from_point " + train.fromPoint() + " without from_sweep" : "from_sweep " + train.fromSweep() + " without from_point"));
        }
        int nTrain = s.data().nTrain();
        if (train.batchSize() == 0) s = s.with(Setting.BATCH_SIZE, nTrain);
        int batch = s.train().batchSize();
        if (batch > nTrain) {
            throw new SpecException("train.batch_size " + batch + " is larger than data.n_train " + nTrain);
        }
        if (train.epochs() > 0) {
            long steps = (long) train.epochs() * (nTrain / batch);
            if (steps > Integer.MAX_VALUE) {
                throw new SpecException("train.epochs " + train.epochs() + " at batch_size " + batch
                        + " is " + steps + " steps, more than " + Integer.MAX_VALUE);
            }
            s = s.with(Setting.STEPS, (int) steps);
        }
        PenaltySpec penalty = s.penalty();
        if (penalty.kind() == PenaltyKind.NONE && penalty.coef() != 0) {
            throw new SpecException("penalty.coef is " + penalty.coef() + " but penalty.kind is none; choose gradnorm, l2 or darc1");
        }
        if (penalty.coef() == 0 && (penalty.kind() != PenaltyKind.NONE || penalty.microbatch() != 0 || penalty.scaleWithLr())) {
            s = s.with(Map.of(Setting.PENALTY, PenaltyKind.NONE, Setting.PENALTY_COEF, 0.0, Setting.PENALTY_MICROBATCH, 0,
                    Setting.PENALTY_SCALE_WITH_LR, false));
            penalty = s.penalty();
        }
        if (penalty.microbatch() > 0 && batch % penalty.microbatch() != 0) {
            throw new SpecException("penalty.microbatch " + penalty.microbatch() + " must divide train.batch_size "
                    + batch + " (each step's batch is cut into micro-batches of that many samples)");
        }
        if (s.model().family() == Family.MLP) s = withoutConv(s); // like penalty coef 0: the conv settings mean nothing for an mlp
        if (!s.train().sam()) s = withoutSam(s); // likewise, sam_rho and sam_adaptive mean nothing for sgd
        if (s.model().family() == Family.CNN) checkConv(s.data(), s.model());
        if (s.loss() == Loss.XENT && !s.data().isClassification()) {
            throw new SpecException("loss xent needs a classification data set, got dataset " + s.data().dataset().specName());
        }
        if (s.train().dataParallel()) checkDataParallel(s);
        String rows = s.train().dataParallel() ? org.sharpsweep.sweeps.measure.Measures.dataParallelProblem(s.measure()) : null;
        if (rows != null) throw new SpecException(rows);
        int samples = s.measure().intValue(org.sharpsweep.sweeps.measure.Measures.NONUNIFORMITY_SAMPLES);
        if (samples > nTrain) {
            throw new SpecException("measure.nonuniformity_samples " + samples + " is larger than data.n_train " + nTrain);
        }
        return s;
    }

    /** {@code s} with the conv settings at their defaults (itself when they are). */
    private static Settings withoutConv(Settings s) {
        Map<Setting, Object> defaults = new java.util.HashMap<>();
        for (Setting c : List.of(Setting.CONV_BLOCKS, Setting.CHANNELS, Setting.KERNEL, Setting.POOL)) {
            if (!c.defaultValue().equals(s.get(c))) defaults.put(c, c.defaultValue());
        }
        return defaults.isEmpty() ? s : s.with(defaults);
    }

    /** {@code s} with sam_rho and sam_adaptive at their defaults (itself when they are). */
    private static Settings withoutSam(Settings s) {
        Map<Setting, Object> defaults = new java.util.HashMap<>();
        for (Setting c : List.of(Setting.SAM_RHO, Setting.SAM_ADAPTIVE)) {
            if (!c.defaultValue().equals(s.get(c))) defaults.put(c, c.defaultValue());
        }
        return defaults.isEmpty() ? s : s.with(defaults);
    }

    /**
     * What the data settings accept together: the teacher's inputs lie on the unit sphere and have
     * no classes, its samples fit one Java array; an image data set needs its path, and a class
     * subset of distinct classes in [0, 9], at least two.
     */
    static void checkData(DataSpec d) {
        List<Integer> classes = d.classes();
        if (d.dataset() == Dataset.TEACHER) {
            // the samples are one array of n x input_dim values (Java arrays hold at most 2^31 - 9)
            for (int n : new int[]{d.nTrain(), d.nTest()}) {
                if ((long) n * d.inputDim() > Integer.MAX_VALUE - 8) {
                    throw new SpecException((n == d.nTrain() ? "data.n_train " : "data.n_test ") + n + " with data.input_dim "
                            + d.inputDim() + " is " + (long) n * d.inputDim() + " values in one array, more than "
                            + (Integer.MAX_VALUE - 8) + "; make one of them smaller");
                }
            }
            if (d.target() == Target.CIRCLE_NEURON && d.inputDim() < 2) {
                throw new SpecException("data.input_dim must be >= 2 for target circle-neuron, got " + d.inputDim());
            }
            if (!classes.isEmpty()) throw new SpecException("data.classes applies to classification data sets, not teacher; got " + classes);
            if (d.labelNoise() != 0) {
                throw new SpecException("data.label_noise applies to classification data sets, not teacher; got " + d.labelNoise());
            }
            if (d.scale() != InputScale.UNIT) {
                throw new SpecException("data.scale applies to image data sets, not teacher (its inputs lie on the unit sphere); got "
                        + d.scale().specName());
            }
        } else {
            String path = d.path();
            if (path == null || path.isBlank()) {
                throw new SpecException("data.path is required for dataset " + d.dataset().specName()
                        + (path == null ? "" : ", got '" + path + "'"));
            }
            int maxClass = 9;
            for (int c : classes) {
                if (c < 0 || c > maxClass) throw new SpecException("data.classes entries must be in [0, " + maxClass + "], got " + c);
            }
            if (classes.size() != classes.stream().distinct().count()) {
                throw new SpecException("data.classes has a repeated class: " + classes);
            }
            if (classes.size() == 1) throw new SpecException("data.classes needs at least two classes, got " + classes);
        }
    }

    /** {@code workers} needs {@code parallel: data}; a point to start from is named, not blank. */
    static void checkTrain(TrainSpec t) {
        if (t.parallel() == Parallel.NONE && t.workers() != 1) {
            throw new SpecException("train.workers " + t.workers() + " needs train.parallel: data (it is the number of Spark workers "
                    + "one data-parallel point is trained on); without it each point runs in one task");
        }
        if ((t.fromSweep() != null && t.fromSweep().isBlank()) || (t.fromPoint() != null && t.fromPoint().isBlank())) {
            throw new SpecException("train.from_sweep and train.from_point must not be blank");
        }
    }

    /** Micro-batches belong to the gradnorm penalty. */
    static void checkPenalty(PenaltySpec p) {
        if (p.microbatch() > 0 && p.kind() != PenaltyKind.GRADNORM && p.kind() != PenaltyKind.NONE) {
            throw new SpecException("penalty.microbatch " + p.microbatch() + " applies to penalty.kind gradnorm only, got kind "
                    + p.kind().specName());
        }
    }

    /**
     * What a data-parallel point can be: what Deeplearning4j Spark trains exactly as the engine
     * does. Its network is a DL4J MultiLayerNetwork (dense layers: family mlp), its loss one of
     * DL4J's (mse, softmax cross-entropy), its updater plain SGD in float64 with the averaged
     * step being the step on the whole batch (no momentum: the workers' updater states would be
     * averaged too; no penalty: DL4J has none of the engine's; no SAM: DL4J's updater steps with
     * the gradient at theta, not at SAM's perturbed theta + e), its output layer without the
     * mean-field scale, each batch cut into equal parts.
     */
    private static void checkDataParallel(Settings s) {
        ModelSpec model = s.model();
        TrainSpec train = s.train();
        String why = null;
        if (model.family() != Family.MLP) why = "model.family " + model.family().specName() + ": only mlp (a DL4J dense network)";
        else if (s.loss() == Loss.HALF_SSE) why = "loss half-sse: DL4J has mse and xent, not 0.5 ||f - y||^2";
        else if (model.init() == Init.MEAN_FIELD) why = "model.init mean-field: DL4J's output layer has no 1/width output scale";
        else if (train.momentum() != 0) why = "train.momentum " + train.momentum() + ": only plain SGD averages to the step on the whole batch";
        else if (train.sam()) why = "train.optimizer sam: DL4J's updater steps with the gradient at theta, not at SAM's theta + e";
        else if (s.penalty().kind() != PenaltyKind.NONE) why = "penalty.kind " + s.penalty().kind().specName() + ": DL4J trains the plain loss";
        else if (train.dtype() != DType.FLOAT64) why = "train.dtype " + train.dtype().specName() + ": only float64";
        else if (train.batchSize() % train.workers() != 0) why = unevenBatch(train.batchSize(), train.workers(), s.data().nTrain());
        if (why != null) throw new SpecException("train.parallel: data cannot train this point: " + why);
    }

    /**
     * Why a batch of {@code b} rows cannot be cut into {@code w} equal parts, with what would do:
     * the largest worker counts up to {@code w} that divide {@code b}, and the next multiple of
     * {@code w} as a batch size where the {@code n} training rows allow it.
     */
    static String unevenBatch(int b, int w, int n) {
        List<Integer> divisors = new ArrayList<>();
        for (int d = Math.min(w, b); d >= 2 && divisors.size() < 3; d--) if (b % d == 0) divisors.add(d);
        long up = ((long) b + w - 1) / w * w;
        StringBuilder fix = new StringBuilder();
        if (!divisors.isEmpty()) {
            fix.append("train.workers ").append(divisors.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" or ")))
                    .append(" (").append(divisors.size() == 1 ? "a divisor" : "divisors").append(" of ").append(b).append(')');
        }
        if (up <= n) fix.append(fix.length() > 0 ? ", or " : "").append("train.batch_size ").append(up).append(" (a multiple of ").append(w).append(')');
        if (fix.length() == 0) fix.append("train.parallel: none (").append(b).append(" rows cannot be split over workers)");
        return "train.batch_size " + b + (b == n ? " (the full batch: n_train)" : "") + (w > b ? " is smaller than" : " is not a multiple of")
                + " train.workers " + w + " (each worker takes an equal part of every batch" + (w > b ? ", at least one row" : "")
                + "); use " + fix;
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
}
