package org.sharpsweep.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.worker.lockstep.LockstepTrainer;
import org.sharpsweep.worker.model.Mlp;

/**
 * {@code train.stop_at_loss} and {@code loss_peak_ratio} against an oracle that replays the
 * training: an unstopped run observed after every step gives each theta_t; the minibatch of step t
 * is drawn again from the point's {@link BatchOrder}, and its loss at theta_t recomputed. Training
 * must stop after the first epoch (floor(n / B) steps) whose mean of those losses is below the
 * threshold, with the parameters the unstopped run had there, in both trainers.
 */
class StoppingTest {
    private static final int N = 24, D = 3, K = 2;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private record Replay(List<double[]> thetas, double[] losses) {
    }

    /** theta_0..theta_steps of an unstopped run and the loss of every step t at theta_t on its minibatch. */
    private static Replay replay(Mlp model, INDArray x, INDArray y, TrainSpec train, long seed) {
        List<double[]> thetas = new ArrayList<>();
        INDArray theta = model.initParams(5);
        Trainer.train(model, theta, x, y, train, SmallSpecs.noPenalty(), seed, 1, (step, t) -> thetas.add(t.toDoubleVector()));
        BatchOrder order = new BatchOrder(N, train.batchSize(), seed);
        double[] losses = new double[train.steps()];
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        for (int t = 0; t < train.steps(); t++) {
            int[] batch = order.next();
            INDArray xb = Nd4j.create(DataType.DOUBLE, batch.length, D), yb = Nd4j.create(DataType.DOUBLE, batch.length, K);
            Nd4j.pullRows(x, xb, 1, batch);
            Nd4j.pullRows(y, yb, 1, batch);
            losses[t] = model.lossAndGradient(Nd4j.createFromArray(thetas.get(t)), order.fullBatch() ? x : xb, order.fullBatch() ? y : yb, grad);
        }
        return new Replay(thetas, losses);
    }

    private static INDArray random(SplittableRandom rng, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) for (int j = 0; j < cols; j++) r[j] = rng.nextGaussian();
        return Nd4j.createFromArray(a);
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 6, 5}) // full-batch GD (an epoch is one step), B = 6 (4 steps an epoch), B = 5 (4 steps, 4 rows sit out)
    void trainingStopsAfterTheFirstEpochWhoseMeanLossIsBelowTheThreshold(int b) {
        SplittableRandom rng = new SplittableRandom(b);
        INDArray x = random(rng, N, D), y = random(rng, N, K);
        Mlp model = new Mlp(D, 1, 8, K, Activation.TANH, Init.DEFAULT, Loss.MSE);
        TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 400).with(Setting.LR, 0.2).with(Setting.BATCH_SIZE, b).train();
        long seed = 31;
        Replay r = replay(model, x, y, train, seed);
        int epoch = N / b;
        double[] means = new double[train.steps() / epoch];
        for (int e = 0; e < means.length; e++) {
            double s = 0;
            for (int t = e * epoch; t < (e + 1) * epoch; t++) s += r.losses[t];
            means[e] = s / epoch;
        }
        double threshold = (means[means.length / 3] + means[means.length / 3 + 1]) / 2; // between two epochs a third of the way in
        int expectedEpoch = 0;
        while (!(means[expectedEpoch] < threshold)) expectedEpoch++;
        int expectedSteps = (expectedEpoch + 1) * epoch;
        assertTrue(expectedSteps < train.steps(), "the threshold is met before the last step");

        TrainSpec stopping = SmallSpecs.teacher().with(Setting.STEPS, 400).with(Setting.LR, 0.2).with(Setting.BATCH_SIZE, b)
                .with(Setting.STOP_AT_LOSS, threshold).train();
        INDArray theta = model.initParams(5);
        Trainer.Outcome o = Trainer.train(model, theta, x, y, stopping, SmallSpecs.noPenalty(), seed);
        assertTrue(o.stopped(), "stopped: " + o);
        assertNull(o.divergedAtStep());
        assertEquals(expectedSteps, o.stepsDone(), "B = " + b + ": the epoch whose mean first fell below " + threshold);
        assertArrayEquals(r.thetas.get(expectedSteps), theta.toDoubleVector(), 1e-12, "the parameters the unstopped run had there");

        INDArray lockstep = model.initParams(5);
        Trainer.Outcome l = LockstepTrainer.train(x, y, List.of(new LockstepTrainer.Member(model, lockstep, stopping,
                SmallSpecs.noPenalty(), seed, 0, null))).get(0);
        assertTrue(l.stopped());
        assertEquals(expectedSteps, l.stepsDone(), "the lockstep trainer stops at the same step");
        assertArrayEquals(theta.toDoubleVector(), lockstep.toDoubleVector(), 1e-11);

        TrainSpec never = SmallSpecs.teacher().with(Setting.STEPS, 400).with(Setting.LR, 0.2).with(Setting.BATCH_SIZE, b)
                .with(Setting.STOP_AT_LOSS, 1e-300).train();
        Trainer.Outcome all = Trainer.train(model, model.initParams(5), x, y, never, SmallSpecs.noPenalty(), seed);
        assertFalse(all.stopped());
        assertEquals(400, all.stepsDone());
    }

    /**
     * loss_peak_ratio is max_t L(theta_t) / L(theta_0) over the steps taken: at a learning rate
     * large enough that the loss first rises (a catapult), above 1, and equal in both trainers.
     */
    @Test
    void thePeakRatioIsTheLargestStepLossOverTheFirst() {
        SplittableRandom rng = new SplittableRandom(3);
        INDArray x = random(rng, N, D), y = random(rng, N, K);
        Mlp model = new Mlp(D, 1, 8, K, Activation.RELU, Init.DEFAULT, Loss.MSE);
        for (double lr : new double[] {0.05, 1.5}) {
            TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 60).with(Setting.LR, lr).with(Setting.BATCH_SIZE, N)
                    .with(Setting.DIVERGENCE_LOSS, 1e12).train();
            Replay r = replay(model, x, y, train, 1);
            double peak = r.losses[0];
            for (double l : r.losses) peak = Math.max(peak, l);
            Trainer.Outcome o = Trainer.train(model, model.initParams(5), x, y, train, SmallSpecs.noPenalty(), 1);
            assertEquals(peak / r.losses[0], o.lossPeakRatio(), 1e-12 * peak / r.losses[0], "lr " + lr);
            Trainer.Outcome l = LockstepTrainer.train(x, y, List.of(new LockstepTrainer.Member(model, model.initParams(5), train,
                    SmallSpecs.noPenalty(), 1, 0, null))).get(0);
            assertEquals(o.lossPeakRatio(), l.lossPeakRatio(), 1e-12 * o.lossPeakRatio(), "lr " + lr);
            if (lr > 1) assertTrue(o.lossPeakRatio() > 1, "the loss rose at lr " + lr + ": " + o.lossPeakRatio());
            else assertEquals(1.0, o.lossPeakRatio(), 0.0, "the loss only fell at lr " + lr);
        }
    }
}
