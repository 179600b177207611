package org.sharpsweep.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Optimizer;
import org.sharpsweep.sweeps.PenaltyKind;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.Settings;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.worker.model.Mlp;

/**
 * SAM and ASAM steps ({@code train.optimizer: sam}; docs/science.md, "Optimizer"): g = d_B(theta),
 * e = rho T^2 g / ||T g|| (T = diag(|theta|) adaptive, else I), update with d_B(theta + e) on the
 * same minibatch B, d_B the gradient of the penalized minibatch objective. The expected values
 * are derived here by hand from the model's loss and gradient on the step's minibatch (drawn from
 * {@link BatchOrder} with the trainer's seed), and from central differences of that objective.
 */
class SamTest {
    /** Hand derivation and trainer do the same double operations in other orders (norms, sums): rounding only. */
    static final double SAME_TOL = 1e-12;
    /** Central differences with h = 1e-5 of a smooth objective: truncation ~h^2, rounding ~eps/h. */
    static final double FD_TOL = 1e-6;
    static final double H = 1e-5;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static Mlp tiny() {
        return new Mlp(3, 1, 5, 2, Activation.TANH, Init.DEFAULT, Loss.MSE);
    }

    private static Settings sam(boolean adaptive, double rho) {
        return SmallSpecs.teacher().with(Setting.OPTIMIZER, Optimizer.SAM).with(Setting.SAM_RHO, rho)
                .with(Setting.SAM_ADAPTIVE, adaptive);
    }

    /** The minibatch gradient of C_B (no penalty) at theta, from the model directly. */
    private static double[] gradient(Mlp model, double[] theta, INDArray xb, INDArray yb) {
        INDArray g = Nd4j.create(DataType.DOUBLE, model.numParams());
        model.lossAndGradient(Nd4j.createFromArray(theta.clone()), xb, yb, g);
        return g.toDoubleVector();
    }

    /** e = rho T^2 g / ||T g||, T = diag(|theta|) or I, 0 where ||T g|| = 0: the formula written out. */
    static double[] perturbation(double[] theta, double[] g, double rho, boolean adaptive) {
        double sq = 0;
        for (int i = 0; i < g.length; i++) {
            double tg = (adaptive ? Math.abs(theta[i]) : 1) * g[i];
            sq += tg * tg;
        }
        double norm = Math.sqrt(sq);
        double[] e = new double[g.length];
        if (norm == 0) return e;
        for (int i = 0; i < g.length; i++) e[i] = rho * (adaptive ? theta[i] * theta[i] : 1) * g[i] / norm;
        return e;
    }

