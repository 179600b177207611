package org.sharpsweep.worker.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.Target;

/**
 * The synthetic teacher-student regression data set (Wu's lectures): inputs x uniform on the unit
 * sphere S^{d-1} in R^d, drawn as a standard Gaussian vector divided by its norm, and targets f*(x):
 * <ul>
 *   <li>{@code single-neuron}: f*(x) = relu(x_1);</li>
 *   <li>{@code circle-neuron}: the average of relu(b.x) over the unit vectors b = (cos t, sin t, 0, ..., 0)
 *       of the circle in the first two coordinates, t uniform on [0, 2 pi). With r = sqrt(x_1^2 + x_2^2)
 *       and x_1 = r cos phi, x_2 = r sin phi, b.x = r cos(t - phi), so the average is
 *       (1/2pi) int_0^{2pi} r max(cos u, 0) du = (r/2pi) * 2 = r/pi. Needs d >= 2;</li>
 *   <li>{@code linear}: f*(x) = x_1.</li>
 * </ul>
 * Coordinates are 1-based in these formulas, so x_1 is column 0.
 *
 * <p>The training and test samples come from independent streams seeded by
 * {@code Seeds.stream(dataSeed, "teacher-train")} and {@code Seeds.stream(dataSeed, "teacher-test")}.
 * Gaussians are made from {@link SplittableRandom#nextDouble()} by Marsaglia's polar method, so the
 * data depend only on the seed on every JDK ({@code RandomGenerator.nextGaussian} leaves its algorithm
 * unspecified).
 */
final class Teacher {
    private Teacher() {
    }

    /** Checks what the spec's own validation cannot: the target's need for input dimensions. */
    static void check(DataSpec spec) {
        if (spec.target() == Target.CIRCLE_NEURON && spec.inputDim() < 2) {
            throw new SpecException("data.input_dim must be >= 2 for target circle-neuron, got " + spec.inputDim());
        }
        Samples.requireFits("data.n_train", spec.nTrain(), spec.inputDim());
        Samples.requireFits("data.n_test", spec.nTest(), spec.inputDim());
    }

    static Data load(DataSpec spec, long dataSeed) {
        check(spec);
        int d = spec.inputDim();
        INDArray[] train = sample(spec.target(), d, spec.nTrain(), Seeds.stream(dataSeed, "teacher-train"));
        INDArray[] test = sample(spec.target(), d, spec.nTest(), Seeds.stream(dataSeed, "teacher-test"));
        return new Data(train[0], train[1], null, test[0], test[1], null, 1);
    }

    /** n points uniform on S^{d-1} and their targets: {x [n, d], y [n, 1]}. */
    static INDArray[] sample(Target target, int d, int n, long seed) {
        Normal normal = new Normal(new SplittableRandom(seed));
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double norm2;
            do {
                norm2 = 0;
                for (int j = 0; j < d; j++) {
                    double g = normal.next();
                    x[off + j] = g;
                    norm2 += g * g;
                }
            } while (norm2 == 0);
            double norm = Math.sqrt(norm2);
            for (int j = 0; j < d; j++) x[off + j] /= norm;
            y[i] = target(target, x, off);
        }
        return new INDArray[] {
            Nd4j.create(x, new long[] {n, d}, DataType.DOUBLE),
            Nd4j.create(y, new long[] {n, 1}, DataType.DOUBLE)
        };
    }

    /** f*(x) for the point stored at {@code x[off..off+d)}. */
    static double target(Target target, double[] x, int off) {
        return switch (target) {
            case SINGLE_NEURON -> Math.max(x[off], 0);
            case CIRCLE_NEURON -> Math.hypot(x[off], x[off + 1]) / Math.PI;
            case LINEAR -> x[off];
        };
    }
}
