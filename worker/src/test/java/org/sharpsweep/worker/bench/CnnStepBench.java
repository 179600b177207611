package org.sharpsweep.worker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.Pool;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.Npy;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.blas.Gemm;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Cnn;
import org.sharpsweep.worker.train.Trainer;

/**
 * The cnn family ({@link Cnn}) against its own matrix products and against PyTorch, in one run,
 * float64, one thread: the real Fashion-MNIST (first n = 1000 training images, pixel/255, one-hot
 * targets), conv_blocks 2, channels 16, kernel 3, max pooling, one dense hidden layer of 64, relu,
 * xent (the mean over samples of -sum_k y_k log softmax(f)_k), the engine's default init (seed 1).
 *
 * <p><b>Correctness first.</b> PyTorch ({@code bench/torch_cnn_step.py}: nn.Conv2d, ReLU,
 * MaxPool2d, Flatten, nn.Linear loaded with the engine's exported arrays, W transposed) computes
 * the loss, the gradient and H v (double backprop, v a seeded uniform direction) at the same
 * parameters; the bench stops with exit status 1 unless the losses agree to {@link #LOSS_TOL}
 * relative and the gradient and H v to {@link #VECTOR_TOL} (largest difference / largest
 * element of PyTorch's vector). Both sides then report the loss before the last GD step of every
 * timed run, which must agree too.
 *
 * <p><b>Timings</b>, interleaved round by round (who goes first alternates), medians of the
 * rounds, wall clock and the computing thread's CPU time (both sides compute on one thread):
 * (a) the engine's full-batch GD step (lossAndGradient, then theta -= lr grad by one axpy, as
 * {@link Trainer} does), (b) the engine's hvp on the same rows, (c) the GEMMs of (a) alone: every
 * {@link Gemm#gemm} call that the step makes, in the same order, with the same shapes, layouts
 * and chunks of {@link Cnn#chunkRows()} rows, on preallocated arrays (see {@link StepGemms}),
 * (d) PyTorch's full-batch step (forward, loss, backward, SGD update), (e) PyTorch's H v by
 * double backprop, and (f, g) a B = 50 SGD step in both (the engine through {@link Trainer}).
 *
 * <p>Run: {@code bench/cnn-compare [rounds] [n=1000] [channels=16] [steps=3] [path=DIR]}
 * (default 5 rounds after a warm-up; {@code steps} GD steps or HVPs per timing).
 */