    private static double[] plus(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) c[i] += b[i];
        return c;
    }

    /**
     * Three SAM steps of a tiny tanh network on minibatches of 4 of 12 samples, with and without
     * momentum, Euclidean and adaptive, against the same steps derived by hand (g and the
     * gradient at theta + e from {@link Mlp#lossAndGradient} on the step's rows, e and the
     * momentum update in plain Java); and the perturbation has ||T^-1 e|| = rho.
     */
    @ParameterizedTest(name = "adaptive {0}, momentum {1}")
    @CsvSource({"false, 0", "true, 0", "false, 0.9", "true, 0.9"})
    void aSamStepIsTheHandDerivedStep(boolean adaptive, double momentum) {
        int n = 12, b = 4, steps = 3;
        long seed = 41;
        double lr = 0.1, rho = 0.3;
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = tiny();
        INDArray x = TrainerTest.random(rng, n, 3), y = TrainerTest.random(rng, n, 2);
        INDArray theta = model.initParams(seed);
        double[] expected = theta.toDoubleVector();
        TrainSpec train = sam(adaptive, rho).with(Setting.STEPS, steps).with(Setting.BATCH_SIZE, b).with(Setting.LR, lr)
                .with(Setting.MOMENTUM, momentum).train();
        Trainer.Outcome o = Trainer.train(model, theta, x, y, train, SmallSpecs.noPenalty(), seed);
        assertNull(o.divergedAtStep());

        BatchOrder order = new BatchOrder(n, b, seed);
        double[] velocity = new double[expected.length];
        for (int step = 0; step < steps; step++) {
            int[] rows = order.next().clone();
            INDArray xb = x.getRows(rows), yb = y.getRows(rows);
            double[] g = gradient(model, expected, xb, yb);
            double[] e = perturbation(expected, g, rho, adaptive);
            double scaled = 0;
            for (int i = 0; i < e.length; i++) {
                double t = adaptive ? e[i] / Math.abs(expected[i]) : e[i];
                scaled += t * t;
            }
            assertEquals(rho, Math.sqrt(scaled), 1e-14, "||T^-1 e|| = rho at step " + step);
            double[] d = gradient(model, plus(expected, e), xb, yb);
            for (int i = 0; i < d.length; i++) {
                velocity[i] = momentum * velocity[i] + d[i];
                expected[i] -= lr * (momentum > 0 ? velocity[i] : d[i]);
            }
        }
        double[] got = theta.toDoubleVector();
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], SAME_TOL * Math.max(1, Math.abs(expected[i])), "component " + i + " seed " + seed);
        }
        // and it is not SGD's step
        INDArray sgd = model.initParams(seed);
        Trainer.train(model, sgd, x, y, train.settings().with(Setting.OPTIMIZER, Optimizer.SGD).train(), SmallSpecs.noPenalty(), seed);
        assertTrue(sgd.sub(theta).norm2Number().doubleValue() > 1e-4, "SAM moved elsewhere than SGD");
    }

    /**
     * With a penalty the SAM objective is the penalized one (the trainer's training loss, C_B plus
     * the penalty): one full-batch step with learning rate eta moves theta by -eta d, and d equals
     * the central difference of the penalized objective at theta + e, e built from the central
     * difference of the same objective at theta. Every penalty kind, Euclidean and adaptive.
     */
    @ParameterizedTest(name = "{0}, adaptive {1}")
    @CsvSource({"NONE, false", "NONE, true", "L2, false", "L2, true", "GRADNORM, false", "GRADNORM, true",
            "DARC1, false", "DARC1, true"})
    void theStepsGradientIsTheCentralDifferenceAtThePerturbedPoint(PenaltyKind kind, boolean adaptive) {
        long seed = 7 + kind.ordinal() * 2L + (adaptive ? 1 : 0);
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp model = tiny();
        int n = 6;
        INDArray x = TrainerTest.random(rng, n, 3), y = TrainerTest.random(rng, n, 2);
        double lambda = kind == PenaltyKind.NONE ? 0 : 0.4, lr = 0.05, rho = 0.2;
        PenaltySpec penalty = SmallSpecs.teacher().with(Setting.PENALTY, kind).with(Setting.PENALTY_COEF, lambda).penalty();
        TrainSpec train = sam(adaptive, rho).with(Setting.STEPS, 1).with(Setting.BATCH_SIZE, n).with(Setting.LR, lr).train();
        INDArray theta = model.initParams(seed);
        double[] before = theta.toDoubleVector();
        Trainer.train(model, theta, x, y, train, penalty, seed);
        double[] after = theta.toDoubleVector();

        ToDoubleFunction<double[]> objective = t -> {
            INDArray at = Nd4j.createFromArray(t.clone());
            INDArray g = Nd4j.create(DataType.DOUBLE, model.numParams());
            double c = model.lossAndGradient(at, x, y, g);
            return switch (kind) {
                case NONE -> c;
                case L2 -> c + lambda / 2 * Math.pow(at.norm2Number().doubleValue(), 2);
                case GRADNORM -> c + lambda / 4 * Math.pow(g.norm2Number().doubleValue(), 2);
                case DARC1 -> c + Darc1.value(model.predict(at, x), lambda);
            };
        };
        double[] g = centralDifference(objective, before);
        double[] perturbed = plus(before, perturbation(before, g, rho, adaptive));
        double[] fd = centralDifference(objective, perturbed);
        for (int i = 0; i < fd.length; i++) {
            double used = (before[i] - after[i]) / lr;
            assertEquals(fd[i], used, FD_TOL * Math.max(1, Math.abs(fd[i])), kind + " adaptive " + adaptive + " component " + i
                    + " seed " + seed);
        }
    }

    private static double[] centralDifference(ToDoubleFunction<double[]> f, double[] at) {
        double[] g = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double[] up = at.clone(), down = at.clone();
            up[i] += H;
            down[i] -= H;
            g[i] = (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * H);
        }
        return g;
    }

    /**
     * ||T g|| = 0 gives e = 0, so the step is SGD's, bit for bit: ASAM at theta = 0 (T = 0 whatever
     * the gradient), and SAM where the gradient vanishes (targets equal to the network's outputs,
     * mse: every residual is exactly 0), where theta stays put and nothing becomes NaN.
     */
    @Test
    void aZeroScaledGradientGivesNoPerturbation() {
        SplittableRandom rng = new SplittableRandom(3);
        Mlp model = tiny();
        INDArray x = TrainerTest.random(rng, 6, 3), y = TrainerTest.random(rng, 6, 2);
        Settings one = SmallSpecs.teacher().with(Setting.STEPS, 1).with(Setting.BATCH_SIZE, 6).with(Setting.LR, 0.1);
        INDArray asam = Nd4j.zeros(DataType.DOUBLE, model.numParams()), sgd = asam.dup();
        Trainer.train(model, asam, x, y, one.with(Setting.OPTIMIZER, Optimizer.SAM).with(Setting.SAM_ADAPTIVE, true).train(),
                SmallSpecs.noPenalty(), 1);
        Trainer.train(model, sgd, x, y, one.train(), SmallSpecs.noPenalty(), 1);
        assertTrue(sgd.norm2Number().doubleValue() > 0, "the SGD step moved");
        assertArrayEquals(sgd.toDoubleVector(), asam.toDoubleVector(), 0.0);

        INDArray theta = model.initParams(5);
        INDArray fit = model.predict(theta, x);
        INDArray start = theta.dup();
        Trainer.Outcome o = Trainer.train(model, theta, x, fit, one.with(Setting.OPTIMIZER, Optimizer.SAM).train(),
                SmallSpecs.noPenalty(), 1);
        assertEquals(0.0, o.lastLoss());
        assertArrayEquals(start.toDoubleVector(), theta.toDoubleVector(), 0.0);
    }

    /** {@link Trainer#samPoint} alone: theta + e against the formula, and e = 0 for a zero gradient. */
    @Test
    void samPointIsTheFormula() {
        double[] theta = {0.5, -2.0, 0.0, 1.5}, g = {0.3, 0.1, -0.7, -0.2};
        for (boolean adaptive : new boolean[] {false, true}) {
            INDArray out = Nd4j.create(DataType.DOUBLE, 4);
            Trainer.samPoint(Nd4j.createFromArray(theta), Nd4j.createFromArray(g), 0.05, adaptive, out);
            assertArrayEquals(plus(theta, perturbation(theta, g, 0.05, adaptive)), out.toDoubleVector(), 1e-15);
        }
        // written out for the Euclidean case: ||g|| = sqrt(0.09 + 0.01 + 0.49 + 0.04) = sqrt(0.63)
        INDArray out = Nd4j.create(DataType.DOUBLE, 4);
        Trainer.samPoint(Nd4j.createFromArray(theta), Nd4j.createFromArray(g), 0.05, false, out);
        assertEquals(0.5 + 0.05 * 0.3 / Math.sqrt(0.63), out.getDouble(0), 1e-15);
        Trainer.samPoint(Nd4j.createFromArray(theta), Nd4j.zeros(DataType.DOUBLE, 4), 0.05, false, out);
        assertArrayEquals(theta, out.toDoubleVector(), 0.0);
    }
}
