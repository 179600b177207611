package org.sharpsweep.worker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.DType;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;
import org.sharpsweep.worker.Npy;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * The engine against PyTorch on the same steps, in one run: a full-batch GD step and a B = 50
 * SGD step on the real Fashion-MNIST (first n = 1000, pixel/255, one-hot targets),
 * 784-100-10 ReLU, MSE = (1/(n k)) sum ||f - y||^2, from the same initial parameters (the
 * engine's default init, PyTorch nn.Linear's distribution, written to .npy and loaded by
 * PyTorch). PyTorch ({@code bench/torch_step.py}, Debian's python3-torch) runs in a child
 * process with one thread and the same OPENBLAS_CORETYPE; the two take turns, round by round,
 * each round timing {@code steps} consecutive steps from the initial parameters, and the
 * medians over the rounds are compared: wall time, and the CPU time of the computing thread
 * (both sides compute on one thread), which a busy shared machine disturbs less. Both report
 * the loss of their last step: in float64 they agree to rounding, which shows the two compute
 * the same thing. Before each PyTorch turn this JVM parks until its own threads (JIT, GC) are
 * idle, so PyTorch is never timed beside a busy JVM; every round's ratio and their median are
 * printed.
 *
 * <p>Run: {@code bench/torch-compare [rounds] [path]} (default 9 rounds after a warm-up;
 * it installs python3-torch when missing).
 */
public final class TorchCompareBench {
    private static final int N = 1000;
    private static final int B = 50;
    private static final double LR = 0.1;
    /**
     * Warm-up before timing: the engine runs every case for at least this long, then each side
     * one untimed round. The JVM's JIT compilers keep a second core busy for the first seconds
     * (measured: process CPU twice the main thread's at first), which on a shared machine slows
     * the engine's wall clock and not PyTorch's.
     */
    private static final long WARMUP_NANOS = 6_000_000_000L;
    private static final int WARMUP_ROUNDS = 1;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        String path = args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
        String python = System.getenv().getOrDefault("SHARPSWEEP_PYTHON", "/usr/bin/python3");
        Blas.prepare();
        Data data = Datasets.load(SmallSpecs.teacher().with(Setting.DATASET, Dataset.FASHION_MNIST).with(Setting.INPUT_DIM, 1)
                .with(Setting.PATH, path).with(Setting.N_TRAIN, N).with(Setting.N_TEST, 100).data(), 1);
        Mlp model = new Mlp(784, 1, 100, 10, Activation.RELU, Init.DEFAULT, Loss.MSE);
        INDArray theta0 = model.initParams(1);
        Path dir = Files.createTempDirectory("sharpsweep-torch-compare");
        Npy.write(data.trainX(), dir.resolve("X.npy"));
        Npy.write(data.trainY(), dir.resolve("Y.npy"));
        PointRunner.saveParams(model, theta0, dir);

        ProcessBuilder pb = new ProcessBuilder(python, Path.of("bench/torch_step.py").toAbsolutePath().toString(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        String core = Blas.core();
        if (core != null) env.put(Blas.CORETYPE, Blas.prepare().requested() != null ? Blas.prepare().requested() : core);
        Process torch = pb.start();
        PrintWriter toTorch = new PrintWriter(torch.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromTorch = new BufferedReader(new InputStreamReader(torch.getInputStream(), StandardCharsets.UTF_8));

        System.out.printf(Locale.ROOT, "Fashion-MNIST n=%d, 784-100-10 relu, mse, lr %.2g; engine OMP_NUM_THREADS=%s%n", N, LR,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.println("engine BLAS:  " + Blas.describe());
        System.out.println("PyTorch:      " + ask(toTorch, fromTorch, "info"));

        List<Case> cases = List.of(
                new Case("GD step float64", DType.FLOAT64, N, 20),
                new Case("SGD step B=50 float64", DType.FLOAT64, B, 200),
                new Case("GD step float32", DType.FLOAT32, N, 20),
                new Case("SGD step B=50 float32", DType.FLOAT32, B, 200));
        PenaltySpec none = SmallSpecs.noPenalty();
        long warmUntil = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmUntil) {
            for (Case c : cases) {
                Trainer.train(model, theta0.dup(), data.trainX(), data.trainY(),
                        SmallSpecs.teacher().with(Setting.STEPS, c.steps).with(Setting.LR, LR).with(Setting.BATCH_SIZE, c.batch)
                                .with(Setting.DIVERGENCE_LOSS, 1e6).with(Setting.DTYPE, c.dtype).train(), none, 7);
            }
        }
        for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
            for (Case c : cases) {
                TrainSpec spec = SmallSpecs.teacher().with(Setting.STEPS, c.steps).with(Setting.LR, LR)
                        .with(Setting.BATCH_SIZE, c.batch).with(Setting.DIVERGENCE_LOSS, 1e6)
                        .with(Setting.DTYPE, c.dtype).train();
                boolean engineFirst = (r & 1) == 0; // alternate who goes first
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn == 0) == engineFirst) {
                        INDArray theta = theta0.dup();
                        long c0 = THREADS.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        Trainer.Outcome o = Trainer.train(model, theta, data.trainX(), data.trainY(), spec, none, 7);
                        double ms = (System.nanoTime() - t0) / 1e6 / c.steps;
                        double cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / c.steps;
                        if (r >= 0) {
                            c.engine.add(ms);
                            c.engineCpu.add(cpu);
                        }
                        c.engineLoss = o.lastLoss();
                    } else {
                        parkJvm(); // nothing of this JVM runs beside PyTorch's timed steps
                        String cmd = c.batch == N
                                ? String.format(Locale.ROOT, "gd %s %d %s", c.dtype.specName(), c.steps, LR)
                                : String.format(Locale.ROOT, "sgd %s %d %s %d 7", c.dtype.specName(), c.steps, LR, c.batch);
                        String[] answer = ask(toTorch, fromTorch, cmd).split(" ");
                        if (r >= 0) {
                            c.torch.add(Double.parseDouble(answer[0]));
                            c.torchCpu.add(Double.parseDouble(answer[1]));
                        }
                        c.torchLoss = Double.parseDouble(answer[2]);
                    }
                }
                if (r >= 0) c.ratios.add(c.engine.get(c.engine.size() - 1) / c.torch.get(c.torch.size() - 1));
            }
        }
        toTorch.println("quit");
        torch.waitFor();

        System.out.printf(Locale.ROOT, "medians of %d interleaved rounds (each: consecutive steps from the same initial parameters)%n", rounds);
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %13s %9s %9s %12s   %s%n", "", "engine ms", "torch ms", "engine/torch",
                "cpu ms", "cpu ms", "cpu ratio", "loss of the last step: engine, torch");
        for (Case c : cases) {
            System.out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %13.2f %9.3f %9.3f %12.2f   %.10g, %.10g%n", c.name,
                    median(c.engine), median(c.torch), median(c.engine) / median(c.torch),
                    median(c.engineCpu), median(c.torchCpu), median(c.engineCpu) / median(c.torchCpu), c.engineLoss, c.torchLoss);
        }
        System.out.println("engine / torch (wall) by round, and the median of those ratios:");
        for (Case c : cases) {
            StringBuilder sb = new StringBuilder();
            for (double x : c.ratios) sb.append(String.format(Locale.ROOT, " %.2f", x));
            System.out.printf(Locale.ROOT, "  %-22s%s; median %.2f%n", c.name, sb, median(c.ratios));
        }
        Case gd64 = cases.get(0);
        Case gd32 = cases.get(2);
        Case sgd64 = cases.get(1);
        Case sgd32 = cases.get(3);
        System.out.printf(Locale.ROOT, "engine float32 speed-up over float64: GD %.2fx, SGD %.2fx (PyTorch: GD %.2fx, SGD %.2fx)%n",
                median(gd64.engine) / median(gd32.engine), median(sgd64.engine) / median(sgd32.engine),
                median(gd64.torch) / median(gd32.torch), median(sgd64.torch) / median(sgd32.torch));
        System.out.println("(the SGD losses differ: the two draw different minibatch orders; GD losses agree to rounding in float64)");
    }

    /**
     * Waits (at most 3 s) until this JVM's other threads are idle (its process CPU time grows by
     * under 5 ms in 100 ms, after a collection), so that the JIT compilers and the collector do
     * not run beside PyTorch's timed steps on the same two cores.
     */
    private static void parkJvm() throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            long p0 = os.getProcessCpuTime();
            Thread.sleep(100);
            if (os.getProcessCpuTime() - p0 < 5_000_000L) return;
        }
    }

    private static String ask(PrintWriter out, BufferedReader in, String command) throws IOException {
        out.println(command);
        String line = in.readLine();
        if (line == null) throw new IOException("PyTorch process ended (see its errors above) after: " + command);
        return line;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static final class Case {
        final String name;
        final DType dtype;
        final int batch;
        final int steps;
        final List<Double> engine = new ArrayList<>();
        final List<Double> torch = new ArrayList<>();
        final List<Double> engineCpu = new ArrayList<>();
        final List<Double> torchCpu = new ArrayList<>();
        /** engine / torch wall time of each round. */
        final List<Double> ratios = new ArrayList<>();
        double engineLoss = Double.NaN;
        double torchLoss = Double.NaN;

        Case(String name, DType dtype, int batch, int steps) {
            this.name = name;
            this.dtype = dtype;
            this.batch = batch;
            this.steps = steps;
        }
    }
}