public final class CnnStepBench {
    /** Relative difference of the two losses above which the bench fails (both are sums of n terms). */
    static final double LOSS_TOL = 1e-12;
    /** Largest |engine - torch| / largest |torch| of the gradient and of H v above which the bench fails. */
    static final double VECTOR_TOL = 1e-10;
    private static final double LR = 0.1;
    private static final int B = 50;
    private static final int SGD_STEPS = 20;
    private static final long WARMUP_NANOS = 6_000_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        Map<String, String> opt = new LinkedHashMap<>(Map.of("n", "1000", "channels", "16", "steps", "3",
                "path", "/usr/share/datasets/fashion-mnist"));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                rounds = Integer.parseInt(a);
            } else if (opt.containsKey(a.substring(0, eq))) {
                opt.put(a.substring(0, eq), a.substring(eq + 1));
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; known: rounds, " + opt.keySet());
            }
        }
        int n = Integer.parseInt(opt.get("n"));
        int channels = Integer.parseInt(opt.get("channels"));
        int steps = Integer.parseInt(opt.get("steps"));
        String python = System.getenv().getOrDefault("SHARPSWEEP_PYTHON", "/usr/bin/python3");

        Blas.prepare();
        Data data = Datasets.load(SmallSpecs.teacher().with(Setting.DATASET, Dataset.FASHION_MNIST).with(Setting.INPUT_DIM, 1)
                .with(Setting.PATH, opt.get("path")).with(Setting.N_TRAIN, n).with(Setting.N_TEST, 100).data(), 1);
        INDArray x = data.trainX();
        INDArray y = data.trainY();
        ImageShape shape = Dataset.FASHION_MNIST.imageShape();
        Net net = new Net(shape, 2, channels, 3, Pool.MAX, 1, 64, 10);
        Cnn model = net.model();
        INDArray theta0 = model.initParams(1);
        int p = model.numParams();
        SplittableRandom random = new SplittableRandom(2);
        double[] vs = new double[p];
        for (int i = 0; i < p; i++) vs[i] = 2 * random.nextDouble() - 1;
        INDArray v = Nd4j.createFromArray(vs);

        Path dir = Files.createTempDirectory("sharpsweep-cnn-compare");
        Npy.write(x, dir.resolve("X.npy"));
        Npy.write(y, dir.resolve("Y.npy"));
        Npy.write(v, dir.resolve("V.npy"));
        for (Map.Entry<String, INDArray> e : model.exportArrays(theta0).entrySet()) {
            Npy.write(e.getValue(), dir.resolve(e.getKey() + ".npy"));
        }
        Files.writeString(dir.resolve("net.txt"), String.format(Locale.ROOT, "%d %d %d %d %d %d %s %d %d %d",
                shape.channels(), shape.height(), shape.width(), net.blocks, net.channels, net.kernel, net.pool.specName(),
                net.depth, net.width, net.outputs));

        ProcessBuilder pb = new ProcessBuilder(python, Path.of("bench/torch_cnn_step.py").toAbsolutePath().toString(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        String core = Blas.core();
        if (core != null) pb.environment().put(Blas.CORETYPE, Blas.prepare().requested() != null ? Blas.prepare().requested() : core);
        Process torch = pb.start();
        Torch t = new Torch(new PrintWriter(torch.getOutputStream(), true, StandardCharsets.UTF_8),
                new BufferedReader(new InputStreamReader(torch.getInputStream(), StandardCharsets.UTF_8)));

        System.out.printf(Locale.ROOT, "Fashion-MNIST n=%d, %s, %d parameters, chunks of %d rows, float64, lr %.2g; "
                + "engine OMP_NUM_THREADS=%s%n", n, model, p, model.chunkRows(), LR,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.println("engine BLAS:  " + Blas.describe());
        System.out.println("PyTorch:      " + t.ask("info"));

        // ---- correctness: loss, gradient and H v at theta0
        INDArray grad = Nd4j.create(DataType.DOUBLE, p);
        double engineLoss = model.lossAndGradient(theta0, x, y, grad);
        INDArray hv = Nd4j.create(DataType.DOUBLE, p);
        model.hvp(theta0, x, y, v, hv);
        Path file = dir.resolve("torch-grad.f64");
        double torchLoss = Double.parseDouble(t.ask("check " + file));
        double[] torchGrad = readDoubles(file, p);
        double[] torchHv = readDoubles(Path.of(file + ".hv"), p);
        double lossRel = Math.abs(engineLoss - torchLoss) / Math.abs(torchLoss);
        double gradRel = maxRelative(grad.toDoubleVector(), torchGrad);
        double hvRel = maxRelative(hv.toDoubleVector(), torchHv);
        System.out.printf(Locale.ROOT, "check at the initial parameters: loss engine %.17g, torch %.17g, relative difference %.2e%n",
                engineLoss, torchLoss, lossRel);
        System.out.printf(Locale.ROOT, "  gradient: max |engine - torch| / max |torch| = %.2e (max |torch| %.3e); "
                + "H v: %.2e (max |torch| %.3e)%n", gradRel, maxAbs(torchGrad), hvRel, maxAbs(torchHv));
        if (!(lossRel <= LOSS_TOL && gradRel <= VECTOR_TOL && hvRel <= VECTOR_TOL)) {
            System.out.printf(Locale.ROOT, "FAIL: the engine and PyTorch disagree (tolerances: loss %.0e relative, "
                    + "gradient and H v %.0e)%n", LOSS_TOL, VECTOR_TOL);
            t.quit(torch);
            System.exit(1);
        }

        // ---- timings
        StepGemms gemms = new StepGemms(net, model.chunkRows(), n);
        PenaltySpec none = SmallSpecs.noPenalty();
        TrainSpec sgd = SmallSpecs.teacher().with(Setting.STEPS, SGD_STEPS).with(Setting.LR, LR).with(Setting.BATCH_SIZE, B)
                .with(Setting.DIVERGENCE_LOSS, 1e6).train();
        Timing gd = new Timing("GD step, n=" + n);
        Timing hvp = new Timing("HVP, n=" + n);
        Timing prod = new Timing("GEMMs of the GD step");
        Timing sgdStep = new Timing("SGD step, B=" + B);
        double[] lastLoss = new double[2];
        Runnable engineGd = () -> lastLoss[0] = gdSteps(model, theta0, x, y, steps);
        Runnable engineHvp = () -> {
            for (int s = 0; s < steps; s++) model.hvp(theta0, x, y, v, hv);
        };
        Runnable engineGemms = () -> {
            for (int s = 0; s < steps; s++) gemms.run();
        };
        Runnable engineSgd = () -> Trainer.train(model, theta0.dup(), x, y, sgd, none, 7);

        long warmUntil = System.nanoTime() + WARMUP_NANOS;
        do {
            engineGd.run();
            engineHvp.run();
            engineGemms.run();
            engineSgd.run();
        } while (System.nanoTime() < warmUntil);
        t.ask("gd 1 " + LR);
        t.ask("hvp 1");
        gemms.reset();
        for (int r = 0; r < rounds; r++) {
            boolean engineFirst = (r & 1) == 0;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == engineFirst) {
                    gd.engine(engineGd, steps);
                    hvp.engine(engineHvp, steps);
                    prod.engine(engineGemms, steps);
                    sgdStep.engine(engineSgd, SGD_STEPS);
                } else {
                    lastLoss[1] = gd.torch(t.ask(String.format(Locale.ROOT, "gd %d %s", steps, LR)));
                    hvp.torch(t.ask("hvp " + steps));
                    sgdStep.torch(t.ask(String.format(Locale.ROOT, "sgd %d %s %d 7", SGD_STEPS, LR, B)));
                }
            }
            double rel = Math.abs(lastLoss[0] - lastLoss[1]) / Math.abs(lastLoss[1]);
            if (!(rel <= 1e-10)) {
                System.out.printf(Locale.ROOT, "FAIL: loss before the last GD step: engine %.17g, torch %.17g%n", lastLoss[0], lastLoss[1]);
                t.quit(torch);
                System.exit(1);
            }
        }
        t.quit(torch);

        System.out.printf(Locale.ROOT, "%nmedians of %d interleaved rounds (%d GD steps or HVPs, %d SGD steps per timing), ms%n",
                rounds, steps, SGD_STEPS);
        System.out.printf(Locale.ROOT, "%-24s %10s %10s %10s %10s%n", "", "engine", "cpu", "torch", "cpu");
        for (Timing m : List.of(gd, hvp, prod, sgdStep)) {
            System.out.printf(Locale.ROOT, "%-24s %10.3f %10.3f %10s %10s%n", m.name, m.engineMs(), m.engineCpu(),
                    m.torch.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", m.torchMs()),
                    m.torch.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", m.torchCpu()));
        }
        System.out.printf(Locale.ROOT, "loss before the last GD step: engine %.17g, torch %.17g%n", lastLoss[0], lastLoss[1]);
        System.out.println();
        System.out.printf(Locale.ROOT, "GEMMs of the GD step by kind (thread CPU ms per step, summed over the chunks; mean of %d steps):%n",
                gemms.runs);
        double all = gemms.breakdown.values().stream().mapToDouble(d -> d[0]).sum();
        for (Map.Entry<String, double[]> e : gemms.breakdown.entrySet()) {
            double[] d = e.getValue();
            System.out.printf(Locale.ROOT, "  %-34s %8.3f ms  %5.1f%%  %6.2f GFLOP/s%n", e.getKey(), d[0] / 1e6 / gemms.runs,
                    100 * d[0] / all, d[1] / d[0]);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "RATIOS (wall; cpu in brackets)%n");
        System.out.printf(Locale.ROOT, "  engine GD step / its GEMMs alone     %6.2f  (%.2f)%n", gd.engineMs() / prod.engineMs(),
                gd.engineCpu() / prod.engineCpu());
        System.out.printf(Locale.ROOT, "  engine GD step / PyTorch GD step     %6.2f  (%.2f)%n", gd.engineMs() / gd.torchMs(),
                gd.engineCpu() / gd.torchCpu());
        System.out.printf(Locale.ROOT, "  engine HVP / engine GD step          %6.2f  (%.2f)%n", hvp.engineMs() / gd.engineMs(),
                hvp.engineCpu() / gd.engineCpu());
        System.out.printf(Locale.ROOT, "  engine HVP / PyTorch HVP             %6.2f  (%.2f)%n", hvp.engineMs() / hvp.torchMs(),
                hvp.engineCpu() / hvp.torchCpu());
        System.out.printf(Locale.ROOT, "  PyTorch HVP / PyTorch GD step        %6.2f  (%.2f)%n", hvp.torchMs() / gd.torchMs(),
                hvp.torchCpu() / gd.torchCpu());
        System.out.printf(Locale.ROOT, "  engine SGD B=%d step / PyTorch's     %6.2f  (%.2f)%n", B, sgdStep.engineMs() / sgdStep.torchMs(),
                sgdStep.engineCpu() / sgdStep.torchCpu());
        System.out.println("  OpenBLAS kernel: engine " + Blas.describe());
        System.out.println("                   PyTorch " + t.info);
    }

    /** {@code steps} GD steps from theta0 as {@link Trainer} takes them; returns the loss before the last. */
    private static double gdSteps(Cnn model, INDArray theta0, INDArray x, INDArray y, int steps) {
        INDArray theta = theta0.dup();
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            loss = model.lossAndGradient(theta, x, y, grad);
            Nd4j.getBlasWrapper().level1().axpy(model.numParams(), -LR, grad, theta);
        }
        return loss;
    }

    private static double[] readDoubles(Path file, int count) throws IOException {
        DoubleBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        if (b.remaining() != count) throw new IOException(file + " holds " + b.remaining() + " doubles, expected " + count);
        double[] out = new double[count];
        b.get(out);
        return out;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double d : a) m = Math.max(m, Math.abs(d));
        return m;
    }

    /** max_i |a_i - b_i| / max_i |b_i| (NaN anywhere gives NaN). */
    private static double maxRelative(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            double e = Math.abs(a[i] - b[i]);
            if (Double.isNaN(e)) return Double.NaN;
            d = Math.max(d, e);
        }
        return d / maxAbs(b);
    }

    /** The settings of the benched network, which the GEMM replica reads as Cnn does. */
    record Net(ImageShape input, int blocks, int channels, int kernel, Pool pool, int depth, int width, int outputs) {
        Cnn model() {
            return new Cnn(input, blocks, channels, kernel, pool, depth, width, outputs, Activation.RELU, Init.DEFAULT, Loss.XENT);
        }
    }

    /**
     * Every {@link Gemm#gemm} call of one lossAndGradient of {@link Cnn} (forward, backward from the
     * last stage down to stage 1, gradient), with the same shapes, transposes, c-order layouts and
     * chunking, on arrays allocated once: per conv block i (C_in, H W, C_out, ckk = C_in k k), Z = 1 b^T
     * then Z += P K^T (P [rows H W, ckk]); backward dP = G K for i > 0; gradient dK = G^T P and
     * db = G^T 1; per dense layer z = 1 b^T then z += x W, g_in = g W^T, dW = x^T g, db = g^T 1.
     * Keep in step with {@code Stage.Conv} and {@code Stage.Dense}. Also sums thread CPU time and
     * FLOPs per kind of call ({@link #breakdown}).
     */
    static final class StepGemms {
        private record Call(String kind, INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha, double beta,
                            double flops) {
        }

        private final List<Call> calls = new ArrayList<>();
        /** kind -> {thread CPU nanos, FLOPs}, summed over {@link #runs} steps. */
        final Map<String, double[]> breakdown = new LinkedHashMap<>();
        int runs;
        private final Map<Integer, Map<String, INDArray>> arrays = new LinkedHashMap<>();

        StepGemms(Net net, int chunkRows, int n) {
            int[] cin = new int[net.blocks];
            int[] hw = new int[net.blocks];
            int[] cout = new int[net.blocks];
            int c = net.input.channels();
            int h = net.input.height();
            int w = net.input.width();
            for (int i = 0; i < net.blocks; i++) {
                cin[i] = c;
                hw[i] = h * w;
                cout[i] = net.channels << i;
                c = cout[i];
                if (net.pool != Pool.NONE) {
                    h /= 2;
                    w /= 2;
                }
            }
            int layers = net.depth + 1;
            int[] in = new int[layers];
            int[] out = new int[layers];
            for (int l = 0; l < layers; l++) {
                in[l] = l == 0 ? c * h * w : net.width;
                out[l] = l == net.depth ? net.outputs : net.width;
            }
            // parameters and their gradients: shared by every chunk
            INDArray[] k = new INDArray[net.blocks];
            INDArray[] kb = new INDArray[net.blocks];
            INDArray[] dk = new INDArray[net.blocks];
            INDArray[] dkb = new INDArray[net.blocks];
            int kk = net.kernel * net.kernel;
            for (int i = 0; i < net.blocks; i++) {
                k[i] = Nd4j.rand(DataType.DOUBLE, cout[i], cin[i] * kk);
                kb[i] = Nd4j.rand(DataType.DOUBLE, 1, cout[i]);
                dk[i] = Nd4j.create(DataType.DOUBLE, cout[i], cin[i] * kk);
                dkb[i] = Nd4j.create(DataType.DOUBLE, 1, cout[i]);
            }
            INDArray[] wd = new INDArray[layers];
            INDArray[] bd = new INDArray[layers];
            INDArray[] dw = new INDArray[layers];
            INDArray[] db = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                wd[l] = Nd4j.rand(DataType.DOUBLE, in[l], out[l]);
                bd[l] = Nd4j.rand(DataType.DOUBLE, 1, out[l]);
                dw[l] = Nd4j.create(DataType.DOUBLE, in[l], out[l]);
                db[l] = Nd4j.create(DataType.DOUBLE, 1, out[l]);
            }
            for (int from = 0; from < n; from += chunkRows) {
                int rows = Math.min(chunkRows, n - from);
                double beta = from == 0 ? 0.0 : 1.0;
                Map<String, INDArray> a = arrays.computeIfAbsent(rows, r -> new LinkedHashMap<>());
                for (int i = 0; i < net.blocks; i++) {
                    long pix = (long) rows * hw[i];
                    int ckk = cin[i] * kk;
                    int co = cout[i];
                    INDArray ones = a.computeIfAbsent("ones" + i, key -> Nd4j.ones(DataType.DOUBLE, pix, 1));
                    INDArray pm = a.computeIfAbsent("P" + i, key -> Nd4j.rand(DataType.DOUBLE, pix, ckk));
                    INDArray z = a.computeIfAbsent("Z" + i, key -> Nd4j.create(DataType.DOUBLE, pix, co));
                    add("conv" + (i + 1) + " bias  Z = 1 b^T", ones, kb[i], z, false, false, 0.0);
                    add("conv" + (i + 1) + " fwd   Z += P K^T", pm, k[i], z, false, true, 1.0);
                }
                INDArray ones = a.computeIfAbsent("onesRows", key -> Nd4j.ones(DataType.DOUBLE, rows, 1));
                for (int l = 0; l < layers; l++) {
                    int lin = in[l];
                    int lout = out[l];
                    INDArray xl = a.computeIfAbsent("x" + l, key -> Nd4j.rand(DataType.DOUBLE, rows, lin));
                    INDArray zl = a.computeIfAbsent("z" + l, key -> Nd4j.create(DataType.DOUBLE, rows, lout));
                    add("dense" + (l + 1) + " bias z = 1 b^T", ones, bd[l], zl, false, false, 0.0);
                    add("dense" + (l + 1) + " fwd  z += x W", xl, wd[l], zl, false, false, 1.0);
                }
                for (int l = layers - 1; l >= 0; l--) {
                    int lin = in[l];
                    INDArray gx = a.computeIfAbsent("gx" + l, key -> Nd4j.create(DataType.DOUBLE, rows, lin));
                    add("dense" + (l + 1) + " bwd  g W^T", a.get("z" + l), wd[l], gx, false, true, 0.0);
                }
                for (int i = net.blocks - 1; i >= 1; i--) {
                    long pix = (long) rows * hw[i];
                    int ckk = cin[i] * kk;
                    INDArray dp = a.computeIfAbsent("dP" + i, key -> Nd4j.create(DataType.DOUBLE, pix, ckk));
                    add("conv" + (i + 1) + " bwd   dP = G K", a.get("Z" + i), k[i], dp, false, false, 0.0);
                }
                for (int i = 0; i < net.blocks; i++) {
                    add("conv" + (i + 1) + " grad  dK = G^T P", a.get("Z" + i), a.get("P" + i), dk[i], true, false, beta);
                    add("conv" + (i + 1) + " grad  db = G^T 1", a.get("ones" + i), a.get("Z" + i), dkb[i], true, false, beta);
                }
                for (int l = 0; l < layers; l++) {
                    add("dense" + (l + 1) + " grad dW = x^T g", a.get("x" + l), a.get("z" + l), dw[l], true, false, beta);
                    add("dense" + (l + 1) + " grad db = g^T 1", ones, a.get("z" + l), db[l], true, false, beta);
                }
            }
        }

        private void add(String kind, INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double beta) {
            long inner = ta ? a.size(0) : a.size(1);
            calls.add(new Call(kind, a, b, c, ta, tb, 1.0, beta, 2.0 * c.size(0) * c.size(1) * inner));
            breakdown.putIfAbsent(kind, new double[2]);
        }

        void reset() {
            runs = 0;
            for (double[] d : breakdown.values()) java.util.Arrays.fill(d, 0.0);
        }

        /** One step's products; adds their thread CPU time and FLOPs per kind. */
        void run() {
            runs++;
            for (Call c : calls) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                Gemm.gemm(c.a, c.b, c.c, c.ta, c.tb, c.alpha, c.beta);
                double[] d = breakdown.get(c.kind);
                d[0] += THREADS.getCurrentThreadCpuTime() - t0;
                d[1] += c.flops;
            }
        }
    }

    /** One measured thing: per-step wall and CPU ms of each round, per side. */
    private static final class Timing {
        final String name;
        final List<Double> engine = new ArrayList<>();
        final List<Double> engineCpu = new ArrayList<>();
        final List<Double> torch = new ArrayList<>();
        final List<Double> torchCpu = new ArrayList<>();

        Timing(String name) {
            this.name = name;
        }

        void engine(Runnable r, int steps) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r.run();
            engine.add((System.nanoTime() - t0) / 1e6 / steps);
            engineCpu.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / steps);
        }

        /** Records PyTorch's answer "wall_ms cpu_ms value"; returns the value. */
        double torch(String answer) {
            String[] w = answer.split(" ");
            torch.add(Double.parseDouble(w[0]));
            torchCpu.add(Double.parseDouble(w[1]));
            return Double.parseDouble(w[2]);
        }

        double engineMs() {
            return median(engine);
        }

        double engineCpu() {
            return median(engineCpu);
        }

        double torchMs() {
            return median(torch);
        }

        double torchCpu() {
            return median(torchCpu);
        }
    }

    private static final class Torch {
        final PrintWriter out;
        final BufferedReader in;
        String info = "";

        Torch(PrintWriter out, BufferedReader in) {
            this.out = out;
            this.in = in;
        }

        String ask(String command) throws IOException {
            out.println(command);
            String line = in.readLine();
            if (line == null) throw new IOException("PyTorch process ended (see its errors above) after: " + command);
            if (command.equals("info")) info = line;
            return line;
        }

        void quit(Process p) throws InterruptedException {
            out.println("quit");
            p.waitFor();
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
