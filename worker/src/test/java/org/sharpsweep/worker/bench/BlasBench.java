package org.sharpsweep.worker.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.blas.BlasKernel;
import org.sharpsweep.worker.blas.Gemm;

/**
 * The OpenBLAS kernel of this JVM and its DGEMM rate: C [1000, 100] = A [1000, 784] B [784, 100]
 * (the first layer of the Fashion-MNIST network on n = 1000) through {@code Nd4j.gemm} and
 * through {@link Gemm} (the engine's path), in GFLOP/s = 2 m n k / seconds, against one
 * core's double-precision peak ({@link BlasKernel#peakDoubleGflops}: the clock of
 * /proc/cpuinfo times the FLOPs per cycle of the widest vector unit). Then the same in a child
 * JVM that leaves the kernel to OpenBLAS's own detection ({@code -Dsharpsweep.blas.choose=false},
 * no OPENBLAS_CORETYPE), alternating with this one, so the two kernels are compared in one run.
 *
 * <p>Run: {@code bench/run BlasBench [rounds]} (default 5).
 */
public final class BlasBench {
    private static final int M = 1000;
    private static final int K = 784;
    private static final int N = 100;
    private static final int CALLS = 20;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            Blas.prepare();
            double[] r = measure();
            System.out.printf(Locale.ROOT, "%s %.3f %.3f %.3f%n", Blas.core(), r[0], r[1], r[2]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Blas.prepare();
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.local().orElse(null);
        System.out.println("kernel: " + Blas.describe());
        if (cpu != null) {
            System.out.printf(Locale.ROOT, "one core's double peak: %.1f GFLOP/s = %.0f MHz (cpu MHz of /proc/cpuinfo) x %d FLOP/cycle "
                            + "(%s: 2 FMA units x %d doubles x 2; the turbo clock can exceed it)%n",
                    BlasKernel.peakDoubleGflops(cpu), cpu.mhz(), BlasKernel.doubleFlopsPerCycle(cpu),
                    BlasKernel.doubleFlopsPerCycle(cpu) == 32 ? "AVX-512" : BlasKernel.doubleFlopsPerCycle(cpu) == 16 ? "AVX2+FMA" : "AVX/SSE",
                    BlasKernel.doubleFlopsPerCycle(cpu) / 4);
        }
        List<Double> oursNd4j = new ArrayList<>();
        List<Double> oursDirect = new ArrayList<>();
        List<Double> theirsNd4j = new ArrayList<>();
        List<Double> theirsDirect = new ArrayList<>();
        List<Double> oursColumn = new ArrayList<>();
        List<Double> theirsColumn = new ArrayList<>();
        String theirCore = "?";
        for (int r = 0; r < rounds; r++) {
            double[] mine = measure();
            oursNd4j.add(mine[0]);
            oursDirect.add(mine[1]);
            oursColumn.add(mine[2]);
            String[] child = child().split(" ");
            theirCore = child[0];
            theirsNd4j.add(Double.parseDouble(child[1]));
            theirsDirect.add(Double.parseDouble(child[2]));
            theirsColumn.add(Double.parseDouble(child[3]));
        }
        double peak = cpu == null ? Double.NaN : BlasKernel.peakDoubleGflops(cpu);
        System.out.printf(Locale.ROOT, "DGEMM %dx%d by %dx%d, GFLOP/s, median of %d alternating rounds (thread CPU time; %d calls each)%n",
                M, K, K, N, rounds, CALLS);
        System.out.printf(Locale.ROOT, "%-34s %10s %12s %14s %9s%n", "", "Nd4j.gemm", "Gemm, C c", "Gemm, C f", "of peak");
        System.out.printf(Locale.ROOT, "%-34s %10.1f %12.1f %14.1f %8.0f%%%n", "chosen kernel (" + Blas.core() + ")",
                median(oursNd4j), median(oursDirect), median(oursColumn), 100 * median(oursColumn) / peak);
        System.out.printf(Locale.ROOT, "%-34s %10.1f %12.1f %14.1f %8.0f%%%n", "OpenBLAS's own choice (" + theirCore + ")",
                median(theirsNd4j), median(theirsDirect), median(theirsColumn), 100 * median(theirsColumn) / peak);
        System.out.println("(C c: row-major result; C f: column-major, the model's layout for double batches of 256 rows"
                + " and more; of peak: the C f figure)");
    }

    /** GFLOP/s of Nd4j.gemm and of Gemm.gemm on the same arrays, from this thread's CPU time. */
    static double[] measure() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.rand(DataType.DOUBLE, M, K);
        INDArray b = Nd4j.rand(DataType.DOUBLE, K, N);
        INDArray c = Nd4j.create(DataType.DOUBLE, M, N);
        INDArray cf = Nd4j.create(DataType.DOUBLE, new long[] {M, N}, 'f');
        double flop = 2.0 * M * N * K * CALLS;
        double[] out = new double[3];
        for (int warm = 0; warm < 2; warm++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < CALLS; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            long t1 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < CALLS; i++) Gemm.gemm(a, b, c, false, false, 1.0, 0.0);
            long t2 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < CALLS; i++) Gemm.gemm(a, b, cf, false, false, 1.0, 0.0);
            long t3 = threads.getCurrentThreadCpuTime();
            out[0] = flop / (t1 - t0);
            out[1] = flop / (t2 - t1);
            out[2] = flop / (t3 - t2);
        }
        return out;
    }

    private static String child() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-Dsharpsweep.blas.choose=false", "-cp", System.getProperty("java.class.path"),
                BlasBench.class.getName(), "--child");
        pb.environment().remove(Blas.CORETYPE);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
