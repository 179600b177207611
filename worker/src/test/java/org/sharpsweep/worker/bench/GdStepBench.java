package org.sharpsweep.worker.bench;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.blas.Gemm;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * One full-batch GD step on the real Fashion-MNIST (n = 1000, one hidden ReLU layer of width
 * 100, MSE) against the same step's matrix products alone (the five gemms of a forward and
 * backward pass, into preallocated row-major arrays, through blas.Gemm as the model calls them), in one run; then the same for an SGD step on
 * minibatches of B rows (its products on B rows, plus gathering the minibatch). Prints medians
 * and their ratios.
 *
 * <p>Run: {@code bench/run GdStepBench [path] [B]} (defaults /usr/share/datasets/fashion-mnist, 50).
 */
public final class GdStepBench {
    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        String path = args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
        int n = 1000, width = 100, steps = 20, reps = 15;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Data data = Datasets.load(SmallSpecs.teacher().with(Setting.DATASET, Dataset.FASHION_MNIST).with(Setting.INPUT_DIM, 1)
                .with(Setting.PATH, path).with(Setting.N_TRAIN, n).with(Setting.N_TEST, 100)
                .with(Setting.CLASSES, java.util.List.of()).data(), 1);
        Mlp model = new Mlp(784, 1, width, 10, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta = model.initParams(1);
        PenaltySpec none = SmallSpecs.noPenalty();
        double[] gd = time(model, theta, data, SmallSpecs.teacher().with(Setting.STEPS, steps).with(Setting.LR, 0.1)
                .with(Setting.BATCH_SIZE, n).with(Setting.DIVERGENCE_LOSS, 1e6).train(), none, data.trainX(), width, reps);
        INDArray firstBatch = data.trainX().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
        double[] sgd = time(model, theta, data, SmallSpecs.teacher().with(Setting.STEPS, 400).with(Setting.LR, 0.01)
                .with(Setting.BATCH_SIZE, batch).with(Setting.DIVERGENCE_LOSS, 1e6).train(), none, firstBatch, width, reps);
        double ms = gd[0];
        double mg = gd[1];
        System.out.printf("Fashion-MNIST n=%d, 784-%d-10 relu, mse, OMP_NUM_THREADS=%s%n", n, width,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.printf("full-batch GD step (loss, gradient, update): %.2f ms (median of %d x %d steps)%n", ms, reps, steps);
        System.out.printf("its five matrix products alone:              %.2f ms%n", mg);
        System.out.printf("ratio step / matrix products:                %.2f%n", ms / mg);
        System.out.printf("SGD step, B=%d (gather, loss, gradient, update): %.3f ms%n", batch, sgd[0]);
        System.out.printf("its five matrix products alone:                 %.3f ms%n", sgd[1]);
        System.out.printf("ratio SGD step / matrix products:               %.2f%n", sgd[0] / sgd[1]);
    }

    /**
     * Median ms per training step, and per the same step's five matrix products on preallocated
     * arrays with {@code rows} as the batch: {forward hidden, forward output, dW2 = A^T dZ2,
     * dA = dZ2 W2^T, dW1 = X^T dZ1}. Three warm-up rounds, then {@code reps} rounds.
     */
    static double[] time(Mlp model, INDArray theta, Data data, TrainSpec train, PenaltySpec penalty, INDArray rows,
                         int width, int reps) {
        long m = rows.rows();
        INDArray w1 = Nd4j.rand(DataType.DOUBLE, 784, width);
        INDArray w2 = Nd4j.rand(DataType.DOUBLE, width, 10);
        INDArray z1 = Nd4j.create(DataType.DOUBLE, m, width);
        INDArray z2 = Nd4j.create(DataType.DOUBLE, m, 10);
        INDArray gw2 = Nd4j.create(DataType.DOUBLE, width, 10);
        INDArray dz1 = Nd4j.create(DataType.DOUBLE, m, width);
        INDArray gw1 = Nd4j.create(DataType.DOUBLE, 784, width);
        int steps = train.steps();
        double[] step = new double[reps];
        double[] gemm = new double[reps];
        for (int r = -3; r < reps; r++) {
            long t0 = System.nanoTime();
            Trainer.train(model, theta, data.trainX(), data.trainY(), train, penalty, r);
            double perStep = (System.nanoTime() - t0) / 1e6 / steps;
            t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                Gemm.gemm(rows, w1, z1, false, false, 1.0, 0.0);
                Gemm.gemm(z1, w2, z2, false, false, 1.0, 0.0);
                Gemm.gemm(z1, z2, gw2, true, false, 1.0, 0.0);
                Gemm.gemm(z2, w2, dz1, false, true, 1.0, 0.0);
                Gemm.gemm(rows, dz1, gw1, true, false, 1.0, 0.0);
            }
            double perGemms = (System.nanoTime() - t0) / 1e6 / steps;
            if (r >= 0) {
                step[r] = perStep;
                gemm[r] = perGemms;
            }
        }
        return new double[] {median(step), median(gemm)};
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
