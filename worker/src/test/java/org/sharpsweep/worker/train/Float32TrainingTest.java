package org.sharpsweep.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.DType;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;

/**
 * float32 training follows the float64 trajectory. Setting: n = 200 inputs in [0,1]^50 with
 * one-hot labels of 5 classes from a random linear teacher, 50-32-5 relu, mse; 300 steps of GD
 * (lr 0.5) and of SGD (B = 20, lr 0.2; the minibatch order derives from the seed alone, so both
 * precisions see the same batches). The loss is compared every 25 steps and the parameters at
 * the end.
 *
 * <p><b>Tolerance.</b> float32 rounds every operation to a relative 2^-24 = 6e-8; a dot product
 * of length K carries at most K 2^-24 (the worst-case bound gamma_K; 50-200 terms here: 3e-6 to
 * 1.2e-5), typically sqrt(K) 2^-24 ~ 1e-6. At a stable learning rate GD contracts rather than
 * amplifies such perturbations, so the two trajectories stay within a small multiple of the
 * per-step error: we allow 1e-4 relative in the loss at every checkpoint and in the final
 * parameters, some ten times the worst-case single-step bound (what was observed is printed).
 * A wrong conversion (data or parameters left in the other precision, an update lost) shows at
 * 1e-2 or more.
 */
class Float32TrainingTest {
    static final double LOSS_REL_TOL = 1e-4;
    static final double PARAM_REL_TOL = 1e-4;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "batch {0}, lr {1}")
    @CsvSource({"200, 0.5", "20, 0.2"})
    void float32StaysOnTheFloat64Trajectory(int batch, double lr) {
        int n = 200, d = 50, k = 5, steps = 300;
        SplittableRandom rng = new SplittableRandom(42);
        double[][] teacher = new double[d][k];
        for (double[] row : teacher) for (int c = 0; c < k; c++) row[c] = rng.nextDouble(-1, 1);
        double[][] xs = new double[n][d];
        double[][] ys = new double[n][k];
        for (int i = 0; i < n; i++) {
            double[] score = new double[k];
            for (int j = 0; j < d; j++) {
                xs[i][j] = rng.nextDouble();
                for (int c = 0; c < k; c++) score[c] += xs[i][j] * teacher[j][c];
            }
            int best = 0;
            for (int c = 1; c < k; c++) if (score[c] > score[best]) best = c;
            ys[i][best] = 1.0;
        }
        INDArray x = Nd4j.createFromArray(xs);
        INDArray y = Nd4j.createFromArray(ys);
        Mlp model = new Mlp(d, 1, 32, k, Activation.RELU, Init.DEFAULT, Loss.MSE);
        PenaltySpec none = SmallSpecs.noPenalty();
        double worstLoss = 0;
        INDArray end64 = null;
        INDArray end32 = null;
        for (int upTo = 25; upTo <= steps; upTo += 25) {
            INDArray theta64 = model.initParams(9);
            INDArray theta32 = model.initParams(9);
            Trainer.Outcome o64 = Trainer.train(model, theta64, x, y, SmallSpecs.teacher().with(Setting.STEPS, upTo)
                    .with(Setting.LR, lr).with(Setting.BATCH_SIZE, batch).train(), none, 3);
            Trainer.Outcome o32 = Trainer.train(model, theta32, x, y, SmallSpecs.teacher().with(Setting.STEPS, upTo)
                    .with(Setting.LR, lr).with(Setting.BATCH_SIZE, batch).with(Setting.DTYPE, DType.FLOAT32).train(), none, 3);
            assertEquals(DataType.DOUBLE, theta32.dataType(), "the parameters come back in double");
            double rel = Math.abs(o32.lastLoss() - o64.lastLoss()) / o64.lastLoss();
            worstLoss = Math.max(worstLoss, rel);
            assertTrue(rel <= LOSS_REL_TOL, "step " + upTo + ": loss " + o32.lastLoss() + " (float32) against " + o64.lastLoss());
            end64 = theta64;
            end32 = theta32;
        }
        double paramRel = end32.sub(end64).norm2Number().doubleValue() / end64.norm2Number().doubleValue();
        System.out.printf("float32 vs float64, B=%d: worst relative loss difference %.2e, final parameters %.2e%n",
                batch, worstLoss, paramRel);
        assertTrue(paramRel <= PARAM_REL_TOL, "final parameters differ by " + paramRel + " relative");
        assertTrue(paramRel > 0, "float32 really ran in float32 (a zero difference would mean it did not)");
    }
}
