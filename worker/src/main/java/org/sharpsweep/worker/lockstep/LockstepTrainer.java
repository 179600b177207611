package org.sharpsweep.worker.lockstep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.DType;
import org.sharpsweep.sweeps.PenaltyKind;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.BatchOrder;
import org.sharpsweep.worker.train.Trainer;

/**
 * Trains a group of small fully connected networks on one data set in lockstep: in turns of
 * {@link #TURN} steps, every model of the group takes its turn before any takes the next
 * (docs/lockstep.md). A group
 * of one is how such a network trains alone, so a model's bits do not depend on the group it was
 * in ({@link DenseKernel}).
 *
 * <p>Each model keeps everything that makes it itself: its parameters, its minibatch order
 * (a {@link BatchOrder} from its own seed), learning rate, momentum, optimizer (SGD or SAM and its
 * rho), penalty and coefficient,
 * precision, step count, divergence bound and observer. Training is {@link Trainer}'s
 * definition (its class comment has the update rules), computed by {@link DenseKernel}: the same
 * numbers up to rounding, checked in {@code LockstepTrainerTest}. A model that diverges leaves
 * the group at the step it diverged, one that meets {@code train.stop_at_loss} after the step it
 * met it ({@link Trainer.Losses}); the others go on.
 *
 * <p>Not thread-safe; one call per thread.
 */
public final class LockstepTrainer {
    private LockstepTrainer() {
    }

    /**
     * Steps a model takes in its turn before the next model takes its own. The arithmetic of a
     * model is its own whatever the order; the order only decides what stays in the core's
     * caches: a model's parameters, gradient and scratch stay in L1 for the whole turn, where
     * turns of one step reload them for every step (bench/lockstep: 14 against 8 us per step of
     * a 10-50-1 network at K = 64).
     */
    static final int TURN = Integer.getInteger("sharpsweep.lockstep.turn", 256);

    /**
     * One model of a group: its network (an {@link Mlp} of the group's data), its parameters in
     * float64 (trained in place; a float32 model trains a float copy and writes it back at the
     * end), how it trains, its seed (its minibatch order derives from it, as {@link Trainer}'s),
     * and its observer ({@link Trainer#train}: at step 0 and after every {@code every} steps,
     * never after a diverging step).
     */
    public record Member(Mlp model, INDArray theta, TrainSpec train, PenaltySpec penalty, long seed, int every,
                         Trainer.Observer observer) {
        public Member {
            if (theta.dataType() != DataType.DOUBLE || theta.length() != model.numParams()) {
                throw new IllegalArgumentException("theta must be a DOUBLE vector of " + model.numParams() + " values, got "
                        + theta.dataType() + " of " + theta.length());
            }
            if (every < 0) throw new IllegalArgumentException("every must be >= 0, got " + every);
        }
    }

    /** How the kernel's float64 products run in this JVM: "vector API, N lanes" or "scalar loops" (docs/lockstep.md). */
    public static String arithmetic() {
        return Products.describe();
    }

