package org.sharpsweep.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;

/**
 * Oracles and fixtures for the model tests: central finite differences, random data, and a
 * plain-Java reference of the network written from docs/science.md (loops over doubles, its
 * own parameter layout), independent of {@link Mlp}'s ND4J code.
 */
final class ModelTestSupport {

    /** Smallest |pre-activation| of a relu network under finite differences: keeps steps off the kink. */
    static final double RELU_MARGIN = 1e-3;

    private ModelTestSupport() {
    }

    /**
     * Every loss x activation x init x depth 0..2, as (loss, activation, init, depth, seed)
     * with seeds counting up from {@code firstSeed} (each test class its own range).
     */
    static Stream<Arguments> everyConfiguration(long firstSeed) {
        Stream.Builder<Arguments> all = Stream.builder();
        long seed = firstSeed;
        for (Loss loss : Loss.values()) {
            for (Activation activation : Activation.values()) {
                for (Init init : Init.values()) {
                    for (int depth = 0; depth <= 2; depth++) {
                        all.add(Arguments.of(loss, activation, init, depth, seed++));
                    }
                }
            }
        }
        return all.build();
    }

    /**
     * Double precision by default, and one OpenMP thread: on a machine shared by several test
     * JVMs, spinning OpenMP workers make ND4J's small ops 10-50 times slower (measured).
     */
    static void configureNd4j() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    }

    /** A random problem: model, parameters, inputs and targets; {@code seed} names it in failures. */
    record Problem(long seed, Mlp mlp, Activation activation, Init init, Loss loss, int depth, int width,
                   INDArray theta, INDArray x, INDArray y) {
        int rows() {
            return (int) x.rows();
        }

        @Override
        public String toString() {
            return "seed " + seed + ", " + mlp;
        }
    }

    /**
     * A random small problem. For relu, inputs are redrawn until every hidden pre-activation is at
     * least {@link #RELU_MARGIN} away from 0, so finite differences never cross a kink.
     */
    static Problem problem(long seed, int inputs, int depth, int width, int outputs, int rows,
                           Activation activation, Init init, Loss loss) {
        Mlp mlp = new Mlp(inputs, depth, width, outputs, activation, init, loss);
        Random random = new Random(seed);
        INDArray theta = mlp.initParams(seed);
        for (int attempt = 0; attempt < 1000; attempt++) {
            INDArray x = gaussian(random, rows, inputs);
            if (activation == Activation.TANH || minHiddenPreActivation(mlp, activation, theta, x) >= RELU_MARGIN) {
                return new Problem(seed, mlp, activation, init, loss, depth, width, theta, x, targets(random, loss, rows, outputs));
            }
        }
        throw new IllegalStateException("no relu input away from the kink for seed " + seed);
    }

    static INDArray gaussian(Random random, int rows, int cols) {
        double[][] values = new double[rows][cols];
        for (double[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values);
    }

    static INDArray gaussianVector(Random random, int length) {
        double[] values = new double[length];
        for (int j = 0; j < length; j++) {
            values[j] = random.nextGaussian();
        }
        return Nd4j.createFromArray(values);
    }

    /** One-hot rows for xent, Gaussian targets for the squared losses. */
    static INDArray targets(Random random, Loss loss, int rows, int outputs) {
        if (loss != Loss.XENT) {
            return gaussian(random, rows, outputs);
        }
        double[][] values = new double[rows][outputs];
        for (double[] row : values) {
            row[random.nextInt(outputs)] = 1.0;
        }
        return Nd4j.createFromArray(values);
    }

    static INDArray zerosLike(Mlp mlp) {
        return Nd4j.zeros(DataType.DOUBLE, mlp.numParams());
    }

    static INDArray basis(int length, int j) {
        INDArray e = Nd4j.zeros(DataType.DOUBLE, length);
        e.putScalar(j, 1.0);
        return e;
    }

    /** ||a - b|| / max(||a||, ||b||), 0 when both are 0. */
    static double relativeError(INDArray a, INDArray b) {
        double scale = Math.max(a.norm2Number().doubleValue(), b.norm2Number().doubleValue());
        return scale == 0.0 ? 0.0 : a.sub(b).norm2Number().doubleValue() / scale;
    }

    /** Central difference of a scalar function, one coordinate at a time: (f(t + h e_j) - f(t - h e_j)) / 2h. */
    static INDArray centralDifference(ToDoubleFunction<INDArray> f, INDArray theta, double h) {
        int n = (int) theta.length();
        INDArray result = Nd4j.create(DataType.DOUBLE, n);
        for (int j = 0; j < n; j++) {
            INDArray plus = theta.dup();
            plus.putScalar(j, theta.getDouble(j) + h);
            INDArray minus = theta.dup();
            minus.putScalar(j, theta.getDouble(j) - h);
            result.putScalar(j, (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h));
        }
        return result;
    }

    /** Central difference of a vector function along v: (F(t + h v) - F(t - h v)) / 2h. */
    static INDArray directionalDifference(Function<INDArray, INDArray> f, INDArray theta, INDArray v, double h) {
        INDArray plus = f.apply(theta.add(v.mul(h)));
        INDArray minus = f.apply(theta.sub(v.mul(h)));
        return plus.sub(minus).divi(2 * h);
    }

    /** The gradient of the mean loss as a function of theta (a new array per call). */
    static Function<INDArray, INDArray> gradientOf(Problem p) {
        return t -> {
            INDArray grad = zerosLike(p.mlp());
            p.mlp().lossAndGradient(t, p.x(), p.y(), grad);
            return grad;
        };
    }

    /** The dense Hessian [P, P] of the mean loss, column j = hvp(e_j). */
    static INDArray denseHessian(Problem p) {
        int n = p.mlp().numParams();
        INDArray h = Nd4j.create(DataType.DOUBLE, n, n);
        INDArray column = zerosLike(p.mlp());
        for (int j = 0; j < n; j++) {
            p.mlp().hvp(p.theta(), p.x(), p.y(), basis(n, j), column);
            h.putColumn(j, column.reshape(n, 1));
        }
        return h;
    }

    static double minHiddenPreActivation(Mlp mlp, Activation activation, INDArray theta, INDArray x) {
        double min = Double.POSITIVE_INFINITY;
        for (double[][] z : ReferenceMlp.of(mlp, activation).hiddenPreActivations(theta.toDoubleVector(), x.toDoubleMatrix())) {
            for (double[] row : z) {
                for (double value : row) {
                    min = Math.min(min, Math.abs(value));
                }
            }
        }
        return min;
    }

    /**
     * The network of docs/science.md in plain Java: Z_l = c_l A_{l-1} W_l + b_l,
     * A_l = act(Z_l), f = Z_L; parameters layer by layer, W as [in, out] row-major, then b.
     */
    record ReferenceMlp(int inputs, int depth, int width, int outputs, Activation activation, double outputScale) {

        /** Dimensions from {@code mlp}'s constructor arguments; the layout is this record's own. */
        static ReferenceMlp of(Mlp mlp, Activation activation) {
            int depth = mlp.layers() - 1;
            int width = depth == 0 ? 1 : mlp.fanOut(0);
            return new ReferenceMlp(mlp.fanIn(0), depth, width, mlp.fanOut(depth), activation, mlp.outputScale());
        }

        List<double[][]> hiddenPreActivations(double[] theta, double[][] x) {
            List<double[][]> all = new ArrayList<>();
            run(theta, x, all);
            return all;
        }

        double[][] predict(double[] theta, double[][] x) {
            return run(theta, x, new ArrayList<>());
        }

        private double[][] run(double[] theta, double[][] x, List<double[][]> hidden) {
            double[][] a = x;
            int offset = 0;
            for (int l = 0; l <= depth; l++) {
                int in = l == 0 ? inputs : width;
                int out = l == depth ? outputs : width;
                double c = l == depth ? outputScale : 1.0;
                double[][] z = new double[a.length][out];
                for (int i = 0; i < a.length; i++) {
                    for (int j = 0; j < out; j++) {
                        double sum = 0;
                        for (int r = 0; r < in; r++) {
                            sum += a[i][r] * theta[offset + r * out + j];
                        }
                        z[i][j] = c * sum + theta[offset + in * out + j];
                    }
                }
                offset += in * out + out;
                if (l == depth) {
                    return z;
                }
                hidden.add(z);
                a = new double[z.length][out];
                for (int i = 0; i < z.length; i++) {
                    for (int j = 0; j < out; j++) {
                        a[i][j] = activation == Activation.RELU ? Math.max(z[i][j], 0.0) : Math.tanh(z[i][j]);
                    }
                }
            }
            throw new AssertionError("unreachable");
        }

        /** (1/m) sum_i l_i with the per-sample losses of docs/science.md. */
        static double meanLoss(Loss loss, double[][] f, double[][] y) {
            double total = 0;
            for (int i = 0; i < f.length; i++) {
                int k = f[i].length;
                switch (loss) {
                    case MSE, HALF_SSE -> {
                        double sse = 0;
                        for (int j = 0; j < k; j++) {
                            sse += (f[i][j] - y[i][j]) * (f[i][j] - y[i][j]);
                        }
                        total += loss == Loss.MSE ? sse / k : 0.5 * sse;
                    }
                    case XENT -> {
                        double max = Double.NEGATIVE_INFINITY;
                        for (double v : f[i]) {
                            max = Math.max(max, v);
                        }
                        double sumExp = 0;
                        for (double v : f[i]) {
                            sumExp += Math.exp(v - max);
                        }
                        double logSumExp = max + Math.log(sumExp);
                        for (int j = 0; j < k; j++) {
                            total -= y[i][j] * (f[i][j] - logSumExp);
                        }
                    }
                }
            }
            return total / f.length;
        }
    }
}
