package org.sharpsweep.worker.lockstep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.DType;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Optimizer;
import org.sharpsweep.sweeps.PenaltyKind;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

class LockstepTrainerTest {
    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private record Case(Activation act, Loss loss, double lr, double momentum, PenaltySpec penalty, DType dtype, long seed,
                        Optimizer optimizer, boolean samAdaptive) {
        Case(Activation act, Loss loss, double lr, double momentum, PenaltySpec penalty, DType dtype, long seed) {
            this(act, loss, lr, momentum, penalty, dtype, seed, Optimizer.SGD, false);
        }
    }

    /**
     * A group mixing learning rates (two of them diverge), momentum, every penalty kind (gradnorm
     * also on micro-batches), SAM and ASAM, activations, losses of one output size, float32 and replicate seeds:
     * each member's parameters, outcome and trajectory observations are the bits of the same
     * model trained alone.
     */
    @Test
    void aMemberOfAGroupIsBitForBitTheModelTrainedAlone() {
        int n = 40, d = 5, k = 3, steps = 60;
        SplittableRandom rng = new SplittableRandom(2024);
        INDArray x = DenseKernelTest.random(rng, n, d);
        INDArray yReg = DenseKernelTest.random(rng, n, k);
        List<Case> cases = List.of(
                new Case(Activation.RELU, Loss.MSE, 0.05, 0, SmallSpecs.noPenalty(), DType.FLOAT64, 1),
                new Case(Activation.RELU, Loss.MSE, 0.2, 0, SmallSpecs.noPenalty(), DType.FLOAT64, 2),
                new Case(Activation.TANH, Loss.MSE, 0.1, 0.9, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.L2)
                        .with(Setting.PENALTY_COEF, 0.01).penalty(), DType.FLOAT64, 3),
                new Case(Activation.TANH, Loss.HALF_SSE, 0.1, 0, SmallSpecs.teacher()
                        .with(Setting.PENALTY, PenaltyKind.GRADNORM)
                        .with(Setting.PENALTY_COEF, 0.5).penalty(), DType.FLOAT64, 4),
                new Case(Activation.RELU, Loss.MSE, 0.1, 0, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                        .with(Setting.PENALTY_COEF, 0.3).with(Setting.PENALTY_MICROBATCH, 4).penalty(), DType.FLOAT64, 5),
                new Case(Activation.RELU, Loss.MSE, 0.1, 0, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.DARC1)
                        .with(Setting.PENALTY_COEF, 0.2).penalty(), DType.FLOAT64, 6),
                new Case(Activation.TANH, Loss.MSE, 0.1, 0.5, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                        .with(Setting.PENALTY_COEF, 0.1).penalty(), DType.FLOAT32, 7),
                new Case(Activation.RELU, Loss.MSE, 40.0, 0, SmallSpecs.noPenalty(), DType.FLOAT64, 8),
                new Case(Activation.TANH, Loss.MSE, 25.0, 0.9, SmallSpecs.noPenalty(), DType.FLOAT32, 9),
                new Case(Activation.RELU, Loss.MSE, 0.05, 0, SmallSpecs.noPenalty(), DType.FLOAT64, 10),
                new Case(Activation.RELU, Loss.MSE, 0.1, 0, SmallSpecs.noPenalty(), DType.FLOAT64, 11, Optimizer.SAM, false),
                new Case(Activation.TANH, Loss.MSE, 0.1, 0.5, SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.GRADNORM)
                        .with(Setting.PENALTY_COEF, 0.1).penalty(), DType.FLOAT64, 12, Optimizer.SAM, true),
                new Case(Activation.TANH, Loss.MSE, 0.1, 0, SmallSpecs.noPenalty(), DType.FLOAT32, 13, Optimizer.SAM, true));
        List<List<Double>> groupSeen = new ArrayList<>();
        List<LockstepTrainer.Member> group = new ArrayList<>();
        for (Case c : cases) group.add(member(c, d, k, steps, groupSeen));
        List<Trainer.Outcome> together = LockstepTrainer.train(x, yReg, group);
        int diverged = 0;
        for (int i = 0; i < cases.size(); i++) {
            List<List<Double>> aloneSeen = new ArrayList<>();
            LockstepTrainer.Member alone = member(cases.get(i), d, k, steps, aloneSeen);
            Trainer.Outcome outcome = LockstepTrainer.train(x, yReg, List.of(alone)).get(0);
            assertEquals(outcome, together.get(i), "outcome of member " + i);
            assertArrayEquals(alone.theta().toDoubleVector(), group.get(i).theta().toDoubleVector(), 0.0, "parameters of member " + i);
            assertEquals(aloneSeen.get(0), groupSeen.get(i), "observations of member " + i);
            if (outcome.diverged()) diverged++;
        }
        assertEquals(2, diverged, "the two large learning rates diverge, the others do not: " + together);
    }

    private static LockstepTrainer.Member member(Case c, int d, int k, int steps, List<List<Double>> seen) {
        Mlp mlp = new Mlp(d, 2, 6, k, c.act, Init.DEFAULT, c.loss);
        INDArray theta = mlp.initParams(c.seed);
        TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, steps).with(Setting.LR, c.lr).with(Setting.BATCH_SIZE, 8)
                .with(Setting.MOMENTUM, c.momentum).with(Setting.DIVERGENCE_LOSS, 1e6).with(Setting.DTYPE, c.dtype)
                .with(Setting.OPTIMIZER, c.optimizer).with(Setting.SAM_RHO, 0.1).with(Setting.SAM_ADAPTIVE, c.samAdaptive).train();
        List<Double> mine = new ArrayList<>();
        seen.add(mine);
        return new LockstepTrainer.Member(mlp, theta, train, c.penalty, c.seed * 101, 7, (step, t) -> {
            mine.add((double) step);
            mine.add(t.sumNumber().doubleValue());
        });
    }

    /**
     * The lockstep definition of a step is {@link Trainer}'s: after 25 steps of every penalty, with
     * momentum, SGD and GD, the parameters and the last loss equal the ND4J trainer's to rounding.
     */
    @ParameterizedTest
    @EnumSource(PenaltyKind.class)
    void trainsAsTheNd4jTrainer(PenaltyKind kind) {
        for (int batch : new int[] {6, 30}) {
            for (Loss loss : new Loss[] {Loss.MSE, Loss.XENT}) {
                SplittableRandom rng = new SplittableRandom(kind.ordinal() * 10L + batch);
                int n = 30, d = 4, k = 3;
                INDArray x = DenseKernelTest.random(rng, n, d);
                INDArray y = loss == Loss.XENT ? DenseKernelTest.oneHot(rng, n, k) : DenseKernelTest.random(rng, n, k);
                Mlp mlp = new Mlp(d, 2, 7, k, Activation.TANH, Init.DEFAULT, loss);
                PenaltySpec penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind)
                        .with(Setting.PENALTY_COEF, kind == PenaltyKind.NONE ? 0 : 0.2).penalty();
                TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 25).with(Setting.LR, 0.2)
                        .with(Setting.BATCH_SIZE, batch).with(Setting.MOMENTUM, 0.5).with(Setting.DIVERGENCE_LOSS, 1e6).train();
                INDArray reference = mlp.initParams(3);
                INDArray lockstep = reference.dup();
                Trainer.Outcome expected = Trainer.train(mlp, reference, x, y, train, penalty, 77);
                Trainer.Outcome got = LockstepTrainer.train(x, y,
                        List.of(new LockstepTrainer.Member(mlp, lockstep, train, penalty, 77, 0, null))).get(0);
                String what = kind + " B=" + batch + " " + loss;
                assertNull(got.divergedAtStep(), what);
                assertEquals(expected.stepsDone(), got.stepsDone(), what);
                assertEquals(expected.lastLoss(), got.lastLoss(), 1e-12 * Math.abs(expected.lastLoss()), what);
                double[] e = reference.toDoubleVector(), a = lockstep.toDoubleVector();
                for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-11 * Math.max(1, Math.abs(e[i])), what + " component " + i);
            }
        }
    }

    /**
     * SAM and ASAM in lockstep are {@link Trainer}'s SAM ({@code SamTest} checks that against a
     * hand derivation): after 25 steps with momentum, every penalty, SGD and GD, the parameters
     * equal the ND4J trainer's to rounding in float64; in float32 within 1e-5 relative (the two
     * round in other orders: sums, norms).
     */
    @ParameterizedTest
    @EnumSource(PenaltyKind.class)
    void samTrainsAsTheNd4jTrainer(PenaltyKind kind) {
        for (boolean adaptive : new boolean[] {false, true}) {
            for (int batch : new int[] {6, 30}) {
                for (DType dtype : DType.values()) {
                    SplittableRandom rng = new SplittableRandom(kind.ordinal() * 10L + batch + (adaptive ? 5 : 0));
                    int n = 30, d = 4, k = 3;
                    INDArray x = DenseKernelTest.random(rng, n, d);
                    INDArray y = DenseKernelTest.random(rng, n, k);
                    Mlp mlp = new Mlp(d, 2, 7, k, Activation.TANH, Init.DEFAULT, Loss.MSE);
                    PenaltySpec penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind)
                            .with(Setting.PENALTY_COEF, kind == PenaltyKind.NONE ? 0 : 0.2).penalty();
                    TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 25).with(Setting.LR, 0.2)
                            .with(Setting.BATCH_SIZE, batch).with(Setting.MOMENTUM, 0.5).with(Setting.DIVERGENCE_LOSS, 1e6)
                            .with(Setting.DTYPE, dtype).with(Setting.OPTIMIZER, Optimizer.SAM).with(Setting.SAM_RHO, 0.1)
                            .with(Setting.SAM_ADAPTIVE, adaptive).train();
                    INDArray reference = mlp.initParams(3);
                    INDArray lockstep = reference.dup();
                    Trainer.Outcome expected = Trainer.train(mlp, reference, x, y, train, penalty, 77);
                    Trainer.Outcome got = LockstepTrainer.train(x, y,
                            List.of(new LockstepTrainer.Member(mlp, lockstep, train, penalty, 77, 0, null))).get(0);
                    String what = kind + " adaptive " + adaptive + " B=" + batch + " " + dtype;
                    double tol = dtype == DType.FLOAT64 ? 1e-11 : 1e-5;
                    assertNull(got.divergedAtStep(), what);
                    assertEquals(expected.stepsDone(), got.stepsDone(), what);
                    assertEquals(expected.lastLoss(), got.lastLoss(), tol * Math.abs(expected.lastLoss()), what);
                    double[] e = reference.toDoubleVector(), a = lockstep.toDoubleVector();
                    for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + " component " + i);
                }
            }
        }
    }

    /** Divergence at the ND4J trainer's step, with its reason. */
    @Test
    void divergesAtTheTrainersStep() {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray x = DenseKernelTest.random(rng, 20, 3);
        INDArray y = DenseKernelTest.random(rng, 20, 1);
        Mlp mlp = new Mlp(3, 1, 10, 1, Activation.RELU, Init.DEFAULT, Loss.MSE);
        TrainSpec train = SmallSpecs.teacher().with(Setting.STEPS, 500).with(Setting.LR, 30.0).with(Setting.BATCH_SIZE, 5)
                .with(Setting.DIVERGENCE_LOSS, 1e4).train();
        PenaltySpec none = SmallSpecs.noPenalty();
        Trainer.Outcome expected = Trainer.train(mlp, mlp.initParams(1), x, y, train, none, 9);
        Trainer.Outcome got = LockstepTrainer.train(x, y,
                List.of(new LockstepTrainer.Member(mlp, mlp.initParams(1), train, none, 9, 0, null))).get(0);
        assertNotNull(expected.divergedAtStep());
        assertEquals(expected.divergedAtStep(), got.divergedAtStep());
        assertTrue(got.reason().contains("exceeds train.divergence_loss"), got.reason());
    }
}
