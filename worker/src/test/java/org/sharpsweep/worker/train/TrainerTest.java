package org.sharpsweep.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltyKind;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;

class TrainerTest {
    /** Central differences with h = 1e-5 on smooth objectives: truncation ~h^2, rounding ~eps/h. */
    static final double FD_TOL = 1e-6;
    static final double H = 1e-5;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * The step direction of each penalty is the gradient of the penalized minibatch objective:
     * C + (lambda/2)||theta||^2 (l2), C + (lambda/4)||grad C||^2 (gradnorm, docs/science.md),
     * C + (lambda/B) max_k sum_i |h_k(x_i)| (darc1), checked by a central difference of that
     * objective along random directions.
     */
    @ParameterizedTest
    @EnumSource(value = PenaltyKind.class, names = {"L2", "GRADNORM", "DARC1"})
    void penaltyDirectionIsTheGradientOfThePenalizedObjective(PenaltyKind kind) {
        long seed = 99 + kind.ordinal();
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = new Mlp(3, 1, 5, 2, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(seed);
        INDArray x = random(rng, 6, 3);
        INDArray y = random(rng, 6, 2);
        double lambda = 0.7;
        PenaltySpec penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind).with(Setting.PENALTY_COEF, lambda).penalty();
        int p = model.numParams();
        INDArray direction = Nd4j.create(DataType.DOUBLE, p);
        model.lossAndGradient(theta, x, y, direction);
        Trainer.addPenaltyGradient(model, theta, x, y, penalty, direction, Nd4j.create(DataType.DOUBLE, p));

        ToDoubleFunction<INDArray> objective = t -> {
            INDArray g = Nd4j.create(DataType.DOUBLE, p);
            double c = model.lossAndGradient(t, x, y, g);
            return switch (kind) {
                case L2 -> c + lambda / 2 * Math.pow(t.norm2Number().doubleValue(), 2);
                case GRADNORM -> c + lambda / 4 * Math.pow(g.norm2Number().doubleValue(), 2);
                case DARC1 -> c + Darc1.value(model.predict(t, x), lambda);
                default -> throw new IllegalStateException();
            };
        };
        for (int trial = 0; trial < 3; trial++) {
            INDArray u = random(rng, 1, p).reshape(p);
            double fd = (objective.applyAsDouble(theta.add(u.mul(H))) - objective.applyAsDouble(theta.sub(u.mul(H)))) / (2 * H);
            double analytic = direction.mul(u).sumNumber().doubleValue();
            assertEquals(fd, analytic, FD_TOL * Math.max(1, Math.abs(fd)), kind + " trial " + trial + " seed " + seed);
        }
    }

