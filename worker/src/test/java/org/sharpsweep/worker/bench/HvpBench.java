package org.sharpsweep.worker.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.model.Mlp;

/**
 * Cost of the model's derivatives on a Fashion-MNIST-sized problem, as ratios measured in one
 * run: hvp / gradient (target <= 3), per-sample moments loop / batched (target >= 5), and
 * gradient / the bare gemms of one forward and backward pass (the floor any implementation
 * pays). Each figure is the median of repeats after a warm-up.
 *
 * <p>Arguments (all optional, key=value): n=1000 inputs=784 depth=1 width=100 outputs=10
 * activation=relu loss=mse repeats=15 loopRepeats=3 omp=0 (0: leave ND4J's OpenMP threads as
 * they are; OMP_NUM_THREADS in the environment also sets them)
 * data=/usr/share/datasets/fashion-mnist: the first n real Fashion-MNIST training images and
 * their one-hot labels when that directory exists and inputs=784 and outputs=10, else
 * (or with data=synthetic) inputs uniform in [0, 1) like scaled pixels and random one-hot targets.
 */
public final class HvpBench {

    private HvpBench() {
    }

    public static void main(String[] args) {
        Config c = Config.parse(args);
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Nd4j.zeros(DataType.DOUBLE, 1);
        if (c.omp > 0) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(c.omp);
        }
        Mlp mlp = new Mlp(c.inputs, c.depth, c.width, c.outputs, c.activation, Init.DEFAULT, c.loss);
        SplittableRandom random = new SplittableRandom(2024);
        boolean real = c.inputs == 784 && c.outputs == 10 && java.nio.file.Files.isDirectory(java.nio.file.Path.of(c.data));
        INDArray x;
        INDArray y;
        if (real) {
            org.sharpsweep.worker.data.Data d = org.sharpsweep.worker.data.Datasets.load(SmallSpecs.teacher()
                    .with(Setting.DATASET, org.sharpsweep.sweeps.Dataset.FASHION_MNIST)
                    .with(Setting.TARGET, org.sharpsweep.sweeps.Target.SINGLE_NEURON).with(Setting.INPUT_DIM, 1)
                    .with(Setting.PATH, c.data).with(Setting.N_TRAIN, c.n).with(Setting.N_TEST, 100).data(), 1);
            x = d.trainX();
            y = d.trainY();
        } else {
            x = uniform(random, c.n, c.inputs);
            y = oneHot(random, c.n, c.outputs);
        }
        INDArray theta = mlp.initParams(1);
        INDArray v = uniform(random, 1, mlp.numParams()).reshape(mlp.numParams()).subi(0.5);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray hv = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray sumHv = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray sumHHv = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray loopHv = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray loopHHv = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        Gemms gemms = new Gemms(c, x, random);

        System.out.printf(Locale.ROOT, "HvpBench: %s, n=%d, data %s, omp=%s, %d cores%n", mlp, c.n,
                real ? "Fashion-MNIST " + c.data : "synthetic",
                c.omp > 0 ? c.omp : System.getenv().getOrDefault("OMP_NUM_THREADS", "default"),
                Runtime.getRuntime().availableProcessors());

        Runnable gradient = () -> mlp.lossAndGradient(theta, x, y, grad);
        Runnable hessianVector = () -> mlp.hvp(theta, x, y, v, hv);
        Runnable batched = () -> mlp.perSampleMoments(theta, x, y, v, sumHv, sumHHv);
        Runnable loop = () -> mlp.perSampleMomentsLoop(theta, x, y, v, loopHv, loopHHv);
        for (int i = 0; i < 5; i++) {
            gemms.run();
            gradient.run();
            hessianVector.run();
            batched.run();
        }
        loop.run();

        double tGemms = median(gemms, c.repeats);
        double tGradient = median(gradient, c.repeats);
        double tHvp = median(hessianVector, c.repeats);
        double tBatched = median(batched, c.repeats);
        double tLoop = median(loop, c.loopRepeats);