    /** The group's outcomes, in the order of {@code members}. x [n, inputs] and y [n, outputs] are the training rows. */
    public static List<Trainer.Outcome> train(INDArray x, INDArray y, List<Member> members) {
        int n = (int) x.rows();
        double[] x64 = x.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] y64 = y.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        Map<Boolean, double[][]> data = new HashMap<>();
        Map<String, DenseKernel> kernels = new HashMap<>();
        List<State> states = new ArrayList<>(members.size());
        for (Member m : members) {
            boolean f32 = m.train().dtype() == DType.FLOAT32;
            if (m.model().fanIn(0) != x.columns() || m.model().fanOut(m.model().layers() - 1) != y.columns()) {
                throw new IllegalArgumentException("the group's data has " + x.columns() + " inputs and " + y.columns()
                        + " outputs, a member's network " + m.model());
            }
            double[][] xy = data.computeIfAbsent(f32, f -> f ? new double[][] {rounded(x64), rounded(y64)} : new double[][] {x64, y64});
            DenseKernel kernel = kernels.computeIfAbsent(m.model().toString() + "/" + f32 + "/" + m.model().outputScale(),
                    k -> new DenseKernel(m.model(), f32));
            states.add(new State(m, kernel, xy[0], xy[1], n));
        }
        int maxSteps = 0;
        for (State s : states) {
            s.observe(0);
            maxSteps = Math.max(maxSteps, s.member.train().steps());
        }
        for (int from = 0; from < maxSteps; from += TURN) { // each model takes TURN steps in its turn
            int to = (int) Math.min(maxSteps, (long) from + TURN);
            for (State s : states) {
                for (int step = from; step < to && s.outcome == null; step++) s.step(step);
            }
        }
        List<Trainer.Outcome> outcomes = new ArrayList<>(states.size());
        for (State s : states) {
            if (s.outcome == null) s.outcome = s.losses.end(s.member.train().steps());
            s.member.theta().assign(Nd4j.createFromArray(s.theta));
            outcomes.add(s.outcome);
        }
        return outcomes;
    }

    private static double[] rounded(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = (float) a[i];
        return r;
    }

    /** One model's training state. */
    private static final class State {
        final Member member;
        final DenseKernel k;
        final double[] x, y;
        final double[] theta, grad, extra, velocity, gk, sum, perturbed;
        final double[] xb, yb;
        final BatchOrder batches;
        final PenaltySpec penalty;
        final int b, inputs, outputs, microbatch;
        final double lr, momentum, samRho;
        final boolean samAdaptive;
        final Trainer.Losses losses;
        Trainer.Outcome outcome;

        State(Member member, DenseKernel k, double[] x, double[] y, int n) {
            this.member = member;
            this.k = k;
            this.x = x;
            this.y = y;
            TrainSpec t = member.train();
            this.penalty = member.penalty().at(t.lr()); // lambda = coef x lr under penalty.scale_with_lr
            this.b = t.batchSize();
            this.inputs = k.inputs;
            this.outputs = k.outputs;
            this.lr = k.round(t.lr());
            this.momentum = k.round(t.momentum());
            this.batches = new BatchOrder(n, b, member.seed());
            this.losses = new Trainer.Losses(t, n);
            this.theta = member.theta().toDoubleVector();
            k.roundAll(theta);
            int p = k.numParams;
            this.grad = new double[p];
            this.extra = penalty.kind() == PenaltyKind.NONE ? null : new double[p];
            this.velocity = t.momentum() > 0 ? new double[p] : null;
            this.perturbed = t.sam() ? new double[p] : null;
            this.samRho = k.round(t.samRho());
            this.samAdaptive = t.samAdaptive();
            int mb = penalty.microbatch();
            this.microbatch = penalty.kind() == PenaltyKind.GRADNORM && mb > 0 && mb < b ? mb : 0;
            if (microbatch > 0 && b % microbatch != 0) {
                throw new IllegalArgumentException("penalty.microbatch " + microbatch + " must divide the batch size " + b);
            }
            this.gk = microbatch > 0 ? new double[p] : null;
            this.sum = microbatch > 0 ? new double[p] : null;
            this.xb = batches.fullBatch() ? x : new double[b * inputs];
            this.yb = batches.fullBatch() ? y : new double[b * outputs];
        }

        void step(int step) {
            if (step >= member.train().steps()) {
                outcome = losses.end(member.train().steps());
                return;
            }
            int[] batch = batches.next();
            if (!batches.fullBatch()) {
                for (int i = 0; i < b; i++) {
                    System.arraycopy(x, batch[i] * inputs, xb, i * inputs, inputs);
                    System.arraycopy(y, batch[i] * outputs, yb, i * outputs, outputs);
                }
            }
            outcome = losses.at(step, k.lossAndGradient(theta, xb, yb, b, grad));
            if (outcome != null) return; // diverged
            addPenaltyGradient(theta);
            if (perturbed != null) { // SAM: the direction at theta + e instead
                samPoint();
                k.lossAndGradient(perturbed, xb, yb, b, grad);
                addPenaltyGradient(perturbed);
            }
            int p = theta.length;
            if (velocity != null) { // buf = mu buf + d; theta -= lr buf
                for (int i = 0; i < p; i++) {
                    velocity[i] = k.round(k.round(momentum * velocity[i]) + grad[i]);
                    theta[i] = k.round(theta[i] - k.round(velocity[i] * lr));
                }
            } else {
                for (int i = 0; i < p; i++) theta[i] = k.round(theta[i] - k.round(lr * grad[i]));
            }
            int every = member.every();
            if (member.observer() != null && every > 0 && (step + 1) % every == 0) observe(step + 1);
            if (losses.stops()) outcome = losses.end(step + 1);
        }

        /**
         * SAM's theta + e into perturbed from the direction in grad, as {@link Trainer#samPoint}:
         * e = rho T^2 g / ||T g||, 0 where ||T g|| = 0; the norm sums the squares in index order.
         */
        private void samPoint() {
            int p = theta.length;
            double squares = 0.0;
            for (int i = 0; i < p; i++) {
                double tg = samAdaptive ? k.round(grad[i] * theta[i]) : grad[i];
                squares = k.round(squares + k.round(tg * tg));
            }
            double norm = k.round(Math.sqrt(squares));
            if (norm == 0) {
                System.arraycopy(theta, 0, perturbed, 0, p);
                return;
            }
            double c = k.round(samRho / norm);
            for (int i = 0; i < p; i++) {
                double t2g = samAdaptive ? k.round(k.round(grad[i] * theta[i]) * theta[i]) : grad[i];
                perturbed[i] = k.round(theta[i] + k.round(t2g * c));
            }
        }

        /** Adds the penalty's (sub)gradient on the batch at {@code at} (theta, or SAM's theta + e) to grad, as {@link Trainer} defines it. */
        private void addPenaltyGradient(double[] at) {
            double lambda = penalty.coef();
            int p = at.length;
            switch (penalty.kind()) {
                case NONE -> {
                }
                case L2 -> {
                    double c = k.round(lambda);
                    for (int i = 0; i < p; i++) grad[i] = k.round(grad[i] + k.round(at[i] * c));
                }
                case GRADNORM -> {
                    if (microbatch == 0) {
                        k.hvp(at, xb, yb, b, grad, extra);
                        double c = k.round(lambda / 2);
                        for (int i = 0; i < p; i++) grad[i] = k.round(grad[i] + k.round(extra[i] * c));
                        return;
                    }
                    int m = b / microbatch;
                    java.util.Arrays.fill(sum, 0.0);
                    double[] xk = new double[microbatch * inputs], yk = new double[microbatch * outputs];
                    for (int q = 0; q < m; q++) {
                        System.arraycopy(xb, q * microbatch * inputs, xk, 0, microbatch * inputs);
                        System.arraycopy(yb, q * microbatch * outputs, yk, 0, microbatch * outputs);
                        k.lossAndGradient(at, xk, yk, microbatch, gk);
                        k.hvp(at, xk, yk, microbatch, gk, extra);
                        for (int i = 0; i < p; i++) sum[i] = k.round(sum[i] + extra[i]);
                    }
                    double c = k.round(lambda / (2.0 * m));
                    for (int i = 0; i < p; i++) grad[i] = k.round(grad[i] + k.round(sum[i] * c));
                }
                case DARC1 -> {
                    double[] f = k.predict(at, xb, b);
                    double[] g = darc1OutputGradient(f, b, outputs, lambda);
                    k.backpropOutputGradient(at, xb, g, b, extra);
                    for (int i = 0; i < p; i++) grad[i] = k.round(grad[i] + extra[i]);
                }
            }
        }

        /**
         * (lambda/B) sign(h_{i k*}) in column k* = the first argmax_k sum_i |h_{ik}|, 0 elsewhere
         * (the subgradient of {@link org.sharpsweep.worker.train.Darc1}).
         */
        private double[] darc1OutputGradient(double[] h, int rows, int cols, double lambda) {
            int kStar = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                double s = 0.0;
                for (int i = 0; i < rows; i++) s = k.round(s + Math.abs(h[i * cols + j]));
                if (s > best) {
                    best = s;
                    kStar = j;
                }
            }
            double c = k.round(lambda / rows);
            double[] g = new double[rows * cols];
            for (int i = 0; i < rows; i++) g[i * cols + kStar] = Math.signum(h[i * cols + kStar]) * c;
            return g;
        }

        void observe(int step) {
            if (member.observer() == null || member.every() == 0) return;
            member.observer().at(step, Nd4j.createFromArray(theta.clone()));
        }
    }
}