    /**
     * With {@code penalty.microbatch: b} the gradnorm step direction is the gradient of
     * C + (lambda/4m) sum_k ||grad C_k||^2 over the batch's m = B/b micro-batches in order (Smith,
     * Dherin, Barrett &amp; De 2021), by a central difference of that objective; b = B is the
     * whole-batch penalty, and the two differ when m > 1.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 6})
    void microBatchGradnormIsTheGradientOfTheMeanMicroBatchGradientNorm(int b) {
        long seed = 500 + b;
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = new Mlp(3, 1, 5, 2, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(seed);
        int n = 6;
        INDArray x = random(rng, n, 3);
        INDArray y = random(rng, n, 2);
        double lambda = 0.9;
        int p = model.numParams();
        INDArray direction = Nd4j.create(DataType.DOUBLE, p);
        model.lossAndGradient(theta, x, y, direction);
        Trainer.addPenaltyGradient(model, theta, x, y, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                .with(Setting.PENALTY_COEF, lambda).with(Setting.PENALTY_MICROBATCH, b).penalty(), direction,
                Nd4j.create(DataType.DOUBLE, p));
        int m = n / b;
        ToDoubleFunction<INDArray> objective = t -> {
            double c = model.loss(t, x, y);
            double sq = 0;
            for (int k = 0; k < m; k++) {
                INDArray xk = x.get(NDArrayIndex.interval(k * b, (k + 1) * b), NDArrayIndex.all()).dup();
                INDArray yk = y.get(NDArrayIndex.interval(k * b, (k + 1) * b), NDArrayIndex.all()).dup();
                INDArray g = Nd4j.create(DataType.DOUBLE, p);
                model.lossAndGradient(t, xk, yk, g);
                sq += Math.pow(g.norm2Number().doubleValue(), 2);
            }
            return c + lambda / (4.0 * m) * sq;
        };
        for (int trial = 0; trial < 3; trial++) {
            INDArray u = random(rng, 1, p).reshape(p);
            double fd = (objective.applyAsDouble(theta.add(u.mul(H))) - objective.applyAsDouble(theta.sub(u.mul(H)))) / (2 * H);
            double analytic = direction.mul(u).sumNumber().doubleValue();
            assertEquals(fd, analytic, FD_TOL * Math.max(1, Math.abs(fd)), "b = " + b + " trial " + trial);
        }
        if (m > 1) {
            INDArray whole = Nd4j.create(DataType.DOUBLE, p);
            model.lossAndGradient(theta, x, y, whole);
            Trainer.addPenaltyGradient(model, theta, x, y, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                    .with(Setting.PENALTY_COEF, lambda).penalty(), whole,
                    Nd4j.create(DataType.DOUBLE, p));
            assertTrue(whole.sub(direction).norm2Number().doubleValue() > 1e-6, "micro-batches change the penalty");
        }
    }

    /** {@code penalty.scale_with_lr}: coef c at learning rate lr trains exactly as coef c x lr without it. */
    @Test
    void aPenaltyScaledWithLrIsThePenaltyOfCoefTimesLr() {
        SplittableRandom rng = new SplittableRandom(77);
        Mlp model = new Mlp(3, 1, 5, 2, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray x = random(rng, 8, 3);
        INDArray y = random(rng, 8, 2);
        TrainSpec sgd = SmallSpecs.teacher().with(Setting.STEPS, 12).with(Setting.LR, 0.3).with(Setting.BATCH_SIZE, 4).train();
        INDArray a = model.initParams(5);
        INDArray b = model.initParams(5);
        Trainer.train(model, a, x, y, sgd, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                .with(Setting.PENALTY_COEF, 2.0).with(Setting.PENALTY_MICROBATCH, 2)
                .with(Setting.PENALTY_SCALE_WITH_LR, true).penalty(), 3);
        Trainer.train(model, b, x, y, sgd, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                .with(Setting.PENALTY_COEF, 2.0 * 0.3).with(Setting.PENALTY_MICROBATCH, 2).penalty(), 3);
        assertEquals(0.0, a.sub(b).norm2Number().doubleValue(), 0.0);
        INDArray c = model.initParams(5);
        Trainer.train(model, c, x, y, sgd, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                .with(Setting.PENALTY_COEF, 2.0).with(Setting.PENALTY_MICROBATCH, 2).penalty(), 3);
        assertTrue(a.sub(c).norm2Number().doubleValue() > 1e-8, "the scale matters");
    }

    /**
     * Full-batch GD on a linear model with half-sse converges to the least-squares solution of
     * the normal equations [X 1]^T [X 1] w = [X 1]^T y (closed form, solved by commons-math3).
     */
    @Test
    void gradientDescentOnLinearRegressionReachesLeastSquares() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 20, d = 3;
        INDArray x = random(rng, n, d);
        INDArray y = random(rng, n, 1);
        Mlp model = new Mlp(d, 0, 1, 1, Activation.RELU, Init.DEFAULT, Loss.HALF_SSE);
        INDArray theta = model.initParams(3);
        Trainer.Outcome o = Trainer.train(model, theta, x, y, SmallSpecs.teacher().with(Setting.STEPS, 3000)
                .with(Setting.LR, 0.3).with(Setting.BATCH_SIZE, n).train(),
                SmallSpecs.noPenalty(), 1);
        assertFalse(o.diverged());
        double[][] a = new double[n][d + 1];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) a[i][j] = x.getDouble(i, j);
            a[i][d] = 1;
            b[i] = y.getDouble(i, 0);
        }
        RealMatrix am = new Array2DRowRealMatrix(a);
        double[] w = new LUDecomposition(am.transpose().multiply(am)).getSolver()
                .solve(am.transpose().operate(new org.apache.commons.math3.linear.ArrayRealVector(b))).toArray();
        // layout: W [d, 1] row-major then b
        for (int j = 0; j <= d; j++) assertEquals(w[j], theta.getDouble(j), 1e-8, "coefficient " + j);
    }

    @Test
    void momentumFollowsTheHeavyBallRecursion() {
        SplittableRandom rng = new SplittableRandom(4);
        INDArray x = random(rng, 5, 2);
        INDArray y = random(rng, 5, 1);
        Mlp model = new Mlp(2, 1, 3, 1, Activation.TANH, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(4);
        INDArray expected = theta.dup();
        INDArray buf = Nd4j.zeros(DataType.DOUBLE, model.numParams());
        INDArray g = Nd4j.create(DataType.DOUBLE, model.numParams());
        for (int s = 0; s < 3; s++) {
            model.lossAndGradient(expected, x, y, g);
            buf.muli(0.9).addi(g);
            expected.subi(buf.mul(0.1));
        }
        Trainer.train(model, theta, x, y, SmallSpecs.teacher().with(Setting.STEPS, 3).with(Setting.LR, 0.1)
                .with(Setting.BATCH_SIZE, 5).with(Setting.MOMENTUM, 0.9).train(), SmallSpecs.noPenalty(), 4);
        assertEquals(0.0, expected.sub(theta).norm2Number().doubleValue(), 1e-14);
    }

    @Test
    void sgdIsDeterministicForASeedAndDependsOnIt() {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray x = random(rng, 12, 2);
        INDArray y = random(rng, 12, 1);
        Mlp model = new Mlp(2, 1, 3, 1, Activation.TANH, Init.DEFAULT, Loss.MSE);
        TrainSpec sgd = SmallSpecs.teacher().with(Setting.STEPS, 20).with(Setting.LR, 0.1).with(Setting.BATCH_SIZE, 5).train();
        INDArray a = model.initParams(1);
        INDArray b = model.initParams(1);
        INDArray c = model.initParams(1);
        Trainer.train(model, a, x, y, sgd, SmallSpecs.noPenalty(), 11);
        Trainer.train(model, b, x, y, sgd, SmallSpecs.noPenalty(), 11);
        Trainer.train(model, c, x, y, sgd, SmallSpecs.noPenalty(), 12);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    /**
     * One epoch of SGD with B dividing n visits every sample exactly once: on a linear model
     * with half-sse and lr small, an epoch's update equals the full-batch gradient step up to
     * O(lr^2) only if every sample was used once; a sample used twice or skipped shows at O(lr).
     */
    @Test
    void anEpochUsesEverySampleOnce() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 12, b = 3;
        INDArray x = random(rng, n, 2);
        INDArray y = random(rng, n, 1);
        Mlp model = new Mlp(2, 0, 1, 1, Activation.RELU, Init.DEFAULT, Loss.HALF_SSE);
        INDArray theta = model.initParams(6);
        INDArray start = theta.dup();
        double lr = 1e-6;
        Trainer.train(model, theta, x, y, SmallSpecs.teacher().with(Setting.STEPS, n / b).with(Setting.LR, lr)
                .with(Setting.BATCH_SIZE, b).train(), SmallSpecs.noPenalty(), 6);
        INDArray g = Nd4j.create(DataType.DOUBLE, model.numParams());
        model.lossAndGradient(start, x, y, g);
        // sum over the 4 minibatch means = (n/b) * full mean gradient, to first order in lr
        INDArray expected = start.sub(g.mul(lr * n / b));
        assertEquals(0.0, expected.sub(theta).norm2Number().doubleValue() / (lr * g.norm2Number().doubleValue()), 1e-4);
    }

    @Test
    void aHugeLearningRateDivergesWithItsStep() {
        SplittableRandom rng = new SplittableRandom(7);
        INDArray x = random(rng, 10, 2);
        INDArray y = random(rng, 10, 1);
        Mlp model = new Mlp(2, 1, 8, 1, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(7);
        Trainer.Outcome o = Trainer.train(model, theta, x, y, SmallSpecs.teacher().with(Setting.STEPS, 500)
                .with(Setting.LR, 100.0).with(Setting.BATCH_SIZE, 10).train(),
                SmallSpecs.noPenalty(), 7);
        assertTrue(o.diverged());
        assertTrue(o.divergedAtStep() > 0 && o.divergedAtStep() < 500, "step " + o.divergedAtStep());
        assertEquals(o.divergedAtStep(), o.stepsDone());
        Trainer.Outcome fine = Trainer.train(model, model.initParams(7), x, y, SmallSpecs.teacher().with(Setting.STEPS, 50)
                .with(Setting.LR, 0.01).with(Setting.BATCH_SIZE, 10).train(),
                SmallSpecs.noPenalty(), 7);
        assertNull(fine.divergedAtStep());
    }

    static INDArray random(SplittableRandom rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-1, 1);
        return Nd4j.create(v, new long[]{rows, cols}, DataType.DOUBLE);
    }
}
