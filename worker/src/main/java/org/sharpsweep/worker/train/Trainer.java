package org.sharpsweep.worker.train;


import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.DType;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.worker.model.Model;

/**
 * Minibatch SGD, or SAM, with reshuffling every epoch (docs/science.md).
 *
 * <p>Each epoch draws a permutation of the n training samples from the point's seed and takes
 * consecutive minibatches of exactly B samples without replacement; when B does not divide n
 * the last n mod B samples of the permutation sit out that epoch (so every step sees exactly B
 * samples, as the stability analysis assumes). B = n is full-batch gradient descent, with no
 * shuffling.
 *
 * <p>A step on minibatch j with loss C_j and gradient g_j moves theta by -lr times:
 * <ul>
 *   <li>{@code none}: g_j;</li>
 *   <li>{@code l2}: g_j + lambda theta, the gradient of C_j + (lambda/2)||theta||^2;</li>
 *   <li>{@code gradnorm}: g_j + (lambda/2) H_j g_j, the gradient of C_j + (lambda/4)||g_j||^2
 *       (Smith, Dherin, Barrett &amp; De 2021), with one exact Hessian-vector product; with
 *       {@code penalty.microbatch: b} the penalty is (lambda/4m) sum_k ||g_jk||^2 over the batch's
 *       m = B/b micro-batches in order, so that full-batch GD with lambda = lr carries SGD's
 *       implicit regularizer (one gradient and one product per micro-batch);</li>
 *   <li>{@code darc1}: g_j + the gradient of (lambda/B) max_k sum_{i in batch} |h_k(x_i)|
 *       (Kawaguchi et al.), a subgradient at the maximising output k.</li>
 * </ul>
 * With momentum mu the update is buf = mu buf + d, theta -= lr buf (PyTorch's convention).
 *
 * <p>SAM ({@code train.optimizer: sam}; Foret et al. 2021, and ASAM, Kwon et al. 2021, under
 * {@code train.sam_adaptive}): the objective on minibatch j is the penalized one above, L_j = C_j
 * plus the penalty, with direction d_j(theta). A SAM step computes g = d_j(theta), the
 * perturbation e = rho T^2 g / ||T g|| with T = diag(|theta|) (adaptive) or the identity, e = 0
 * where ||T g|| = 0, and then takes the update above (momentum included) with d = d_j(theta + e),
 * on the same minibatch: two gradients (and penalty terms) per step, {@link #samPoint}. The
 * divergence rule reads the loss at theta, as for SGD.
 *
 * <p>Divergence: a minibatch loss that is NaN, infinite or above {@code train.divergence_loss}
 * stops training; {@link Outcome#divergedAtStep} is the number of updates already taken.
 * {@code train.stop_at_loss} ends it after the first epoch whose mean minibatch loss is below
 * that value ({@link Losses}).
 *
 * <p>Precision ({@code train.dtype}): float64 trains the DOUBLE parameters in place. float32
 * converts the parameters and the data to FLOAT once, takes every step in float32 (model
 * buffers, gradient, update) and writes the result back into the DOUBLE parameter vector at
 * the end, so that whatever comes after (the measurements) works in float64.
 *
 * <p>Not thread-safe: one trainer per thread.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * How training ended. divergedAtStep is null unless it diverged; lastLoss is the minibatch
     * loss of the last step taken (before its update; NaN when no step was taken); stopped: whether
     * {@code train.stop_at_loss} ended it; lossPeakRatio: the largest minibatch loss of the steps
     * taken over the first step's (null when no step was taken or the ratio is not finite).
     */
    public record Outcome(int stepsDone, Integer divergedAtStep, String reason, double lastLoss, boolean stopped,
                          Double lossPeakRatio) {
        public boolean diverged() {
            return divergedAtStep != null;
        }
    }

    /**
     * What a training keeps of its minibatch losses, one per training; every trainer (this one,
     * the lockstep trainer, the data-parallel one) feeds it each step's loss, so that all end at
     * the same step for the same reason (docs/science.md, "Optimizer"):
     * <ul>
     *   <li>divergence: a loss that is NaN, infinite or above {@code train.divergence_loss} ends
     *       training before that step's update;</li>
     *   <li>{@code train.stop_at_loss}: training ends after the first epoch (floor(n / B) steps,
     *       counted from the first step; one step for full-batch GD) whose losses have a mean
     *       below it;</li>
     *   <li>the first loss and the largest, for the row's {@code loss_peak_ratio}.</li>
     * </ul>
     * It also reports each step and the end to the thread's {@link StepProgress}.
     */
    public static final class Losses {
        private final double divergenceLoss;
        private final Double stopAt;
        private final int epoch;
        private double first = Double.NaN;
        private double peak = Double.NaN;
        private double last = Double.NaN;
        private double epochSum;
        private int inEpoch;
        private boolean stop;

        /** @param n the training rows */
        public Losses(TrainSpec train, int n) {
            this.divergenceLoss = train.divergenceLoss();
            this.stopAt = train.stopAtLoss();
            this.epoch = Math.max(1, n / Math.max(1, train.batchSize()));
        }

        /**
         * The loss of step {@code step} (0 = the first), at the parameters before its update: the
         * outcome of a divergence there, or null to take the step.
         */
        public Outcome at(int step, double loss) {
            StepProgress.step(step);
            last = loss;
            if (!Double.isFinite(loss) || loss > divergenceLoss) {
                StepProgress.ended();
                return new Outcome(step, step, "minibatch loss " + loss + " at step " + step
                        + (Double.isFinite(loss) ? " exceeds train.divergence_loss " + divergenceLoss : ""), loss, false, peakRatio());
            }
            if (Double.isNaN(first)) first = loss;
            if (!(loss <= peak)) peak = loss;
            if (stopAt != null) {
                epochSum += loss;
                if (++inEpoch == epoch) {
                    stop = epochSum / epoch < stopAt;
                    epochSum = 0;
                    inEpoch = 0;
                }
            }
            return null;
        }

        /** Whether training ends after the step whose loss came last ({@code train.stop_at_loss}). */
        public boolean stops() {
            return stop;
        }

        /** The outcome of a training that did not diverge, after {@code stepsDone} updates. */
        public Outcome end(int stepsDone) {
            StepProgress.ended();
            return new Outcome(stepsDone, null, null, last, stop, peakRatio());
        }

        private Double peakRatio() {
            double r = peak / first;
            return Double.isFinite(r) ? r : null;
        }
    }

    /**
     * Sees the parameters during training ({@code measure.every}): called after {@code step}
     * updates with the parameters at that point, in float64 (a copy when training in float32);
     * it must not modify them. Its time is not training time.
     */
    public interface Observer {
        void at(int step, INDArray theta);
    }

    /**
     * Trains {@code theta} in place.
     *
     * @param seed the point's seed; the minibatch order derives from it
     */
    public static Outcome train(Model model, INDArray theta, INDArray x, INDArray y, TrainSpec train,
                                PenaltySpec penalty, long seed) {
        return train(model, theta, x, y, train, penalty, seed, 0, null);
    }

    /**
     * As {@link #train(Model, INDArray, INDArray, INDArray, TrainSpec, PenaltySpec, long)}, calling
     * {@code observer} at step 0 and after every {@code every} updates (never after a diverging
     * step; not at the end unless the last step is a multiple of {@code every}).
     *
     * @param every    observe every this many updates; 0 = never
     * @param observer null = none
     */
    public static Outcome train(Model model, INDArray theta, INDArray x, INDArray y, TrainSpec train,
                                PenaltySpec penalty, long seed, int every, Observer observer) {
        if (every < 0) throw new IllegalArgumentException("every must be >= 0, got " + every);
        penalty = penalty.at(train.lr()); // lambda = coef x lr under penalty.scale_with_lr
        Observer watch = every == 0 || observer == null ? null
                : theta.dataType() == DataType.DOUBLE && train.dtype() == DType.FLOAT64 ? observer
                : (step, t) -> observer.at(step, t.castTo(DataType.DOUBLE));
        DataType type = train.dtype() == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
        Model typed = model.withDataType(type);
        INDArray yt = as(y, type);
        if (train.batchSize() == x.rows() && yt.ordering() != typed.sampleOrder((int) x.rows())) {
            yt = yt.dup(typed.sampleOrder((int) x.rows())); // full batch: the targets meet the outputs in their order
        }
        if (type == theta.dataType() && type == model.dataType()) {
            return trainIn(model, theta, as(x, type), yt, train, penalty, seed, every, watch);
        }
        INDArray converted = theta.castTo(type);
        Outcome outcome = trainIn(typed, converted, as(x, type), yt, train, penalty, seed, every, watch);
        theta.assign(converted.castTo(theta.dataType()));
        return outcome;
    }

    /** {@code a} in {@code type}: itself, or a converted copy (the caller may pass data already converted). */
    private static INDArray as(INDArray a, DataType type) {
        return a.dataType() == type ? a : a.castTo(type);
    }

    private static Outcome trainIn(Model model, INDArray theta, INDArray x, INDArray y, TrainSpec train,
                                   PenaltySpec penalty, long seed, int every, Observer observer) {
        DataType type = model.dataType();
        int n = (int) x.rows();
        int b = train.batchSize();
        BatchOrder batches = new BatchOrder(n, b, seed);
        boolean fullBatch = batches.fullBatch();
        INDArray xb = fullBatch ? x : Nd4j.create(type, b, x.columns());
        INDArray yb = fullBatch ? y : Nd4j.create(type, b, y.columns());
        long p = model.numParams();
        INDArray grad = Nd4j.create(type, p);
        INDArray extra = penalty.kind() == org.sharpsweep.sweeps.PenaltyKind.NONE || penalty.kind() == org.sharpsweep.sweeps.PenaltyKind.L2
                ? null : Nd4j.create(type, p);
        MicroBatches micro = MicroBatches.of(penalty, b, type, p);
        INDArray velocity = train.momentum() > 0 ? Nd4j.create(type, p) : null;
        INDArray perturbed = train.sam() ? Nd4j.create(type, p) : null;

        Losses losses = new Losses(train, n);
        if (observer != null) observer.at(0, theta);
        for (int step = 0; step < train.steps(); step++) {
            int[] batch = batches.next();
            if (!fullBatch) {
                Nd4j.pullRows(x, xb, 1, batch);
                Nd4j.pullRows(y, yb, 1, batch);
            }
            Outcome diverged = losses.at(step, model.lossAndGradient(theta, xb, yb, grad));
            if (diverged != null) return diverged;
            addPenaltyGradient(model, theta, xb, yb, penalty, grad, extra, micro);
            if (perturbed != null) { // SAM: the direction at theta + e instead
                samPoint(theta, grad, train.samRho(), train.samAdaptive(), perturbed);
                model.lossAndGradient(perturbed, xb, yb, grad);
                addPenaltyGradient(model, perturbed, xb, yb, penalty, grad, extra, micro);
            }
            if (velocity != null) {
                velocity.muli(train.momentum()).addi(grad);
                theta.subi(grad.assign(velocity).muli(train.lr()));
            } else {
                Nd4j.getBlasWrapper().level1().axpy(p, -train.lr(), grad, theta); // theta -= lr grad, one pass
            }
            if (observer != null && (step + 1) % every == 0) observer.at(step + 1, theta);
            if (losses.stops()) return losses.end(step + 1);
        }
        return losses.end(train.steps());
    }

    /**
     * SAM's perturbed parameters theta + e into {@code out}: e = rho T^2 g / ||T g||, T =
     * diag(|theta|) when {@code adaptive} (ASAM, Kwon et al. 2021: T^2 g = theta^2 g, and ||T g|| =
     * ||theta g|| elementwise) or the identity (Foret et al. 2021: e = rho g / ||g||), so that
     * ||T^-1 e|| = rho. e = 0 (out = theta) where ||T g|| = 0: a stationary point, or with
     * {@code adaptive} a gradient that vanishes wherever theta does not. No small constant is
     * added to the norm (a common guard in implementations), so e is exactly the formula.
     *
     * @param g the direction at theta (the penalized minibatch gradient), not changed
     */
    public static void samPoint(INDArray theta, INDArray g, double rho, boolean adaptive, INDArray out) {
        out.assign(g);
        if (adaptive) out.muli(theta); // T g up to signs, which the norm does not see
        double norm = out.norm2Number().doubleValue();
        if (norm == 0) {
            out.assign(theta);
            return;
        }
        if (adaptive) out.muli(theta); // T^2 g = theta^2 g
        out.muli(rho / norm).addi(theta);
    }

    /** Adds the penalty's (sub)gradient on the minibatch to {@code grad}; {@code scratch} has length P. */
    static void addPenaltyGradient(Model model, INDArray theta, INDArray xb, INDArray yb, PenaltySpec penalty,
                                   INDArray grad, INDArray scratch) {
        addPenaltyGradient(model, theta, xb, yb, penalty, grad, scratch,
                MicroBatches.of(penalty, (int) xb.rows(), grad.dataType(), grad.length()));
    }

    private static void addPenaltyGradient(Model model, INDArray theta, INDArray xb, INDArray yb, PenaltySpec penalty,
                                           INDArray grad, INDArray scratch, MicroBatches micro) {
        double lambda = penalty.coef();
        switch (penalty.kind()) {
            case NONE -> {
            }
            case L2 -> grad.addi(theta.mul(lambda));
            case GRADNORM -> {
                if (micro != null) {
                    micro.addGradient(model, theta, xb, yb, lambda, grad);
                    return;
                }
                model.hvp(theta, xb, yb, grad, scratch);
                grad.addi(scratch.muli(lambda / 2));
            }
            case DARC1 -> {
                INDArray g = Darc1.outputGradient(model.predict(theta, xb), lambda);
                model.backpropOutputGradient(theta, xb, g, scratch);
                grad.addi(scratch);
            }
        }
    }

    /**
     * The gradnorm penalty on micro-batches (Smith, Dherin, Barrett &amp; De 2021): with the step's
     * batch cut in order into m = B / b micro-batches of b samples with losses C_k and gradients
     * g_k, the penalty (lambda / 4m) sum_k ||g_k||^2 has gradient (lambda / 2m) sum_k H_k g_k: one
     * gradient and one exact Hessian-vector product per micro-batch.
     */
    private static final class MicroBatches {
        private final int b;
        private final INDArray gk;
        private final INDArray hg;
        private final INDArray sum;

        private MicroBatches(int b, DataType type, long p) {
            this.b = b;
            this.gk = Nd4j.create(type, p);
            this.hg = Nd4j.create(type, p);
            this.sum = Nd4j.create(type, p);
        }

        /** Null unless the penalty is gradnorm on micro-batches smaller than the batch. */
        static MicroBatches of(PenaltySpec penalty, int batch, DataType type, long p) {
            int b = penalty.microbatch();
            if (penalty.kind() != org.sharpsweep.sweeps.PenaltyKind.GRADNORM || b == 0 || b >= batch) return null;
            if (batch % b != 0) {
                throw new IllegalArgumentException("penalty.microbatch " + b + " must divide the batch size " + batch);
            }
            return new MicroBatches(b, type, p);
        }

        void addGradient(Model model, INDArray theta, INDArray xb, INDArray yb, double lambda, INDArray grad) {
            int m = (int) xb.rows() / b;
            sum.assign(0.0);
            for (int k = 0; k < m; k++) {
                var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval((long) k * b, (long) (k + 1) * b);
                INDArray xk = xb.get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all());
                INDArray yk = yb.get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all());
                model.lossAndGradient(theta, xk, yk, gk);
                model.hvp(theta, xk, yk, gk, hg);
                sum.addi(hg);
            }
            grad.addi(sum.muli(lambda / (2.0 * m)));
        }
    }
}
