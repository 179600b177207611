package org.sharpsweep.worker.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.model.Mlp;

/**
 * The small-network kernel's passes against the ND4J network's on the same arrays (docs/lockstep.md,
 * "Which points it trains"): a loss and gradient and a Hessian-vector product on m rows, relu, MSE,
 * one hidden layer, on the quickstart's teacher shapes and Fashion-MNIST's 784-32-10 and 784-100-10
 * at B = 50 and n = 1000 (random inputs in [0, 1)). Prints microseconds per call (medians of the
 * rounds, each a second per shape and side after a warm-up), ND4J / kernel, which side
 * {@link LockstepGroups#kernelTakes} gives the call, and the largest gradient difference.
 *
 * <p>{@code bench/run lockstep.KernelBench [rounds=3]}; with
 * {@code SHARPSWEEP_BENCH_JAVA_OPTS=-Dsharpsweep.vector=false} the kernel's products run in
 * scalar loops (the same bits).
 */
public final class KernelBench {
    private KernelBench() {
    }

    interface Call {
        void run();
    }

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println("BLAS: " + Blas.describe() + "; kernel products: " + Products.describe() + "; OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        int[][] shapes = {{10, 20, 1, 10}, {10, 50, 1, 10}, {10, 50, 1, 100}, {784, 32, 10, 50}, {784, 32, 10, 1000},
                {784, 100, 10, 50}, {784, 100, 10, 1000}};
        List<double[][]> times = new ArrayList<>(); // per shape: [round][kernel grad, nd4j grad, kernel hvp, nd4j hvp]
        for (int s = 0; s < shapes.length; s++) times.add(new double[rounds][]);
        double[] diffs = new double[shapes.length];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < shapes.length; s++) {
                int[] sh = shapes[s];
                int d = sh[0], w = sh[1], out = sh[2], m = sh[3];
                Mlp mlp = new Mlp(d, 1, w, out, Activation.RELU, Init.DEFAULT, Loss.MSE);
                DenseKernel k = new DenseKernel(mlp, false);
                INDArray theta = mlp.initParams(1);
                SplittableRandom rng = new SplittableRandom(1);
                double[] x = new double[m * d], y = new double[m * out], v = new double[k.numParams];
                for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
                for (int i = 0; i < y.length; i++) y[i] = rng.nextDouble() - 0.5;
                for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() - 0.5;
                double[] th = theta.toDoubleVector(), g = new double[k.numParams], o = new double[k.numParams];
                INDArray xs = Nd4j.create(x, new long[] {m, d}, 'c'), ys = Nd4j.create(y, new long[] {m, out}, 'c');
                INDArray gs = Nd4j.create(DataType.DOUBLE, k.numParams), vs = Nd4j.create(v), os = Nd4j.create(DataType.DOUBLE, k.numParams);
                times.get(s)[r] = new double[] {
                        time(() -> k.lossAndGradient(th, x, y, m, g)), time(() -> mlp.lossAndGradient(theta, xs, ys, gs)),
                        time(() -> k.hvp(th, x, y, m, v, o)), time(() -> mlp.hvp(theta, xs, ys, vs, os))};
                double diff = 0;
                for (int i = 0; i < g.length; i++) diff = Math.max(diff, Math.abs(g[i] - gs.getDouble(i)));
                diffs[s] = diff;
            }
        }
        System.out.printf("%-20s %8s %10s %10s %8s %10s %10s %8s %-7s %s%n", "shape", "P", "grad kern", "grad nd4j", "nd4j/k",
                "hvp kern", "hvp nd4j", "nd4j/k", "kernel?", "max |grad diff|");
        for (int s = 0; s < shapes.length; s++) {
            int[] sh = shapes[s];
            Mlp mlp = new Mlp(sh[0], 1, sh[1], sh[2], Activation.RELU, Init.DEFAULT, Loss.MSE);
            double[] med = new double[4];
            for (int c = 0; c < 4; c++) {
                double[] col = new double[rounds];
                for (int r = 0; r < rounds; r++) col[r] = times.get(s)[r][c];
                java.util.Arrays.sort(col);
                med[c] = col[rounds / 2];
            }
            System.out.printf("%-20s %8d %10.1f %10.1f %8.2f %10.1f %10.1f %8.2f %-7s %.1e%n",
                    sh[0] + "-" + sh[1] + "-" + sh[2] + " m=" + sh[3], mlp.numParams(), med[0], med[1], med[1] / med[0], med[2], med[3],
                    med[3] / med[2], LockstepGroups.kernelTakes(sh[3], mlp.numParams(), false) ? "yes" : "no", diffs[s]);
        }
    }

    /** Microseconds per call: a warm-up of 0.3 s, then calls for a second. */
    private static double time(Call c) {
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) c.run();
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L) {
            c.run();
            calls++;
        }
        return (System.nanoTime() - t0) / 1e3 / calls;
    }
}
