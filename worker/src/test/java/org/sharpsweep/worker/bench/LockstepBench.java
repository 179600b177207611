package org.sharpsweep.worker.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.lockstep.LockstepTrainer;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * Time per model-step of training (no measurement), on the shapes: the quickstart's
 * teacher (d = 10, n = 100, widths 20 and 50, B = 10 and 100, relu, MSE) and Fashion-MNIST
 * 784-32-10 (n = 1000, B = 50 and GD, relu, MSE). For each shape: the ND4J trainer one model at a
 * time (the engine before lockstep, and still the trainer of every network that is no small
 * network), {@link LockstepTrainer} with groups of K = 1, 4, 16, 64 models of different
 * learning rates and seeds, and {@code auto}: what the engine does with such a point
 * ({@link LockstepGroups#smallNetwork}: the plain-Java trainer, one model at a time in its
 * group, i.e. the K = 1 figure; else the ND4J trainer).
 *
 * <p>Run by {@code bench/lockstep [rounds]}, which alternates whole rounds of this program with
 * the PyTorch side ({@code bench/torch_lockstep.py}) and summarizes; by hand:
 * {@code bench/run LockstepBench ROUND OUT.tsv [FASHION_DIR]} appends one round's rows.
 */
public final class LockstepBench {
    record Shape(String name, Data data, int width, int batch, int steps) {
    }

    public static void main(String[] args) throws Exception {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int round = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        java.nio.file.Path out = java.nio.file.Path.of(args.length > 1 ? args[1] : "bench/out/lockstep.tsv");
        String fashion = args.length > 2 ? args[2] : "/usr/share/datasets/fashion-mnist";
        Data teacher = Datasets.load(SmallSpecs.teacher().with(Setting.INPUT_DIM, 10).with(Setting.N_TRAIN, 100)
                .with(Setting.N_TEST, 100).data(), 1);
        List<Shape> shapes = new ArrayList<>(List.of(
                new Shape("teacher 10-20-1 B=10", teacher, 20, 10, 400),
                new Shape("teacher 10-50-1 B=10", teacher, 50, 10, 400),
                new Shape("teacher 10-50-1 B=100 (GD)", teacher, 50, 100, 200)));
        if (new java.io.File(fashion).isDirectory()) {
            Data fm = Datasets.load(SmallSpecs.teacher().with(Setting.DATASET, Dataset.FASHION_MNIST).with(Setting.INPUT_DIM, 1)
                    .with(Setting.PATH, fashion).with(Setting.N_TRAIN, 1000).with(Setting.N_TEST, 100).data(), 1);
            shapes.add(new Shape("fashion 784-32-10 B=50", fm, 32, 50, 400)); // steps enough that a group's set-up (its data as double[]) is not the figure
            shapes.add(new Shape("fashion 784-32-10 GD n=1000", fm, 32, 1000, 20));
        }
        System.out.println("round " + round + "; BLAS: " + Blas.describe() + "; small-network products: " + LockstepTrainer.arithmetic() + "; OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        int[] ks = {1, 4, 16, 64};
        StringBuilder tsv = new StringBuilder();
        for (Shape s : shapes) {
            // a second of this shape first: K = 1 timed right after the JVM starts would time the interpreter
            long warm = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warm) runGroup(s, mlp(s), SmallSpecs.noPenalty(), 4);
            double nd4j = nd4j(s);
            tsv.append(row(s, "nd4j one at a time", round, nd4j));
            double k1 = 0, k64 = 0;
            for (int k : ks) {
                double t = lockstep(s, k);
                if (k == 1) k1 = t;
                if (k == 64) k64 = t;
                tsv.append(row(s, "lockstep K=" + k, round, t));
            }
            // the engine's groups train their models one at a time (PointRunner.TRAINED_TOGETHER = 1)
            boolean small = LockstepGroups.kernelTakes(s.batch, mlp(s).numParams(), false);
            tsv.append(row(s, "auto", round, small ? k1 : nd4j));
            System.out.printf("  %-28s nd4j %9.2f us, K=1 %9.2f us, K=64 %9.2f us per model-step (auto: %s)%n", s.name, nd4j, k1, k64,
                    small ? "plain-Java trainer" : "nd4j");
        }
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        java.nio.file.Files.writeString(out, tsv.toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String row(Shape s, String variant, int round, double us) {
        return s.name + "\t" + variant + "\t" + round + "\t" + us + "\n";
    }

    private static Mlp mlp(Shape s) {
        return new Mlp(s.data.inputs(), 1, s.width, s.data.outputs(), Activation.RELU, Init.DEFAULT, Loss.MSE);
    }

    private static TrainSpec train(Shape s, int i) {
        return SmallSpecs.teacher().with(Setting.STEPS, s.steps).with(Setting.LR, 0.01 * (1 + i % 8))
                .with(Setting.BATCH_SIZE, s.batch).with(Setting.DIVERGENCE_LOSS, 1e9).train();
    }

    /** Microseconds per model-step of the ND4J trainer, models one after another (4 models, after a warm-up). */
    private static double nd4j(Shape s) {
        Mlp model = mlp(s);
        PenaltySpec none = SmallSpecs.noPenalty();
        Trainer.train(model, model.initParams(99), s.data.trainX(), s.data.trainY(), train(s, 0), none, 1);
        long t0 = System.nanoTime();
        int models = 4;
        for (int i = 0; i < models; i++) {
            Trainer.train(model, model.initParams(i), s.data.trainX(), s.data.trainY(), train(s, i), none, i);
        }
        return (System.nanoTime() - t0) / 1e3 / models / s.steps;
    }

    /** Microseconds per model-step of groups of k (at least 64 model-trainings per round, after a warm-up group). */
    private static double lockstep(Shape s, int k) {
        Mlp model = mlp(s);
        PenaltySpec none = SmallSpecs.noPenalty();
        runGroup(s, model, none, k);
        int groups = Math.max(1, 16 / k);
        long t0 = System.nanoTime();
        for (int g = 0; g < groups; g++) runGroup(s, model, none, k);
        return (System.nanoTime() - t0) / 1e3 / (groups * k) / s.steps;
    }

    private static void runGroup(Shape s, Mlp model, PenaltySpec none, int k) {
        List<LockstepTrainer.Member> members = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            INDArray theta = model.initParams(i);
            members.add(new LockstepTrainer.Member(model, theta, train(s, i), none, i, 0, null));
        }
        LockstepTrainer.train(s.data.trainX(), s.data.trainY(), members);
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