        System.out.printf(Locale.ROOT, "bare gemms of forward+backward %9.3f ms%n", tGemms);
        System.out.printf(Locale.ROOT, "lossAndGradient                %9.3f ms%n", tGradient);
        System.out.printf(Locale.ROOT, "hvp                            %9.3f ms%n", tHvp);
        System.out.printf(Locale.ROOT, "perSampleMoments (batched)     %9.3f ms%n", tBatched);
        System.out.printf(Locale.ROOT, "perSampleMomentsLoop           %9.3f ms%n", tLoop);
        System.out.printf(Locale.ROOT, "ratio hvp/grad      %6.2f (target <= 3)%n", tHvp / tGradient);
        System.out.printf(Locale.ROOT, "ratio loop/batched  %6.1f (target >= 5)%n", tLoop / tBatched);
        System.out.printf(Locale.ROOT, "ratio grad/gemms    %6.2f%n", tGradient / tGemms);
        System.out.printf(Locale.ROOT, "ratio batched/hvp   %6.2f%n", tBatched / tHvp);
        System.out.printf(Locale.ROOT, "batched vs loop: relative difference sumHv %.2e, sumHHv %.2e%n",
                relative(sumHv, loopHv), relative(sumHHv, loopHHv));
        viewOrCopy(mlp, theta, x, c.repeats);
    }

    /**
     * Does gemm on W_0 as a view of theta (theta.get(interval).reshape, as Mlp does) cost more
     * than on a dense copy? Times x W_0 both ways, the copy itself, and x^T G written into a
     * view of a gradient vector versus into a dense buffer.
     */
    private static void viewOrCopy(Mlp mlp, INDArray theta, INDArray x, int repeats) {
        int in = mlp.fanIn(0);
        int out = mlp.fanOut(0);
        long w = mlp.weightOffset(0);
        INDArray view = theta.get(NDArrayIndex.interval(w, w + (long) in * out)).reshape('c', in, out);
        INDArray copy = view.dup('c');
        INDArray z = Nd4j.create(DataType.DOUBLE, x.rows(), out);
        INDArray g = Nd4j.rand(DataType.DOUBLE, x.rows(), out);
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
        INDArray gradientView = gradient.get(NDArrayIndex.interval(w, w + (long) in * out)).reshape('c', in, out);
        INDArray dense = Nd4j.create(DataType.DOUBLE, in, out);
        Runnable fromView = () -> Nd4j.gemm(x, view, z, false, false, 1.0, 0.0);
        Runnable fromCopy = () -> Nd4j.gemm(x, copy, z, false, false, 1.0, 0.0);
        Runnable copying = () -> copy.assign(view);
        Runnable intoView = () -> Nd4j.gemm(x, g, gradientView, true, false, 1.0, 0.0);
        Runnable intoDense = () -> Nd4j.gemm(x, g, dense, true, false, 1.0, 0.0);
        for (int i = 0; i < 5; i++) {
            fromView.run();
            fromCopy.run();
            intoView.run();
            intoDense.run();
        }
        System.out.printf(Locale.ROOT, "x W_0 with W_0 a view of theta %8.3f ms, a dense copy %8.3f ms (copying %.3f ms)%n",
                median(fromView, repeats), median(fromCopy, repeats), median(copying, repeats));
        System.out.printf(Locale.ROOT, "x^T G into a view of grad      %8.3f ms, a dense buffer %7.3f ms%n",
                median(intoView, repeats), median(intoDense, repeats));
    }

    /** Median wall time in milliseconds of {@code repeats} runs. */
    private static double median(Runnable task, int repeats) {
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            task.run();
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return repeats % 2 == 1 ? ms[repeats / 2] : 0.5 * (ms[repeats / 2 - 1] + ms[repeats / 2]);
    }

    private static double relative(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    private static INDArray uniform(SplittableRandom random, int rows, int cols) {
        double[][] values = new double[rows][cols];
        for (double[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble();
            }
        }
        return Nd4j.createFromArray(values);
    }

    private static INDArray oneHot(SplittableRandom random, int rows, int classes) {
        double[][] values = new double[rows][classes];
        for (double[] row : values) {
            row[random.nextInt(classes)] = 1.0;
        }
        return Nd4j.createFromArray(values);
    }

    /**
     * The matrix products of one forward and backward pass alone, on preallocated dense arrays:
     * Z_l = A_{l-1} W_l, the signals G_l W_l^T (not for the first layer) and A_{l-1}^T G_l.
     */
    private static final class Gemms implements Runnable {
        private final int layers;
        private final INDArray[] w;
        private final INDArray[] a;
        private final INDArray[] z;
        private final INDArray[] g;
        private final INDArray[] gw;

        Gemms(Config c, INDArray x, SplittableRandom random) {
            layers = c.depth + 1;
            w = new INDArray[layers];
            a = new INDArray[layers];
            z = new INDArray[layers];
            g = new INDArray[layers];
            gw = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                int in = l == 0 ? c.inputs : c.width;
                int out = l == layers - 1 ? c.outputs : c.width;
                w[l] = uniform(random, in, out);
                a[l] = l == 0 ? x : Nd4j.rand(DataType.DOUBLE, c.n, in);
                z[l] = Nd4j.create(DataType.DOUBLE, c.n, out);
                g[l] = Nd4j.rand(DataType.DOUBLE, c.n, out);
                gw[l] = Nd4j.create(DataType.DOUBLE, in, out);
            }
        }

        @Override
        public void run() {
            for (int l = 0; l < layers; l++) {
                Nd4j.gemm(a[l], w[l], z[l], false, false, 1.0, 0.0);
            }
            for (int l = layers - 1; l >= 0; l--) {
                if (l > 0) {
                    Nd4j.gemm(g[l], w[l], a[l], false, true, 1.0, 0.0);
                }
                Nd4j.gemm(a[l], g[l], gw[l], true, false, 1.0, 0.0);
            }
        }
    }

    private record Config(int n, int inputs, int depth, int width, int outputs, Activation activation, Loss loss,
                          int repeats, int loopRepeats, int omp, String data) {
        static Config parse(String[] args) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
                m.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            Config c = new Config(
                    Integer.parseInt(m.getOrDefault("n", "1000")),
                    Integer.parseInt(m.getOrDefault("inputs", "784")),
                    Integer.parseInt(m.getOrDefault("depth", "1")),
                    Integer.parseInt(m.getOrDefault("width", "100")),
                    Integer.parseInt(m.getOrDefault("outputs", "10")),
                    Activation.valueOf(m.getOrDefault("activation", "relu").toUpperCase(Locale.ROOT)),
                    Loss.valueOf(m.getOrDefault("loss", "mse").toUpperCase(Locale.ROOT).replace('-', '_')),
                    Integer.parseInt(m.getOrDefault("repeats", "15")),
                    Integer.parseInt(m.getOrDefault("loopRepeats", "3")),
                    Integer.parseInt(m.getOrDefault("omp", "0")),
                    m.getOrDefault("data", "/usr/share/datasets/fashion-mnist"));
            m.keySet().removeAll(java.util.Set.of("n", "inputs", "depth", "width", "outputs", "activation", "loss",
                    "repeats", "loopRepeats", "omp", "data"));
            if (!m.isEmpty()) throw new IllegalArgumentException("unknown arguments " + m.keySet());
            return c;
        }
    }
}
